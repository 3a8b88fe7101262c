// Email opens and clicks (GET /email/public/v1/events: legacy API, no SDK method) → signals.
// Paging: each answer carries an `offset` token; the next page is asked for with it, as is (HubSpot
// refuses a running count). The token is kept in the checkpoint, so an interrupted run resumes there.
// Needs the private app's `content` scope (scopes.ts).
import { z } from 'zod';
import { defineStream, type UnifiedRecord } from '@revloop/core';
import type { HubSpotConfig } from '../config.js';
import { hubspotFor } from '../client.js';
import { lookupContacts } from '../contact-lookup.js';
import { eventCheckpointSchema, startRun, type EventCheckpoint } from '../time-cursor.js';
import { isRefusedRequest, pagingStuck } from '../errors.js';

const emailEventSchema = z.looseObject({
  id: z.string(),
  created: z.number(),
  type: z.string(),
  recipient: z.string(),
  emailCampaignId: z.number().optional(),
  url: z.string().optional(),
});
const pageSchema = z.looseObject({ hasMore: z.boolean(), offset: z.union([z.string(), z.number()]).transform(String).optional(), events: z.array(emailEventSchema) });
const campaignSchema = z.looseObject({ id: z.number(), name: z.string().nullish(), subject: z.string().nullish() });

export interface EmailSignal {
  event: z.infer<typeof emailEventSchema>;
  topic: string | null;
  contactId: string | null;
  companyId: string | null;
}

const TYPES = ['OPEN', 'CLICK'] as const;
const signalType: Record<string, string> = { OPEN: 'email_open', CLICK: 'email_click' };
const PAGE = 1000;

export default defineStream<HubSpotConfig, EmailSignal, EventCheckpoint>({
  name: 'email_events',
  description: 'HubSpot marketing email opens and clicks → signals (topic = the email campaign name)',
  entity: 'signal',
  cursor: 'created',
  lookbackMs: 300_000,
  deletes: 'none',
  checkpoint: eventCheckpointSchema,
  async *read(ctx, { checkpoint, mode }) {
    const api = hubspotFor(ctx);
    const topics = new Map<number, string | null>();
    const run = startRun(mode === 'full' ? undefined : checkpoint, ctx.clock.now(), ctx.config.lookbackMs);
    let since = mode === 'full' ? 0 : (checkpoint?.since ?? 0);
    for (let part = run.part; part < TYPES.length; part++) {
      let token = part === run.part ? run.token : undefined;
      // the token saved by an interrupted run: HubSpot calls offsets short-lived
      let resumed = token;
      for (;;) {
        // both bounds are inclusive here: until - 1 keeps the run's range half-open
        const ask = () =>
          api.request('email events', {
            path: '/email/public/v1/events',
            qs: { startTimestamp: String(run.from), endTimestamp: String(run.until - 1), eventType: TYPES[part]!, limit: String(PAGE), ...(token ? { offset: token } : {}) },
          });
        let body: unknown;
        try {
          body = await ask();
        } catch (e) {
          if (!resumed || token !== resumed || !isRefusedRequest(e)) throw e;
          // an expired token: read this event type again from its start (signals upsert by id)
          ctx.log.info({ stream: 'email_events', eventType: TYPES[part] }, 'hubspot refused the saved offset token (expired): reading this part again from its start');
          token = resumed = undefined;
          body = await ask();
        }
        resumed = undefined;
        const page = pageSchema.parse(body);
        for (const e of page.events) {
          if (e.emailCampaignId !== undefined && !topics.has(e.emailCampaignId)) {
            const id = e.emailCampaignId;
            const c = await api
              .request<unknown>('email campaign', { path: `/email/public/v1/campaigns/${id}` })
              .then((b) => campaignSchema.parse(b), () => undefined);
            topics.set(id, c?.name ?? c?.subject ?? null);
          }
        }
        const contacts = await lookupContacts(api, 'email', page.events.map((e) => e.recipient));
        const records = page.events.map((event) => {
          const c = contacts.get(event.recipient.toLowerCase());
          return { event, topic: event.emailCampaignId !== undefined ? (topics.get(event.emailCampaignId) ?? null) : null, contactId: c?.id ?? null, companyId: c?.companyId ?? null };
        });
        const last = !page.hasMore || page.events.length === 0;
        if (!last && (!page.offset || page.offset === token)) throw pagingStuck(`connectors.${ctx.name} (stream email_events)`, 'email events', 'offset');
        token = page.offset;
        const done = last && part === TYPES.length - 1;
        if (done) since = run.until;
        const { token: _previous, ...base } = run;
        yield { records, checkpoint: done ? { since } : { since, run: last ? { ...base, part: part + 1 } : { ...base, part, token: token! } } };
        if (last) break;
      }
    }
  },
  map(r): UnifiedRecord {
    return {
      systemId: `email:${r.event.id}`,
      fields: { type: signalType[r.event.type] ?? `email_${r.event.type.toLowerCase()}`, topic: r.topic, channel: 'email', occurred_at: r.event.created },
      links: { contact: r.contactId, account: r.companyId },
      attributes: { recipient: r.event.recipient, ...(r.event.emailCampaignId !== undefined ? { emailCampaignId: r.event.emailCampaignId } : {}), ...(r.event.url ? { url: r.event.url } : {}) },
      raw: r.event,
      createdAt: r.event.created,
      updatedAt: r.event.created,
    };
  },
});
