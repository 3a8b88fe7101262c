// The sync engine: runs one connector stream into the unified model. Each batch is mapped,
// then written together with its checkpoint and the run's counters in one transaction (batches
// a source has ready back to back may share that transaction, each with its checkpoint), so a
// crash at any point neither loses nor double-applies a batch (Airbyte's rule: state only
// after the data it covers is stored).
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { BatchResult, BatchWrite } from '@revloop/store';
import type { Runtime } from '../runtime.js';
import type { StreamDefinition, SyncMode } from '../contract/connector.js';
import { RevloopError, errorMessage, isRevloopError } from '../errors.js';
import { mapBatch, type RecordError } from './map-records.js';
import { readCheckpoint } from './checkpoint.js';
import { secretStripperFor } from './strip-secrets.js';
import { assertConfiguredUrls } from '../context/outbound-config.js';

export interface SyncProgress {
  connector: string;
  stream: string;
  batches: number;
  read: number;
  written: number;
  failed: number;
  deleted: number;
}

export interface SyncOptions {
  mode?: SyncMode;
  /** stop between batches (the last checkpoint stays) */
  signal?: AbortSignal;
  onProgress?: (progress: SyncProgress) => void;
  /**
   * commit consecutive batches the source has ready together, up to this many records per
   * transaction (1 = one transaction per batch). Default: SYNC_GROUP_RECORDS, or 1 when
   * onProgress is given (so that a caller can stop the run after any batch).
   */
  groupRecords?: number;
}

/**
 * Batches a source has ready one after another are committed together up to this many records
 * (each batch still with its own checkpoint and counters, all in the one transaction). On SQLite
 * a commit writes every page it touched to the WAL: a randomly-keyed index (contacts by account)
 * touches about one page per record at 1,000-record commits, far fewer per record in larger ones.
 */
export const SYNC_GROUP_RECORDS = 20_000;
/** ...and for at most this long (wall time since the group's first batch was read) */
export const SYNC_GROUP_MS = 100;

interface PendingBatch {
  write: BatchWrite;
  read: number;
  failed: number;
}

export interface SyncRunSummary extends SyncProgress {
  runId: string;
  mode: SyncMode;
  status: 'succeeded' | 'failed' | 'interrupted';
  durationMs: number;
  error?: string;
  errors: RecordError[];
}

const MAX_STORED_ERRORS = 100;
const running = new Set<string>();

export async function syncStream(runtime: Runtime, connectorName: string, streamName: string, options: SyncOptions = {}): Promise<SyncRunSummary> {
  const instance = runtime.connector(connectorName);
  const stream = instance.definition.streams.find((s) => s.name === streamName) as StreamDefinition | undefined;
  if (!stream) {
    throw new RevloopError('STREAM_UNKNOWN', `connector "${connectorName}" has no stream "${streamName}"`, {
      where: `connectors.${connectorName}`,
      fix: `use one of: ${instance.definition.streams.map((s) => s.name).join(', ')}`,
      kind: 'bad_input',
    });
  }
  const lockKey = `${connectorName}/${streamName}`;
  if (running.has(lockKey)) {
    throw new RevloopError('SYNC_ALREADY_RUNNING', `a sync of ${lockKey} is already running in this process`, { fix: 'wait for it to finish' });
  }
  running.add(lockKey);
  try {
    return await runLocked(runtime, connectorName, stream, options);
  } finally {
    running.delete(lockKey);
  }
}

