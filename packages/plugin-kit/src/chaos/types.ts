// The shapes an author fills in to run the chaos suite (issue #27) on a connector's actions.
import type { Clock, ConnectorDefinition } from '@revloop/core';

/** the four faults of issue #27 */
export type ChaosFault = 'sigkill' | 'error-after-write' | 'drop-after-write' | 'record-lost';
export const CHAOS_FAULTS: readonly ChaosFault[] = ['sigkill', 'error-after-write', 'drop-after-write', 'record-lost'];

/** what a link in front of a vendor endpoint does to the writes that cross it */
export interface ChaosLinkOptions {
  /** 'pass' forwards everything; the others answer a share of the writes with an error / a dropped connection AFTER the vendor applied them */
  fault: 'pass' | 'error-after' | 'drop-after';
  /** share of writes faulted (the first write always is, so a run cannot pass without a fault) */
  rate: number;
  seed: number;
  /**
   * asked as each write arrives (after writes() counted it): true holds its answer once the vendor
   * applied it, so a kill lands before the client hears it. A link that cannot hold ignores it.
   */
  hold?: () => boolean;
}

export interface ChaosLink {
  /** the address the connector's config takes instead of the emulator's */
  url: string;
  /** writes that arrived at the link so far */
  writes(): number;
  /** true when the link honours hold */
  canHold: boolean;
  /** writes applied by the vendor whose answer is held now or was held */
  held(): number;
  /** writes faulted so far (error or dropped after the write) */
  faults(): number;
  close(): Promise<void>;
}

/** one address of the vendor the connector talks to */
export interface ChaosEndpoint {
  /** the emulator's address, as the connector's config takes it */
  url: string;
  /** which HTTP requests are writes (default: any method but GET and HEAD); reads are never faulted */
  isWrite?: (method: string, path: string) => boolean;
  /** a link of the author's own (e.g. a gRPC proxy); default: the kit's HTTP fault proxy */
  link?: (options: ChaosLinkOptions) => Promise<ChaosLink>;
}

/** a fresh emulator holding what the items need, and how to reach it and count in it */
export interface ChaosWorld<Item> {
  /** the N items to write, each counted in the vendor by its keys */
  items: Item[];
  /** named vendor addresses; a link is put in front of each */
  endpoints: Record<string, ChaosEndpoint>;
  /** the connector's config reaching the vendor at these addresses (same names as endpoints) */
  config(urls: Record<string, string>): Record<string, unknown>;
  /** vendor records (or effects) per key, read from the emulator's own state */
  effects(): Map<string, number> | Promise<Map<string, number>>;
  /**
   * vendor writes applied so far, read from the emulator: the SIGKILL run's kill moments follow
   * it when the connector crosses no link (no endpoints, e.g. a file as the vendor)
   */
  writes?(): number;
  /** values of env('...') references in this world's config (over the options' env) */
  env?: Record<string, string>;
  /** the clock of in-process runs (default: a simulated clock at the options' clockStart) */
  clock?: Clock;
  close(): Promise<void>;
}

export interface ChaosActionCase<Item = unknown> {
  /** the action's name in the connector */
  action: string;
  /** the name in test titles and report lines when it is not the action's (e.g. a variant of its config) */
  label?: string;
  /** a fresh world (one per fault) */
  world(): Promise<ChaosWorld<Item>>;
  /** the keys an item's vendor effect is counted by (items may share a key, e.g. one audience) */
  keysOf(item: Item): string[];
  /** one runAction input for these items */
  input(items: Item[]): unknown;
  /** items per runAction call (default 4) */
  batchSize?: number;
  /** the keys a call's result reports written (default: every key of its items once runAction resolved) */
  okKeys?(result: unknown, items: Item[]): string[];
  /** a fault that cannot happen to this action, with the reason printed in its line */
  notApplicable?: Partial<Record<ChaosFault, string>>;
  /**
   * a fault whose duplicates the connector cannot prevent (no vendor-side key to look up), with the
   * reason: the run still asserts 0 missing and every ok backed, and prints its duplicates as a
   * known limit instead of failing on them. Say why in the connector's BEHAVIOR.md.
   */
  knownLimits?: Partial<Record<ChaosFault, string>>;
}

export interface ActionChaosOptions {
  connector: ConnectorDefinition;
  /** how the SIGKILL child imports the connector: a package name or an absolute path */
  module: string;
  /** the export holding the connector (default 'default') */
  exportName?: string;
  /** the connector instance's name in config */
  name: string;
  /** values of env('...') references in the config */
  env?: Record<string, string>;
  /** node flags of the child (a TypeScript loader, the network guard) */
  execArgv?: string[];
  /** start of the simulated clock of the child and of in-process runs (default 2024-01-01) */
  clockStart?: number;
  actions: ChaosActionCase<any>[];
  /** seeds kill moments and fault draws (default 27) */
  seed?: number;
  /** kills per SIGKILL run (default 3) */
  kills?: number;
  /** SIGKILL runs at once, each with its own world and child (default 2, at most the machine's cores; 1: one after the other) */
  parallelKills?: number;
  /** share of writes faulted in the after-write runs (default 0.3) */
  faultRate?: number;
  /** per-run timeout, ms (default 60 000); a SIGKILL test's covers the runs ahead of it too */
  timeoutMs?: number;
}

/** one runAction call of a run: its input and the keys of its items */
export interface ChaosCall {
  input: unknown;
  keys: string[];
  /** index range of its items in world.items */
  from: number;
  to: number;
}

/** what one action × fault run found */
export interface ChaosTally {
  intended: number;
  duplicated: number;
  missing: number;
  okUnbacked: number;
  /** keys reported ok by some call */
  reportedOk: number;
  /** a few offending keys (duplicated ×n, missing, ok-unbacked), for the failure message */
  examples: string[];
}
