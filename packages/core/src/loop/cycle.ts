// The production loop as one job graph: sync → record outcomes and learn → decide and execute →
// upload outcomes to the ad platforms as offline conversions.
// `revloop serve` runs it on the wall clock (a cron schedule starts a cycle); `revloop run` runs
// the very same function on a simulated clock, one simulated day per cycle. Each step starts only
// after the one before it has committed: a workflow never decides on a half-synced store.
import { performance } from 'node:perf_hooks';
import type { Runtime } from '../runtime.js';
import { learnFromOutcomes, type LearnSummary } from '../workflow/feedback.js';
import { runWorkflow, type Executor, type WorkflowRunSummary } from '../workflow/engine.js';
import type { WorkflowConfig } from '../workflow/schema.js';
import { syncConnectors, type IngestResult } from './ingest.js';
import { uploadConversions, type ConversionUploadSummary } from './conversions.js';
import { resolveIdentities, type IdentityRunSummary } from '../identity/resolve.js';

export interface LoopCycleOptions {
  /** the workflows to run (default: every enabled workflow of the config) */
  workflows?: string[];
  /**
   * how new data reaches the unified model: by default an incremental sync of every enabled
   * connector; `false` skips the step (syncs scheduled on their own); the simulation's direct
   * path passes its in-process ingest
   */
  ingest?: false | ((runtime: Runtime, signal?: AbortSignal) => Promise<IngestResult>);
  /** how decisions reach the vendors (default: the connectors' actions) */
  executor?: Executor;
  /** after learning, before deciding: e.g. the simulation's reviewer deciding pending approvals */
  beforeDecide?: (runtime: Runtime) => Promise<void>;
  signal?: AbortSignal;
  /** each step as it starts (progress for a person watching) */
  onStep?: (step: LoopStep, workflow?: string) => void;
}

export type LoopStep = 'sync' | 'resolve' | 'learn' | 'decide' | 'upload';

export interface LoopCycleResult {
  ingest: IngestResult;
  /** identity resolution after the sync (undefined when identity.enabled is false) */
  identity?: IdentityRunSummary;
  learned: Record<string, LearnSummary>;
  runs: Record<string, WorkflowRunSummary>;
  /** per workflow, its conversion uploads */
  conversions: Record<string, ConversionUploadSummary[]>;
  /** ms per step */
  ms: { sync: number; resolve: number; learn: number; decide: number; upload: number };
  /** true when a shutdown stopped the cycle before its end */
  stopped: boolean;
}

export function loopWorkflows(runtime: Runtime, only?: string[]): string[] {
  const all = runtime.loaded.config.workflows as Record<string, WorkflowConfig>;
  return only ?? Object.keys(all).filter((name) => all[name]!.enabled !== false);
}

export async function runLoopCycle(runtime: Runtime, options: LoopCycleOptions = {}): Promise<LoopCycleResult> {
  const stopping = () => runtime.signal.aborted || !!options.signal?.aborted;
  const workflows = loopWorkflows(runtime, options.workflows);
  const result: LoopCycleResult = { ingest: { written: {}, failures: [], ms: 0 }, learned: {}, runs: {}, conversions: {}, ms: { sync: 0, resolve: 0, learn: 0, decide: 0, upload: 0 }, stopped: false };

  if (options.ingest !== false) {
    options.onStep?.('sync');
    const ingest = options.ingest ?? ((rt: Runtime, signal?: AbortSignal) => syncConnectors(rt, { signal }));
    result.ingest = await ingest(runtime, options.signal);
    result.ms.sync = result.ingest.ms;
  }
  if (stopping()) return { ...result, stopped: true };

  // one customer, one record: what the sync brought is linked to the entities it belongs to
  // before anything reads it (a no-op when nothing was synced since the last cycle)
  if (runtime.loaded.config.identity?.enabled !== false) {
    options.onStep?.('resolve');
    result.identity = await resolveIdentities(runtime.store, { now: runtime.clock.now(), config: runtime.loaded.config.identity });
    result.ms.resolve = result.identity.ms;
  }

  // outcomes are recorded and joined to their decisions before anything is decided: the models
  // that decide have learned from everything that came back
  let t0 = performance.now();
  for (const name of workflows) {
    options.onStep?.('learn', name);
    result.learned[name] = await learnFromOutcomes(runtime, name);
  }
  result.ms.learn = performance.now() - t0;
  if (stopping()) return { ...result, stopped: true };

  await options.beforeDecide?.(runtime);
  t0 = performance.now();
  for (const name of workflows) {
    if (stopping()) break;
    options.onStep?.('decide', name);
    result.runs[name] = await runWorkflow(runtime, name, { executor: options.executor, signal: options.signal });
  }
  result.ms.decide = performance.now() - t0;

  // the outcomes recorded by this cycle's learning step go to the ad platforms
  t0 = performance.now();
  for (const name of workflows) {
    if (stopping()) break;
    const uploads = (runtime.loaded.config.workflows[name] as WorkflowConfig).conversions ?? [];
    if (!uploads.length) continue;
    options.onStep?.('upload', name);
    result.conversions[name] = await uploadConversions(runtime, name, options.executor);
  }
  result.ms.upload = performance.now() - t0;
  return { ...result, stopped: stopping() };
}
