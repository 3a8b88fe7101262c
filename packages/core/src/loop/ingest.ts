// The loop's first step: an incremental sync of every enabled connector (the streams its config
// names, else all of them). Connectors run side by side, each one's streams in order: a CRM's
// contacts need its companies first; HubSpot and the ad platforms do not wait for each other.
import { performance } from 'node:perf_hooks';
import type { Runtime } from '../runtime.js';
import { errorMessage, isRevloopError } from '../errors.js';
import { syncStream } from '../sync/engine.js';

/** what one ingest brought into the unified model */
export interface IngestResult {
  /** rows written per connector/stream (or per entity type for an ingest that is not a sync) */
  written: Record<string, number>;
  /** streams that failed (their checkpoints stay: the next cycle resumes them) */
  failures: { stream: string; error: string }[];
  ms: number;
}

/** connector name → its streams, in the order they sync */
export type SyncPlan = Record<string, readonly string[]>;

export function defaultSyncPlan(runtime: Runtime): SyncPlan {
  const plan: SyncPlan = {};
  for (const c of runtime.registry.connectors.values()) {
    if (!c.enabled) continue;
    plan[c.name] = c.streams ?? c.definition.streams.map((s) => s.name);
  }
  return plan;
}

export async function syncConnectors(runtime: Runtime, options: { plan?: SyncPlan; signal?: AbortSignal } = {}): Promise<IngestResult> {
  const t0 = performance.now();
  const written: Record<string, number> = {};
  const failures: IngestResult['failures'] = [];
  await Promise.all(
    Object.entries(options.plan ?? defaultSyncPlan(runtime)).map(async ([connector, streams]) => {
      for (const stream of streams) {
        if (runtime.signal.aborted || options.signal?.aborted) return;
        const name = `${connector}/${stream}`;
        try {
          const run = await syncStream(runtime, connector, stream, { mode: 'incremental', signal: options.signal });
          written[name] = run.written;
          if (run.status !== 'succeeded') failures.push({ stream: name, error: run.error ?? run.status });
        } catch (e) {
          if (isRevloopError(e) && e.kind === 'bad_input') throw e;
          failures.push({ stream: name, error: errorMessage(e) });
        }
      }
    }),
  );
  return { written, failures, ms: performance.now() - t0 };
}
