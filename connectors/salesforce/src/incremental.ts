// The incremental read every stream shares:
// 1. describe → the SELECT list (standard fields + every custom __c field);
// 2. keyset pages ordered by (SystemModstamp, Id): `SystemModstamp >= cursor − lookback` on the
//    first page of a run, then `(SystemModstamp > s OR (SystemModstamp = s AND Id > id))`, each page a
//    fresh LIMITed query. SystemModstamp has whole-second precision, so thousands of records can
//    share one value: the Id tiebreak neither loses nor repeats them across a page boundary;
// 3. deletes since the last run through getDeleted (minute precision, 30-day window), checkpointed
//    on latestDateCovered; merged records (MasterRecordId, only visible to queryAll) become merges.
import { z } from 'zod';
import type { MergeInstruction, PluginContext, StreamBatch, SyncMode } from '@revloop/core';
import { clientFor, queryAll, type QueryPage } from './client.js';
import type { SalesforceConfig } from './config.js';
import { floorToMinute, parseSfDateTime } from './datetime.js';
import { discoverFields } from './describe.js';
import { afterKeyset, chunk, soqlDateTime, soqlIn } from './soql.js';

export const checkpointSchema = z
  .object({
    /** (SystemModstamp, Id) of the last record stored */
    modstamp: z.number().nullable(),
    id: z.string().nullable(),
    /** getDeleted resumes here (a latestDateCovered) */
    deletesFrom: z.number().nullable(),
  })
  .strict();
export type SfCheckpoint = z.infer<typeof checkpointSchema>;

export type SfRecord = Record<string, unknown> & { Id: string; SystemModstamp: string };

export interface ObjectSpec {
  sobject: string;
  /** standard fields the stream maps (Id and the system timestamps are added) */
  fields: readonly string[];
  /** deletes arrive through getDeleted; `merges`: a deleted record with MasterRecordId is a merge */
  deletes: 'getDeleted' | 'none';
  merges?: boolean;
  /** split a page into records to upsert and merges the records themselves announce (converted leads) */
  split?(records: SfRecord[]): { records: SfRecord[]; merges: MergeInstruction[] };
}

const SYSTEM_FIELDS = ['Id', 'CreatedDate', 'LastModifiedDate', 'SystemModstamp'];
const DAY_MS = 86_400_000;
/** getDeleted refuses a start more than 30 days back; keep a margin for clock skew */
const REPLICATION_WINDOW_MS = 30 * DAY_MS - 10 * 60_000;
const MERGE_LOOKUP_CHUNK = 200;

const deletedSchema = z.looseObject({
  deletedRecords: z.array(z.looseObject({ id: z.string(), deletedDate: z.string() })),
  earliestDateAvailable: z.string().optional(),
  latestDateCovered: z.string(),
});

export async function* readIncremental(
  ctx: PluginContext<SalesforceConfig>,
  spec: ObjectSpec,
  input: { checkpoint: SfCheckpoint | undefined; mode: SyncMode },
): AsyncIterable<StreamBatch<SfRecord, SfCheckpoint>> {
  const client = clientFor(ctx);
  const { pageSize, lookbackMs } = ctx.config;
  const runStart = ctx.clock.now();
  const previous = input.mode === 'incremental' ? input.checkpoint : undefined;
  const log = ctx.log.child({ sobject: spec.sobject });

  const { fields, custom } = await discoverFields(ctx, spec.sobject, [...SYSTEM_FIELDS, ...spec.fields.filter((f) => !SYSTEM_FIELDS.includes(f))]);
  if (custom.length) log.debug({ custom }, 'custom fields discovered');

  let cp: SfCheckpoint = previous ?? { modstamp: null, id: null, deletesFrom: null };
  let first = true;
  for (;;) {
    let where = '';
    if (cp.modstamp !== null && cp.id !== null) {
      where = first && lookbackMs > 0 ? `SystemModstamp >= ${soqlDateTime(cp.modstamp - lookbackMs)}` : afterKeyset(cp.modstamp, cp.id);
    }
    first = false;
    const soql = `SELECT ${fields.join(', ')} FROM ${spec.sobject}${where ? ` WHERE ${where}` : ''} ORDER BY SystemModstamp ASC, Id ASC LIMIT ${pageSize}`;
    const page = await client.request<QueryPage<SfRecord>>({ method: 'GET', url: `/query?q=${encodeURIComponent(soql)}` }, `query ${spec.sobject}`);
    let records = page.records;
    let next = page.nextRecordsUrl;
    while (!page.done && next && records.length < pageSize) {
      const more = await client.request<QueryPage<SfRecord>>({ method: 'GET', url: next }, `queryMore ${spec.sobject}`);
      records = records.concat(more.records);
      next = more.done ? undefined : more.nextRecordsUrl;
    }
    if (records.length === 0) break;
    const last = records[records.length - 1]!;
    const stamp = parseSfDateTime(last.SystemModstamp);
    if (stamp === null) throw new Error(`${spec.sobject} ${last.Id} has no readable SystemModstamp: ${String(last.SystemModstamp)}`);
    cp = { ...cp, modstamp: stamp, id: last.Id };
    const split = spec.split ? spec.split(records) : { records, merges: [] };
    yield { records: split.records, merges: split.merges.length ? split.merges : undefined, checkpoint: cp };
    if (records.length < pageSize) break;
  }

  if (spec.deletes === 'none') return;
  yield* readDeletes(ctx, spec, cp, runStart);
}

