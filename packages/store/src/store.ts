// The store's public interface: what core (and only core) uses to read and write the unified model.
import type { Insertable, Kysely } from 'kysely';
import type { Database } from './schema.js';
import type { DialectName } from './dialect.js';
import type { EntityType, LinkName } from './entities.js';
import type { BudgetLedger } from './budget-ledger.js';

export type FieldValue = string | number | null;

/** One vendor record after mapping, ready to be written into the unified model. */
export interface UnifiedRecord {
  /** the record's id in its source system */
  systemId: string;
  /** entity columns (see entityDefinitions[type].columns) */
  fields: Record<string, FieldValue>;
  /** links to other entities of the same source system, by their system ids */
  links?: Partial<Record<LinkName, string | null>>;
  /** properties with no column of their own (custom properties), kept as JSON */
  attributes?: Record<string, unknown>;
  /** the vendor payload as received */
  raw?: unknown;
  createdAt?: number | null;
  updatedAt?: number | null;
  /** the vendor says this record is archived / deleted */
  deleted?: boolean;
}

export interface MergeInstruction {
  loserSystemId: string;
  winnerSystemId: string;
}

/** One batch of one stream, written atomically together with the stream's checkpoint. */
export interface BatchWrite {
  system: string;
  entityType: EntityType;
  records: UnifiedRecord[];
  /** system ids to soft-delete */
  deletes?: string[];
  merges?: MergeInstruction[];
  /** the checkpoint after this batch; saved in the same transaction */
  checkpoint?: { connector: string; stream: string; value: unknown };
  /** the run this batch belongs to; its counters are advanced in the same transaction */
  run?: { id: string; read: number; failed: number; errors?: unknown[] };
  syncedAt: number;
}

/**
 * A plugin_state row claimed until `expiresAt` (ms, kept as the row's value): taken when no row
 * exists or the existing one's claim has expired, refused while another claim holds it.
 */
export interface StateClaim {
  plugin: string;
  key: string;
  expiresAt: number;
}

/** Rows for one table of the log (decisions, approvals, cost_ledger, outcomes…). */
export interface RowInsert<T extends keyof Database = keyof Database> {
  table: T;
  /** every row with the same columns; a row whose unique key exists already is left as it was */
  rows: Insertable<Database[T]>[];
}

export interface BatchResult {
  written: number;
  deleted: number;
  merged: number;
}

/** How one execution ended: its decision row's new status and execution result. */
export interface DecisionSettlement {
  id: string;
  status: string;
  execution: string;
  updated_at: number;
}

export interface Store {
  readonly dialect: DialectName;
  /** portable typed queries */
  readonly db: Kysely<Database>;
  migrate(): Promise<{ applied: string[] }>;
  /** write one batch + its checkpoint + run counters atomically (all or nothing) */
  applyBatch(batch: BatchWrite): Promise<BatchResult>;
  /**
   * write several batches (in order) in ONE transaction: all of them with their checkpoints and
   * counters, or none. Fewer, larger commits: on SQLite the pages of a randomly-keyed index are
   * written to the WAL once per commit, not once per batch.
   */
  applyBatches(batches: BatchWrite[]): Promise<BatchResult[]>;
  /**
   * claims (plugin_state rows, see StateClaim; expired at or before `at`) and a write in ONE
   * transaction: `batchesFor(claimed)` — claimed[i] true where claims[i] was taken — names the
   * batches to write, which are written in order. All or nothing: when the write fails, no claim
   * is kept (a webhook's replay key is never left claimed for events that were not stored).
   */
  claimAndApply(claims: StateClaim[], at: number, batchesFor: (claimed: boolean[]) => BatchWrite[]): Promise<{ claimed: boolean[]; results: BatchResult[] }>;
  /** insert rows into several tables (in order: referenced rows first) in ONE transaction */
  insertRows(inserts: RowInsert[]): Promise<void>;
  /**
   * set how executions ended (status, execution result, updated_at by decision id) in ONE
   * transaction, with a cached prepared statement; optional: without it, callers update through db
   */
  settleDecisions?(rows: DecisionSettlement[]): Promise<void>;
  /** budgets checked and reserved in one transaction, shared by every run and process (optional: without it, budgets hold per run only) */
  readonly budgets?: BudgetLedger;
  /** the unified entity id of a system id (after merges), or undefined */
  resolveId(system: string, entityType: EntityType, systemId: string): Promise<string | undefined>;
  close(): Promise<void>;
}
