// Where the closed loop's market data comes from and how its decisions reach the market: either
// directly (in-process, for benchmarks) or through the vendor connectors and the sandbox's
// emulators of their APIs (what `revloop run` shows a user).
import type { Executor, IngestResult, RevloopConfigInput, Runtime, WorkflowInput } from '@revloop/core';
import type { Market, Sandbox } from '@revloop/sandbox';

export type LoopVia = 'direct' | 'connectors';

/** what one day's ingest brought into the unified model (direct: rows per entity type) */
export type IngestDay = IngestResult;

export interface LoopSource {
  via: LoopVia;
  market: Market;
  /** connector path: the running emulators (tests look at the vendor side through it) */
  sandbox?: Sandbox;
  /** the config's connectors */
  connectors: NonNullable<RevloopConfigInput['connectors']>;
  /** the workflow's execute step: channel → connector action and its input template */
  executeTargets: Record<string, { action: string; input: Record<string, unknown> }>;
  /** the workflow's offline-conversion uploads (the loop's last step); none on the direct path */
  conversions?: WorkflowInput['conversions'];
  /** how decisions are executed (undefined: core's default, connector actions through runAction) */
  executor?: Executor;
  /**
   * bring what the market produced since the last call into the unified model; absent: the loop's
   * own first step, an incremental sync of every configured connector (what `revloop serve` does)
   */
  ingest?: (runtime: Runtime) => Promise<IngestDay>;
  stop(): Promise<void>;
}
