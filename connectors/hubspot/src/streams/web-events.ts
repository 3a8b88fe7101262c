// Page visits, form fills and document views (GET /events/v3/events) → signals. The URL decides
// the kind of visit: …/pricing → pricing_visit, …/demo → demo_visit, else page_view.
// HubSpot answers per record: objectType + objectId are required, and pages come with an opaque
// `paging.next.after` token. So a run searches the contacts (then companies) modified since its
// start — a tracked event updates the record's analytics properties — and reads each one's events
// in [from, until), token by token. The checkpoint keeps the last record whose events are stored.
import { z } from 'zod';
import { defineStream, type UnifiedRecord } from '@revloop/core';
import type { HubSpotConfig } from '../config.js';
import { activeRecords, type ActiveRecordsSpec } from '../active-records.js';
import { hubspotFor, type HubSpotApi } from '../client.js';
import { pagingStuck } from '../errors.js';
import { eventCheckpointSchema, startRun, type EventCheckpoint, type EventRun } from '../time-cursor.js';
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

type WebEvent = z.infer<typeof webEventSchema>;

/** the parts of a run, in order: contacts' events, then companies' (visits of no known contact) */
const PARTS: ReadonlyArray<ActiveRecordsSpec & { eventObjectType: 'contact' | 'company' }> = [
  { objectType: 'contacts', eventObjectType: 'contact', modifiedProperty: 'lastmodifieddate', properties: ['associatedcompanyid'] },
  { objectType: 'companies', eventObjectType: 'company', modifiedProperty: 'hs_lastmodifieddate', properties: [] },
];
const PAGE = 100;

/** every event of one record in the run's range [from, until), following paging.next.after */
async function eventsOf(api: HubSpotApi, where: string, objectType: 'contact' | 'company', objectId: string, run: EventRun): Promise<WebEvent[]> {
  const out: WebEvent[] = [];
  let after: string | undefined;
  for (;;) {
    // occurredAfter / occurredBefore are exclusive: (from - 1, until) = [from, until)
    const page = await api.call(`web events of ${objectType} ${objectId}`, (sdk) =>
      sdk.events.eventsApi.getPage(objectType, undefined, after, undefined, PAGE, undefined, new Date(run.from - 1), new Date(run.until), Number(objectId)),
    );
    const events = z.array(webEventSchema).parse(page.results);
    out.push(...events);
    const next = page.paging?.next?.after;
    if (!next || events.length === 0) return out;
    if (next === after) throw pagingStuck(where, `web events of ${objectType} ${objectId}`, 'paging.next.after');
    after = next;
  }
}

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
    const where = `connectors.${ctx.name} (stream web_events)`;
    const run = startRun(mode === 'full' ? undefined : checkpoint, ctx.clock.now(), ctx.config.lookbackMs);
    const { lastId: _resumeAt, ...base } = run;
    let since = mode === 'full' ? 0 : (checkpoint?.since ?? 0);
    for (let part = run.part; part < PARTS.length; part++) {
      const spec = PARTS[part]!;
      let lastId = part === run.part ? run.lastId : undefined;
      for (;;) {
        const found = await activeRecords(api, spec, run.from, lastId, ctx.config.searchPageSize);
        const records: WebSignal[] = [];
        for (const rec of found) {
          const events = await eventsOf(api, where, spec.eventObjectType, rec.id, run);
          const companyId = spec.objectType === 'companies' ? rec.id : rec.properties.associatedcompanyid || null;
          for (const event of events) records.push({ event, contactId: spec.objectType === 'contacts' ? rec.id : null, companyId });
        }
        lastId = found.at(-1)?.id ?? lastId;
        const last = found.length < ctx.config.searchPageSize;
        const done = last && part === PARTS.length - 1;
        if (done) since = run.until;
        yield { records, checkpoint: done ? { since } : { since, run: last ? { ...base, part: part + 1 } : { ...base, part, lastId: lastId! } } };
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
