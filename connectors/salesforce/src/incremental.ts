// The incremental read every stream shares:
// 1. describe → the SELECT list (standard fields + every custom __c field);
// 2. keyset pages ordered by (SystemModstamp, Id): `SystemModstamp >= cursor − lookback` on the
//    first page of a run, then `(SystemModstamp > s OR (SystemModstamp = s AND Id > id))`, each page a
//    fresh LIMITed query. SystemModstamp has whole-second precision, so thousands of records can
//    share one value: the Id tiebreak neither loses nor repeats them across a page boundary;
// 3. deletes since the last run through getDeleted (deletes.ts).
import { z } from 'zod';
import type { MergeInstruction, PluginContext, StreamBatch, SyncMode } from '@revloop/core';
import { clientFor, queryFirstPage, type QueryPage } from './client.js';
import { readDeletes } from './deletes.js';
import type { SalesforceConfig } from './config.js';
import { parseSfDateTime } from './datetime.js';
import { discoverFields } from './describe.js';
import { afterKeyset, soqlDateTime } from './soql.js';

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
    // every custom field is in the SELECT list: a long one goes through POST /composite (long-query.ts)
    const page = await queryFirstPage<SfRecord>(client, soql, `query ${spec.sobject}`);
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
