// What a connector author provides to the conformance suite: a vendor (usually a loopback
// emulator) with data in it, a config that reaches it, and ways to change the vendor's data.
import type { Clock, ConnectorDefinition } from '@revloop/core';

export interface ActionProbe {
  /** the action's name and one input */
  name: string;
  input: unknown;
  /** how many writes the vendor has received so far (read from the emulator's state) */
  vendorWrites(): number | Promise<number>;
}

export interface RateLimitProbe {
  trigger(): void | Promise<void>;
  served(): number | Promise<number>;
  violations(): number | Promise<number>;
}

export interface ConformanceHarness {
  /** a config that reaches the vendor with good credentials */
  config: Record<string, unknown>;
  /** the same with credentials the vendor refuses */
  badCredentialsConfig: Record<string, unknown>;
  /** streams to test (default: all of the connector's streams) */
  streams?: string[];
  /** change some records in the vendor (updates and creations); returns how many changed per stream */
  change(): Promise<Record<string, number>> | Record<string, number>;
  /** delete one record in the vendor; returns its stream and vendor id */
  deleteOne?(): Promise<{ stream: string; systemId: string }> | { stream: string; systemId: string };
  /** merge two records in the vendor; returns the stream, the loser's and the winner's vendor ids */
  mergeTwo?(): Promise<{ stream: string; loser: string; winner: string }> | { stream: string; loser: string; winner: string };
  /** records an incremental sync may re-read without changes (lookback windows), per stream */
  idleRereadAllowance?: Record<string, number>;
  /**
   * the vendor's live (not deleted) record ids per stream, read from the emulator: the
   * completeness check compares the synced rows with them (without it, it checks 0 failed only)
   */
  vendorIds?(): Record<string, string[]> | Promise<Record<string, string[]>>;
  /**
   * makes the vendor answer the next request 429 with a Retry-After, and reports how many 429s it
   * served and how many requests came before their Retry-After passed. Without it the suite
   * injects a 429 into ctx.http itself (connectors that use a vendor SDK need this probe).
   */
  rateLimit?: RateLimitProbe;
  /** more values that must never be stored or logged (every secret() config field is found by itself) */
  secrets?: string[];
  /** an action to prove idempotent */
  action?: ActionProbe;
  /** the clock the runtime uses (the emulator's notion of now) */
  clock?: Clock;
  /** called between steps that need time to pass (e.g. advance the emulator's clock) */
  tick?(): Promise<void> | void;
  teardown(): Promise<void> | void;
}

/** how a child process imports the connector (for the kill -9 resume check) */
export interface ChildImport {
  /** a package name, an absolute path or a URL, e.g. new URL('../src/index.ts', import.meta.url) */
  module: string | URL;
  /** the export holding the connector definition (default: "default") */
  exportName?: string;
  /** node flags for the child (default: tsx and the workspace's source condition when a file is TypeScript) */
  execArgv?: string[];
}

export interface ConformanceOptions {
  connector: ConnectorDefinition;
  /** the instance name used in config (default: "conn") */
  name?: string;
  /** build a fresh vendor + harness (called before each check) */
  setup(): Promise<ConformanceHarness>;
  /**
   * how a child process imports the connector: the kill -9 resume check runs the sync there and
   * kills it mid-stream (without it, that check fails unless skipped)
   */
  child?: ChildImport;
  /** skip checks that do not apply (documented in the author's BEHAVIOR.md) */
  skip?: ConformanceCheck[];
}

/** the checks that can be skipped (each skip belongs in the connector's BEHAVIOR.md with its reason) */
export type ConformanceCheck = 'deletes' | 'merges' | 'actions' | 'completeness' | 'secrets' | 'resume' | 'retry-after' | 'links' | 'ties' | 'kill-resume';