async function runLocked(runtime: Runtime, connectorName: string, stream: StreamDefinition, options: SyncOptions): Promise<SyncRunSummary> {
  const { store, clock } = runtime;
  const ctx = runtime.contextFor(runtime.connector(connectorName));
  // the vendor SDK sends to the URLs in the config: refused before the run starts
  await assertConfiguredUrls(runtime, runtime.connector(connectorName));
  const mode: SyncMode = options.mode ?? 'incremental';
  const signal = anySignal([options.signal, runtime.signal]);
  const startedAt = clock.now();
  const t0 = performance.now();
  const runId = randomUUID();
  const progress: SyncProgress = { connector: connectorName, stream: stream.name, batches: 0, read: 0, written: 0, failed: 0, deleted: 0 };
  const errors: RecordError[] = [];
  const log = ctx.log.child({ stream: stream.name, run: runId });
  // the connector's secret() config values are stripped from every record before it is stored
  const strip = secretStripperFor(runtime.connector(connectorName));

  // a run left 'running' by a process that died is not running any more
  await store.db
    .updateTable('sync_runs')
    .set({ status: 'interrupted', error: 'the process running this sync stopped before it finished' })
    .where('connector', '=', connectorName)
    .where('stream', '=', stream.name)
    .where('status', '=', 'running')
    .execute();

  const checkpoint = mode === 'full' ? undefined : await readCheckpoint(store, connectorName, stream.name, stream.checkpoint);
  await store.db
    .insertInto('sync_runs')
    .values({ id: runId, connector: connectorName, stream: stream.name, mode, status: 'running', started_at: startedAt, records_read: 0, records_written: 0, records_failed: 0, records_deleted: 0, error: null, errors: null, finished_at: null })
    .execute();
  log.info({ mode, resumeFrom: checkpoint === undefined ? null : 'checkpoint' }, 'sync started');

  let status: SyncRunSummary['status'] = 'succeeded';
  let failure: unknown;
  // onProgress promises a report after every stored batch, early enough to stop before the next
  // one: an observed run commits batch by batch unless its caller asks for grouping
  const groupLimit = Math.max(1, options.groupRecords ?? (options.onProgress ? 1 : SYNC_GROUP_RECORDS));
  let pending: PendingBatch[] = [];
  let pendingRecords = 0;
  let pendingSince = 0;

  const account = (p: PendingBatch, result: BatchResult) => {
    progress.batches++;
    progress.read += p.read;
    progress.written += result.written;
    progress.failed += p.failed;
    progress.deleted += result.deleted + result.merged;
    options.onProgress?.({ ...progress });
  };
  /** commits the pending batches (each with its checkpoint and counters) in one transaction */
  const flush = async () => {
    if (pending.length === 0) return;
    const group = pending;
    pending = [];
    pendingRecords = 0;
    if (group.length === 1) return account(group[0]!, await store.applyBatch(group[0]!.write));
    let results: BatchResult[];
    try {
      results = await store.applyBatches(group.map((p) => p.write));
    } catch {
      // the whole group rolled back: write its batches one by one, so that every batch before a
      // bad one is stored with its checkpoint, exactly as without grouping (the bad one throws)
      for (const p of group) account(p, await store.applyBatch(p.write));
      return;
    }
    group.forEach((p, i) => account(p, results[i]!));
  };

  const iterator = stream.read(ctx, { checkpoint, mode })[Symbol.asyncIterator]();
  let exhausted = false;
  try {
    for (;;) {
      const next = iterator.next();
      if (pending.length) {
        // Group the next batch with the pending ones only when the source already has it (an
        // in-memory or file source); a source waiting on the network first gets what it has
        // read so far committed, so nothing waits uncommitted on a slow page.
        let ready = false;
        next.then(() => (ready = true), () => (ready = true));
        await new Promise<void>((resolve) => setImmediate(resolve));
        if (!ready) await flush();
      }
      const step = await next;
      if (step.done) {
        exhausted = true;
        break;
      }
      const batch = step.value;
      const { mapped, also, errors: batchErrors } = await mapBatch(stream, ctx, batch.records, strip);
      if (batchErrors.length && stream.failOnMappingError) {
        throw new RevloopError('RECORD_MAPPING_FAILED', `record ${batchErrors[0]!.recordId} could not be mapped: ${batchErrors[0]!.message}`, {
          where: `${connectorName}/${stream.name}`,
          fix: 'fix the record in the vendor system or the stream mapping; the batch was not written',
        });
      }
      for (const e of batchErrors) {
        if (errors.length < MAX_STORED_ERRORS) errors.push(e);
        log.warn({ recordId: e.recordId, reason: e.message }, 'record skipped: mapping failed');
      }
      if (pending.length === 0) pendingSince = performance.now();
      // records of the other entity types the stream emits: stored in the same transaction, before
      // the batch that carries the checkpoint
      for (const [entityType, records] of also) {
        pending.push({ write: { system: connectorName, entityType, records, run: { id: runId, read: 0, failed: 0 }, syncedAt: clock.now() }, read: 0, failed: 0 });
        pendingRecords += records.length;
      }
      pending.push({
        write: {
          system: connectorName,
          entityType: stream.entity,
          records: mapped,
          deletes: batch.deletes,
          merges: batch.merges,
          checkpoint: { connector: connectorName, stream: stream.name, value: batch.checkpoint },
          run: { id: runId, read: batch.records.length, failed: batchErrors.length },
          syncedAt: clock.now(),
        },
        read: batch.records.length,
        failed: batchErrors.length,
      });
      pendingRecords += mapped.length + (batch.deletes?.length ?? 0) + (batch.merges?.length ?? 0);
      if (pendingRecords >= groupLimit || performance.now() - pendingSince >= SYNC_GROUP_MS) await flush();
      // SQLite writes are synchronous: give signals, timers and HTTP requests a turn between batches
      await new Promise<void>((resolve) => setImmediate(resolve));
      if (signal?.aborted) {
        status = 'interrupted';
        log.info('stop requested: checkpoint saved after the last batch');
        break;
      }
    }
    await flush();
  } catch (e) {
    status = 'failed';
    failure = e;
    // the batches read before the failure are still stored, each with its checkpoint
    try {
      await flush();
    } catch (flushError) {
      log.warn({ error: ctx.redactor.text(errorMessage(flushError)) }, 'batches read before the failure could not be stored');
    }
  }
  if (!exhausted) {
    try {
      await iterator.return?.(); // let the stream close what it opened (as for-await's break does)
    } catch {
      // the stream's own failure is already reported
    }
  }

  const durationMs = performance.now() - t0;
  const error = failure === undefined ? undefined : ctx.redactor.text(errorMessage(failure));
  await store.db
    .updateTable('sync_runs')
    .set({
      status,
      finished_at: clock.now(),
      error: error ?? null,
      errors: errors.length ? ctx.redactor.text(JSON.stringify(errors)) : null,
    })
    .where('id', '=', runId)
    .execute();
  const summary: SyncRunSummary = { ...progress, runId, mode, status, durationMs, error, errors };
  if (failure !== undefined) {
    log.error({ error }, 'sync failed');
    if (isRevloopError(failure)) throw failure;
    throw new RevloopError('SYNC_FAILED', `sync of ${connectorName}/${stream.name} failed: ${error}`, {
      where: `${connectorName}/${stream.name}`,
      fix: 'the checkpoint of the last stored batch is kept; fix the cause and run the sync again to resume',
      cause: failure,
    });
  }
  log.info({ read: progress.read, written: progress.written, failed: progress.failed, durationMs: Math.round(durationMs) }, `sync ${status}`);
  return summary;
}

