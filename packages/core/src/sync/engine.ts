// The sync engine: runs one connector stream into the unified model. Each batch is mapped,
// then written together with its checkpoint and the run's counters in one transaction, so a
// crash at any point neither loses nor double-applies a batch (Airbyte's rule: state only
// after the data it covers is stored).
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { Runtime } from '../runtime.js';
import type { StreamDefinition, SyncMode } from '../contract/connector.js';
import { RevloopError, errorMessage, isRevloopError } from '../errors.js';
import { mapBatch, type RecordError } from './map-records.js';
import { readCheckpoint } from './checkpoint.js';

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
  const mode: SyncMode = options.mode ?? 'incremental';
  const signal = anySignal([options.signal, runtime.signal]);
  const startedAt = clock.now();
  const t0 = performance.now();
  const runId = randomUUID();
  const progress: SyncProgress = { connector: connectorName, stream: stream.name, batches: 0, read: 0, written: 0, failed: 0, deleted: 0 };
  const errors: RecordError[] = [];
  const log = ctx.log.child({ stream: stream.name, run: runId });

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
  try {
    for await (const batch of stream.read(ctx, { checkpoint, mode })) {
      const { mapped, errors: batchErrors } = mapBatch(stream, ctx, batch.records);
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
      const result = await store.applyBatch({
        system: connectorName,
        entityType: stream.entity,
        records: mapped,
        deletes: batch.deletes,
        merges: batch.merges,
        checkpoint: { connector: connectorName, stream: stream.name, value: batch.checkpoint },
        run: { id: runId, read: batch.records.length, failed: batchErrors.length },
        syncedAt: clock.now(),
      });
      progress.batches++;
      progress.read += batch.records.length;
      progress.written += result.written;
      progress.failed += batchErrors.length;
      progress.deleted += result.deleted + result.merged;
      options.onProgress?.({ ...progress });
      // SQLite writes are synchronous: give signals, timers and HTTP requests a turn between batches
      await new Promise<void>((resolve) => setImmediate(resolve));
      if (signal?.aborted) {
        status = 'interrupted';
        log.info('stop requested: checkpoint saved after the last batch');
        break;
      }
    }
  } catch (e) {
    status = 'failed';
    failure = e;
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
