// Page visits, form fills and document views (GET /events/v3/events) → signals. The URL decides
// the kind of visit: …/pricing → pricing_visit, …/demo → demo_visit, else page_view.
import { z } from 'zod';
import { defineStream, type UnifiedRecord } from '@revloop/core';
import type { HubSpotConfig } from '../config.js';
import { hubspotFor } from '../client.js';
import { lookupContacts } from '../contact-lookup.js';
import { eventCheckpointSchema, startRun, type EventCheckpoint } from '../time-cursor.js';
import { toMs } from '../time.js';

const webEventSchema = z.looseObject({
  id: z.string(),
  objectType: z.string(),
  objectId: z.union([z.string(), z.number()]).transform(String),
  eventType: z.string(),
  occurredAt: z.union([z.date(), z.string(), z.number()]).transform((v) => toMs(v)!),
  properties: z.record(z.string(), z.string()).optional(),
});

export interface WebSignal {
  event: z.infer<typeof webEventSchema>;
  contactId: string | null;
  companyId: string | null;
}

const OBJECT_TYPES = ['contact', 'company'] as const;
const PAGE = 100;

export function webSignalType(eventType: string, url: string | undefined): string {
  const path = (url ?? '').replace(/[?#].*$/, '').replace(/\/+$/, '').toLowerCase();
  if (eventType === 'e_submitted_form') return 'form_fill';
  if (eventType === 'e_document_viewed') return 'content_download';
  if (/\/pricing$/.test(path)) return 'pricing_visit';
  if (/\/demo$/.test(path)) return 'demo_visit';
  return 'page_view';
}

export function webTopic(e: z.infer<typeof webEventSchema>): string | null {
  const url = e.properties?.hs_url ?? '';
  const m = /\/(?:blog|resources)\/([^/?#]+?)(?:\.pdf)?(?:[?#].*)?$/.exec(url);
  return e.properties?.hs_page_title ?? m?.[1] ?? null;
}

export default defineStream<HubSpotConfig, WebSignal, EventCheckpoint>({
  name: 'web_events',
  description: 'HubSpot behavioral events (page visits, pricing/demo visits, form fills, document views) → signals',
  entity: 'signal',
  cursor: 'occurredAt',
  lookbackMs: 300_000,
  deletes: 'none',
  checkpoint: eventCheckpointSchema,
  async *read(ctx, { checkpoint, mode }) {
    const api = hubspotFor(ctx);
    const run = startRun(mode === 'full' ? undefined : checkpoint, ctx.clock.now(), ctx.config.lookbackMs);
    let since = mode === 'full' ? 0 : (checkpoint?.since ?? 0);
    for (let part = run.part; part < OBJECT_TYPES.length; part++) {
      let offset = part === run.part ? run.offset : 0;
      for (;;) {
        // occurredAfter / occurredBefore are exclusive: (from - 1, until) = [from, until)
        const page = await api.call('web events', (sdk) =>
          sdk.events.eventsApi.getPage(OBJECT_TYPES[part], undefined, offset ? String(offset) : undefined, undefined, PAGE, undefined, new Date(run.from - 1), new Date(run.until)),
        );
        const events = z.array(webEventSchema).parse(page.results);
        const contacts = part === 0 ? await lookupContacts(api, 'id', events.map((e) => e.objectId)) : new Map();
        const records = events.map((event) => {
          if (part === 1) return { event, contactId: null, companyId: event.objectId };
          const c = contacts.get(event.objectId);
          return { event, contactId: c?.id ?? event.objectId, companyId: c?.companyId ?? null };
        });
        offset += events.length;
        const last = !page.paging?.next?.after || events.length === 0;
        const done = last && part === OBJECT_TYPES.length - 1;
        if (done) since = run.until;
        yield { records, checkpoint: done ? { since } : { since, run: last ? { ...run, part: part + 1, offset: 0 } : { ...run, part, offset } } };
        if (last) break;
      }
    }
  },
  map(r): UnifiedRecord {
    const url = r.event.properties?.hs_url;
    return {
      systemId: `web:${r.event.id}`,
      fields: { type: webSignalType(r.event.eventType, url), topic: webTopic(r.event), channel: 'web', occurred_at: r.event.occurredAt },
      links: { contact: r.contactId, account: r.companyId },
      attributes: { eventType: r.event.eventType, ...(url ? { url } : {}) },
      raw: { ...r.event, occurredAt: new Date(r.event.occurredAt).toISOString() },
      createdAt: r.event.occurredAt,
      updatedAt: r.event.occurredAt,
    };
  },
});