function anySignal(signals: (AbortSignal | undefined)[]): AbortSignal | undefined {
  const real = signals.filter((s): s is AbortSignal => !!s);
  if (real.length === 0) return undefined;
  if (real.length === 1) return real[0];
  return AbortSignal.any(real);
}

/** Sync every enabled connector's streams (or one connector / one stream). */
export async function syncAll(
  runtime: Runtime,
  filter: { connector?: string; stream?: string } = {},
  options: SyncOptions = {},
): Promise<{ runs: SyncRunSummary[]; failures: { connector: string; stream: string; error: RevloopError }[] }> {
  const runs: SyncRunSummary[] = [];
  const failures: { connector: string; stream: string; error: RevloopError }[] = [];
  const connectors = filter.connector ? [runtime.connector(filter.connector)] : [...runtime.registry.connectors.values()].filter((c) => c.enabled);
  for (const instance of connectors) {
    const streams = filter.stream ? [filter.stream] : (instance.streams ?? instance.definition.streams.map((s) => s.name));
    for (const streamName of streams) {
      if (runtime.signal.aborted || options.signal?.aborted) return { runs, failures };
      try {
        runs.push(await syncStream(runtime, instance.name, streamName, options));
      } catch (e) {
        if (isRevloopError(e) && e.kind === 'bad_input') throw e;
        failures.push({ connector: instance.name, stream: streamName, error: isRevloopError(e) ? e : new RevloopError('SYNC_FAILED', errorMessage(e)) });
      }
    }
  }
  return { runs, failures };
}
