// The SQLite store (the embedded default): better-sqlite3 in WAL mode with foreign keys on.
// The sync hot path (applyBatch) uses cached prepared statements in one synchronous
// transaction: fast, and atomic by construction.
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { chmodSync, existsSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Database } from './schema.js';
import type { BatchResult, BatchWrite, DecisionSettlement, RowInsert, StateClaim, Store } from './store.js';
import { createDecisionSettler } from './sqlite-settle.js';
import { migrateSqlite } from './sqlite-migrate.js';
import { createBatchWriter } from './sqlite-batch.js';
import { createClaimWriter } from './sqlite-claim.js';
import { cachingDatabase } from './statement-cache.js';
import { createRowInserter } from './sqlite-insert.js';
import { createSqliteBudgetLedger } from './sqlite-budget.js';
import type { BudgetLedger } from './budget-ledger.js';
import type { EntityType } from './entities.js';
import { asStoreFileError, refuseEmptyStoreFile } from './store-file-error.js';
import { checkpointerDefaults, startCheckpointer, type Checkpointer, type CheckpointerOptions } from './sqlite-checkpointer.js';

/** The connection settings of every store connection (benchmarks apply the same to their baselines). */
export const sqlitePragmas: readonly string[] = [
  // first: the pragmas after it (journal_mode = WAL on a new file takes a lock) wait for another
  // process opening or migrating the same file instead of failing with "database is locked"
  'busy_timeout = 5000',
  'journal_mode = WAL',
  'foreign_keys = ON',
  // NORMAL is crash-safe in WAL mode for application crashes (a process kill loses nothing
  // committed); only an OS crash can lose the last transactions.
  'synchronous = NORMAL',
  // a 64 MiB page cache keeps the indexes of a million-row sync in memory (the default is 2 MiB)
  'cache_size = -65536',
  'temp_store = MEMORY',
  // Checkpoint (copy the WAL into the database, with its two fsyncs) every 16,384 pages (64 MiB
  // at 4 KiB pages) instead of every 1,000: a sync rewrites the same hot index pages commit after
  // commit, and a checkpoint copies each page once however often it is in the WAL. Measured on
  // a 1M-contact ingest: ~15% faster. The WAL file is cut back to 64 MiB after a checkpoint.
  // On a file, a worker thread checkpoints in the background and the WAL is rewound from 32 MiB
  // (sqlite-checkpointer.ts): this one is then the fallback, if the worker falls behind.
  'wal_autocheckpoint = 16384',
  'journal_size_limit = 67108864',
];

/**
 * Runs a pragma, retried for up to 10 s while another process holds the lock it needs: switching a
 * new file to WAL fails with SQLITE_BUSY at once (the busy handler is not called for it) when
 * another process is opening or migrating the same file at that moment.
 */
function pragmaWhenFree(sqlite: BetterSqlite3.Database, pragma: string): void {
  const deadline = Date.now() + 10_000;
  for (;;) {
    try {
      sqlite.pragma(pragma);
      return;
    } catch (e) {
      if ((e as { code?: string }).code !== 'SQLITE_BUSY' || Date.now() > deadline) throw e;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 10); // open is synchronous: a 10 ms pause
    }
  }
}

/**
 * The main connection's part of a background checkpoint (sqlite-checkpointer.ts): copies the
 * frames committed since the worker's checkpoint, so that the next commit rewinds the WAL. Not
 * inside an open transaction (a kysely transaction spans event-loop turns): the next round does it.
 */
function rewind(sqlite: BetterSqlite3.Database): void {
  if (!sqlite.open || sqlite.inTransaction) return;
  try {
    sqlite.pragma('wal_checkpoint(PASSIVE)');
  } catch {
    // busy or locked: the worker's next round asks again, and the autocheckpoint bounds the WAL
  }
}

export interface SqliteStoreOptions {
  /** file path, or ':memory:' */
  path: string;
  /**
   * WAL checkpoints in a worker thread, off the event loop (sqlite-checkpointer.ts); on by default
   * for a file. false: only the main connection's autocheckpoint, on the calling thread.
   */
  backgroundCheckpoints?: boolean | Partial<CheckpointerOptions>;
}

export function openSqliteStore(options: SqliteStoreOptions): Store {
  const onDisk = options.path !== ':memory:' && options.path !== '';
  if (onDisk) mkdirSync(dirname(options.path), { recursive: true });
  const created = onDisk && !existsSync(options.path);
  if (onDisk) refuseEmptyStoreFile(options.path);
  const sqlite = new BetterSqlite3(options.path);
  // a new database is readable by its owner only (it holds personal data and the cost ledger):
  // set before the first write, so the -wal and -shm files SQLite creates take the same mode
  if (created) chmodSync(options.path, 0o600);
  try {
    for (const pragma of sqlitePragmas) pragmaWhenFree(sqlite, pragma);
  } catch (e) {
    sqlite.close();
    throw asStoreFileError(e, options.path);
  }
  const background = options.backgroundCheckpoints ?? true;
  const checkpointer: Checkpointer | undefined =
    onDisk && background !== false ? startCheckpointer(options.path, { ...checkpointerDefaults, ...(background === true ? {} : background) }, () => rewind(sqlite)) : undefined;
  // kysely's queries reuse their prepared statements (statement-cache.ts)
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: cachingDatabase(sqlite) }) });
  let writer: ReturnType<typeof createBatchWriter> | undefined;
  const batchWriter = () => (writer ??= createBatchWriter(sqlite));
  let claimWriter: ReturnType<typeof createClaimWriter> | undefined;
  let inserter: ReturnType<typeof createRowInserter> | undefined;
  let settle: ((rows: DecisionSettlement[]) => void) | undefined;
  // prepared on first use (after the migrations have created its tables)
  let ledger: BudgetLedger | undefined;
  const budgetLedger = () => (ledger ??= createSqliteBudgetLedger(sqlite));

  return {
    dialect: 'sqlite',
    db,
    migrate: () => migrateSqlite(sqlite),
    async applyBatch(batch: BatchWrite): Promise<BatchResult> {
      return batchWriter().apply(batch);
    },
    async applyBatches(batches: BatchWrite[]): Promise<BatchResult[]> {
      return batchWriter().applyAll(batches);
    },
    async claimAndApply(claims: StateClaim[], at: number, batchesFor: (claimed: boolean[]) => BatchWrite[]) {
      return (claimWriter ??= createClaimWriter(sqlite, batchWriter())).claimAndApply(claims, at, batchesFor);
    },
    async insertRows(inserts: RowInsert[]): Promise<void> {
      (inserter ??= createRowInserter(sqlite)).insertAll(inserts);
    },
    async settleDecisions(rows: DecisionSettlement[]): Promise<void> {
      (settle ??= createDecisionSettler(sqlite))(rows);
    },
    budgets: {
      reserve: (request) => budgetLedger().reserve(request),
      settle: (request) => budgetLedger().settle(request),
      period: (budget, periodStart) => budgetLedger().period(budget, periodStart),
    },
    async resolveId(system: string, entityType: EntityType, systemId: string) {
      return batchWriter().resolve(system, entityType, systemId);
    },
    async close() {
      // the worker's connection first: the main connection, closing last, checkpoints and removes the WAL
      await checkpointer?.stop();
      await db.destroy();
      // kysely closes the connection only if a kysely query ever opened it (its driver starts lazily)
      if (sqlite.open) sqlite.close();
    },
  };
}
