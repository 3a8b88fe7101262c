// The read side shared by companies, contacts and deals.
//
// First sync (or a full refresh): the list endpoint, paged by `after` (= the next id), which
// neither caps nor shifts. Then every run: the search endpoint over [since - lookback, now),
// cut into windows of searchWindowMs, each window paged by keyset on hs_object_id (sorted
// ascending, `hs_object_id > lastId`), never by offset, so the 10,000-result cap of search paging
// never applies, a record changed while a window is read cannot shift another out of it, and
// records that share a modification time are neither lost nor read twice. The checkpoint moves
// with every page: mid-window it holds the last id, and the time cursor (`since`) moves only
// past fully read windows and the archived pass. Finally the archived list (search never returns
// archived records) turns archived ids into soft deletes, or merges for merged-away contacts.
import { z } from 'zod';
import type { MergeInstruction, PluginContext, StreamBatch, SyncMode } from '@revloop/core';
import type { HubSpotConfig } from './config.js';
import { hubspotFor, type HubSpotApi } from './client.js';
import { fromSdk, truncatedAssociations, type CrmObject } from './crm-object.js';
import { discoverProperties, readProperties } from './properties.js';
import { readAssociations } from './associations.js';
import { toMs } from './time.js';

export const crmCheckpointSchema = z
  .object({
    /** every change modified before this time is stored (null until the first sync finished its list) */
    since: z.number().nullable(),
    phase: z.enum(['list', 'search', 'archived', 'idle']),
    /** list / archived paging position */
    after: z.string().nullable(),
    /** when the list phase started (its records are at least this fresh) */
    listStartedAt: z.number().optional(),
    /** the run's search range [from, until) and the current window start and last id read in it */
    from: z.number().optional(),
    until: z.number().optional(),
    lo: z.number().optional(),
    lastId: z.string().nullable().optional(),
    /** archived records archived at or after this time become deletes */
    archivedFrom: z.number().optional(),
  })
  .strict();
export type CrmCheckpoint = z.infer<typeof crmCheckpointSchema>;

export interface CrmStreamSpec {
  objectType: 'contacts' | 'companies' | 'deals';
  /** contacts: lastmodifieddate; companies and deals: hs_lastmodifieddate */
  modifiedProperty: string;
  standardProperties: readonly string[];
  /** association target types to read with every record */
  associations: readonly ('companies' | 'contacts')[];
  /** contacts: turn hs_merged_object_ids into merges, and archived losers into merges instead of deletes */
  merges?: boolean;
}

type Batch = StreamBatch<CrmObject, CrmCheckpoint>;

export async function* readCrm(ctx: PluginContext<HubSpotConfig>, spec: CrmStreamSpec, input: { checkpoint: CrmCheckpoint | undefined; mode: SyncMode }): AsyncGenerator<Batch> {
  const api = hubspotFor(ctx);
  const config = ctx.config;
  const catalog = await discoverProperties(api, spec.objectType);
  const properties = readProperties(catalog, spec.standardProperties);
  const readStartedAt = ctx.clock.now();
  let cp: CrmCheckpoint = input.mode === 'full' || !input.checkpoint ? { since: null, phase: 'list', after: null, listStartedAt: ctx.clock.now() } : { ...input.checkpoint };

  for (;;) {
    if (cp.phase === 'list') {
      const page = await api.call(`list ${spec.objectType}`, (sdk) =>
        sdk.crm.objects.basicApi.getPage(spec.objectType, config.pageSize, cp.after ?? undefined, properties, undefined, spec.associations.length ? [...spec.associations] : undefined, false),
      );
      const records = await withAllAssociations(api, spec, page.results);
      const next = page.paging?.next?.after;
      cp = next
        ? { ...cp, after: next }
        : // listing done: continue with a search run from the list's start (changes made while listing)
          startSearch({ since: cp.listStartedAt!, phase: 'idle', after: null }, ctx, 0);
      yield { records, merges: spec.merges ? mergesOf(records) : undefined, checkpoint: cp };
      continue;
    }
    if (cp.phase === 'idle') {
      cp = startSearch(cp, ctx, undefined);
      continue;
    }
    if (cp.phase === 'search') {
      const until = cp.until!;
      if (cp.lo! >= until) {
        cp = { ...cp, phase: 'archived', after: null };
        continue;
      }
      const lo = cp.lo!;
      const hi = Math.min(lo + config.searchWindowMs, until);
      const filters = [
        { propertyName: spec.modifiedProperty, operator: 'GTE', value: String(lo) },
        { propertyName: spec.modifiedProperty, operator: 'LT', value: String(hi) },
        ...(cp.lastId ? [{ propertyName: 'hs_object_id', operator: 'GT', value: cp.lastId }] : []),
      ];
      const res = await api.call(
        `search ${spec.objectType}`,
        (sdk) =>
          sdk.crm.objects.searchApi.doSearch(spec.objectType, {
            filterGroups: [{ filters: filters as never }],
            sorts: [{ propertyName: 'hs_object_id', direction: 'ASCENDING' } as never],
            properties,
            limit: config.searchPageSize,
            after: undefined as never,
          }),
        { search: true },
      );
      const found = res.results.map((r) => fromSdk(r));
      const records = await withAssociations(api, spec, found);
      const windowDone = records.length < config.searchPageSize;
      cp = windowDone ? { ...cp, lo: hi, lastId: null } : { ...cp, lastId: records[records.length - 1]!.id };
      // empty windows are not written one by one; their progress travels with the next batch
      if (records.length === 0 && hi < until) continue;
      yield { records, merges: spec.merges ? mergesOf(records) : undefined, checkpoint: cp };
      continue;
    }
    // archived pass: search never returns archived records, the archived list does (all of them,
    // id order, no time filter): keep those archived inside this run's range
    const page = await api.call(`list archived ${spec.objectType}`, (sdk) =>
      sdk.crm.objects.basicApi.getPage(spec.objectType, config.pageSize, cp.after ?? undefined, ['hs_object_id'], undefined, undefined, true),
    );
    const archivedFrom = cp.archivedFrom ?? 0;
    const archived = page.results
      .map((r) => ({ id: String(r.id), at: toMs(r.archivedAt ?? r.updatedAt) ?? 0 }))
      .filter((r) => r.at >= archivedFrom)
      .map((r) => r.id);
    const { deletes, merges } = spec.merges ? await classifyArchivedContacts(api, archived) : { deletes: archived, merges: [] };
    const next = page.paging?.next?.after;
    const finished = cp.until!;
    cp = next ? { ...cp, after: next } : { since: finished, phase: 'idle', after: null };
    yield { records: [], deletes, merges, checkpoint: cp };
    // a resumed run finished an older range: go on up to now
    if (!next && finished >= readStartedAt) return;
  }
}

