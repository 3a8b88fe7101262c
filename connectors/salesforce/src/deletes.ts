// Deletes since the last run through getDeleted (`/sobjects/{T}/deleted/?start=&end=`): minute
// precision, no further back than the replication window, checkpointed on latestDateCovered;
// merged records (MasterRecordId, only visible to queryAll) become merges.
// getDeleted refuses a window holding more than 600,000 ids with EXCEEDED_ID_LIMIT ("choose start
// and end dates that are closer together"): such a window is halved until it passes, each part
// checkpointed, and the next part tries the width that last passed (a mass delete of millions of
// records is read in a few steps, not refused for ever).
import { z } from 'zod';
import { RevloopError, type MergeInstruction, type PluginContext, type StreamBatch } from '@revloop/core';
import { clientFor, queryAll } from './client.js';
import type { SalesforceConfig } from './config.js';
import { floorToMinute, parseSfDateTime } from './datetime.js';
import type { ObjectSpec, SfCheckpoint, SfRecord } from './incremental.js';
import { chunk, soqlIn } from './soql.js';

const deletedSchema = z.looseObject({
  deletedRecords: z.array(z.looseObject({ id: z.string(), deletedDate: z.string() })),
  earliestDateAvailable: z.string().optional(),
  latestDateCovered: z.string(),
});
type Deleted = z.infer<typeof deletedSchema>;

const DAY_MS = 86_400_000;
const MINUTE = 60_000;
/** getDeleted refuses a start more than 30 days back; keep a margin for clock skew */
const REPLICATION_WINDOW_MS = 30 * DAY_MS - 10 * MINUTE;
const MERGE_LOOKUP_CHUNK = 200;
/** the narrowest window worth asking for: getDeleted counts whole minutes */
const MIN_WINDOW_MS = 2 * MINUTE;

const isIdLimit = (e: unknown) => (e as { errorCode?: string } | null)?.errorCode === 'EXCEEDED_ID_LIMIT';

export async function* readDeletes(ctx: PluginContext<SalesforceConfig>, spec: ObjectSpec, cp: SfCheckpoint, runStart: number): AsyncIterable<StreamBatch<SfRecord, SfCheckpoint>> {
  const client = clientFor(ctx);
  const now = ctx.clock.now();
  // a first sync reads no deleted records, so deletes matter from the moment it started
  let from = cp.deletesFrom ?? floorToMinute(runStart);
  if (from < now - REPLICATION_WINDOW_MS) {
    ctx.log.warn({ sobject: spec.sobject, from: new Date(from).toISOString() }, 'deletes older than 30 days cannot be read from Salesforce: run a full refresh to catch up');
    from = floorToMinute(now - REPLICATION_WINDOW_MS);
  }
  let width = Math.max(now, from) - from; // the whole gap first
  let current = cp;
  for (;;) {
    const end = Math.min(now, from + width);
    const url = `/sobjects/${spec.sobject}/deleted/?start=${encodeURIComponent(new Date(from).toISOString())}&end=${encodeURIComponent(new Date(Math.max(end, from)).toISOString())}`;
    let body: Deleted;
    try {
      body = deletedSchema.parse(await client.request({ method: 'GET', url }, `getDeleted ${spec.sobject}`));
    } catch (e) {
      if (!isIdLimit(e)) throw e;
      if (end - from <= MIN_WINDOW_MS) throw idLimitError(ctx, spec, from, end, e);
      width = Math.max(MIN_WINDOW_MS, floorToMinute((end - from) / 2));
      ctx.log.info({ sobject: spec.sobject, from: new Date(from).toISOString(), minutes: width / MINUTE }, 'getDeleted: more than 600,000 ids in the window (EXCEEDED_ID_LIMIT): asking for a narrower one');
      continue;
    }
    const earliest = parseSfDateTime(body.earliestDateAvailable);
    if (earliest !== null && from < earliest) ctx.log.warn({ sobject: spec.sobject }, 'the delete log no longer covers the last run: some deletes may be missed; run a full refresh');
    const covered = parseSfDateTime(body.latestDateCovered) ?? from;
    // never move backwards: latestDateCovered can be earlier than the end asked for
    const done: SfCheckpoint = { ...current, deletesFrom: Math.max(from, covered) };
    yield* batches(ctx, spec, current, done, body.deletedRecords.map((r) => r.id));
    current = done;
    // the window reached now, or Salesforce covered no further (nothing more to ask for)
    if (end >= now || done.deletesFrom! <= from) return;
    from = done.deletesFrom!;
  }
}

/** the ids of one window in merge-lookup chunks; only the last chunk carries the window's checkpoint */
async function* batches(ctx: PluginContext<SalesforceConfig>, spec: ObjectSpec, before: SfCheckpoint, done: SfCheckpoint, ids: string[]): AsyncIterable<StreamBatch<SfRecord, SfCheckpoint>> {
  if (ids.length === 0) {
    yield { records: [], checkpoint: done };
    return;
  }
  const client = clientFor(ctx);
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
    yield { records: [], deletes, merges: merges.length ? merges : undefined, checkpoint: i === chunks.length - 1 ? done : before };
  }
}

function idLimitError(ctx: PluginContext<SalesforceConfig>, spec: ObjectSpec, from: number, end: number, cause: unknown): RevloopError {
  return new RevloopError(
    'SALESFORCE_DELETES_TOO_DENSE',
    `getDeleted ${spec.sobject}: more than 600,000 records were deleted between ${new Date(from).toISOString()} and ${new Date(end).toISOString()} (EXCEEDED_ID_LIMIT), and the window cannot be narrowed further`,
    {
      where: `connectors.${ctx.name}: stream of ${spec.sobject}`,
      fix: 'run a full refresh of this stream (revloop sync --full): it re-reads what exists instead of the delete log',
      cause,
    },
  );
}