async function* readDeletes(ctx: PluginContext<SalesforceConfig>, spec: ObjectSpec, cp: SfCheckpoint, runStart: number): AsyncIterable<StreamBatch<SfRecord, SfCheckpoint>> {
  const client = clientFor(ctx);
  const now = ctx.clock.now();
  // a first sync reads no deleted records, so deletes matter from the moment it started
  let from = cp.deletesFrom ?? floorToMinute(runStart);
  if (from < now - REPLICATION_WINDOW_MS) {
    ctx.log.warn({ sobject: spec.sobject, from: new Date(from).toISOString() }, 'deletes older than 30 days cannot be read from Salesforce: run a full refresh to catch up');
    from = floorToMinute(now - REPLICATION_WINDOW_MS);
  }
  const url = `/sobjects/${spec.sobject}/deleted/?start=${encodeURIComponent(new Date(from).toISOString())}&end=${encodeURIComponent(new Date(Math.max(now, from)).toISOString())}`;
  const body = deletedSchema.parse(await client.request({ method: 'GET', url }, `getDeleted ${spec.sobject}`));
  const earliest = parseSfDateTime(body.earliestDateAvailable);
  if (earliest !== null && from < earliest) ctx.log.warn({ sobject: spec.sobject }, 'the delete log no longer covers the last run: some deletes may be missed; run a full refresh');
  const covered = parseSfDateTime(body.latestDateCovered) ?? from;
  // never move backwards: latestDateCovered can be earlier than the end asked for
  const done: SfCheckpoint = { ...cp, deletesFrom: Math.max(from, covered) };
  const ids = body.deletedRecords.map((r) => r.id);
  if (ids.length === 0) {
    yield { records: [], checkpoint: done };
    return;
  }
  const chunks = chunk(ids, MERGE_LOOKUP_CHUNK);
  for (let i = 0; i < chunks.length; i++) {
    const idsHere = chunks[i]!;
    const merges: MergeInstruction[] = [];
    if (spec.merges) {
      // MasterRecordId is only visible on the deleted record, through queryAll
      const rows = await queryAll<{ Id: string; MasterRecordId: string | null }>(
        client,
        `SELECT Id, MasterRecordId FROM ${spec.sobject} WHERE Id IN ${soqlIn(idsHere)} AND IsDeleted = true`,
        `merge lookup ${spec.sobject}`,
        true,
      );
      for (const r of rows) if (r.MasterRecordId) merges.push({ loserSystemId: r.Id, winnerSystemId: r.MasterRecordId });
    }
    const merged = new Set(merges.map((m) => m.loserSystemId));
    const deletes = idsHere.filter((id) => !merged.has(id));
    // only the last chunk advances deletesFrom: a stop in between re-reads (deletes are idempotent)
    yield { records: [], deletes, merges: merges.length ? merges : undefined, checkpoint: i === chunks.length - 1 ? done : cp };
  }
}