/** a search run over [since - lookback, now) */
function startSearch(cp: CrmCheckpoint, ctx: PluginContext<HubSpotConfig>, archivedFrom: number | undefined): CrmCheckpoint {
  const from = Math.max(0, (cp.since ?? 0) - ctx.config.lookbackMs);
  const until = Math.max(from, ctx.clock.now());
  return { since: cp.since, phase: 'search', after: null, from, until, lo: from, lastId: null, archivedFrom: archivedFrom ?? from };
}

/**
 * the list endpoint embeds one page of associations per type; a record with more says so with
 * `paging.next` on that type, and its associations of that type are read in full (v4 batch read,
 * which follows each record's own paging) instead of being cut
 */
async function withAllAssociations(api: HubSpotApi, spec: CrmStreamSpec, results: unknown[]): Promise<CrmObject[]> {
  const records = results.map((r) => fromSdk(r));
  const truncated = truncatedAssociations(results);
  if (!truncated.size) return records;
  const full = new Map<string, Map<string, string[]>>();
  for (const [toType, ids] of truncated) full.set(toType, await readAssociations(api, spec.objectType, toType, ids));
  return records.map((r) => {
    let associations = r.associations;
    for (const [toType, byId] of full) {
      const ids = byId.get(r.id);
      if (ids) associations = { ...associations, [toType]: ids };
    }
    return associations === r.associations ? r : { ...r, associations };
  });
}

/** search returns no associations: read them (v4 batch) for the record types that need them */
async function withAssociations(api: HubSpotApi, spec: CrmStreamSpec, records: CrmObject[]): Promise<CrmObject[]> {
  if (!records.length || !spec.associations.length) return records;
  const ids = records.map((r) => r.id);
  const byType = new Map<string, Map<string, string[]>>();
  for (const toType of spec.associations) byType.set(toType, await readAssociations(api, spec.objectType, toType, ids));
  return records.map((r) => {
    const associations: Record<string, string[]> = {};
    for (const [toType, map] of byType) {
      const ids = map.get(r.id);
      if (ids?.length) associations[toType] = ids;
    }
    return { ...r, associations };
  });
}

/** the survivor of a merge lists the merged-away ids in hs_merged_object_ids (";"-separated) */
export function mergesOf(records: CrmObject[]): MergeInstruction[] {
  const merges: MergeInstruction[] = [];
  for (const r of records) {
    for (const loser of (r.properties.hs_merged_object_ids ?? '').split(';').map((s) => s.trim()).filter(Boolean)) {
      if (loser !== r.id) merges.push({ loserSystemId: loser, winnerSystemId: r.id });
    }
  }
  return merges;
}

/**
 * An archived contact is either deleted or merged away. A merged-away id still resolves (to the
 * survivor) on a batch read; a deleted one is reported missing. Soft-deleting a merged-away id
 * would delete the survivor (the identity map already points it there), so it becomes a merge.
 */
async function classifyArchivedContacts(api: HubSpotApi, ids: string[]): Promise<{ deletes: string[]; merges: MergeInstruction[] }> {
  const deletes: string[] = [];
  const merges: MergeInstruction[] = [];
  for (let i = 0; i < ids.length; i += 100) {
    const chunk = ids.slice(i, i + 100);
    const res = await api.call('batch read archived contacts', (sdk) =>
      sdk.crm.contacts.batchApi.read({ inputs: chunk.map((id) => ({ id })), properties: ['hs_merged_object_ids'], propertiesWithHistory: [] }, false),
    );
    const survivorOf = new Map<string, string>();
    for (const r of res.results) {
      for (const loser of (r.properties.hs_merged_object_ids ?? '').split(';').map((s) => s.trim())) if (loser) survivorOf.set(loser, String(r.id));
    }
    for (const id of chunk) {
      const winner = survivorOf.get(id);
      if (winner && winner !== id) merges.push({ loserSystemId: id, winnerSystemId: winner });
      else deletes.push(id);
    }
  }
  return { deletes, merges };
}
