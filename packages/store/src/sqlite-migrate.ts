// Migrating a SQLite file that other processes may be migrating at the same moment (two workers,
// or `revloop migrate` beside `revloop serve`, starting on one new database). Kysely's migrator
// takes no lock on SQLite (it assumes one connection) and its transaction is a deferred BEGIN:
// two processes both read "nothing applied yet" and the second fails with `table "accounts"
// already exists`. Here the whole run — the migration tables, reading what was applied, applying
// the rest — is one BEGIN IMMEDIATE transaction: the second process waits for the first one's
// write lock, then reads the migrations the first one recorded and has nothing left to do.
import { Kysely, SqliteDialect } from 'kysely';
import type BetterSqlite3 from 'better-sqlite3';
import { migrateToLatest } from './migrate.js';

/** how long a process waits for another one's migration before it gives up, ms */
const LOCK_WAIT_MS = 60_000;

function isBusy(e: unknown): boolean {
  const code = (e as { code?: unknown } | null)?.code;
  return code === 'SQLITE_BUSY' || code === 'SQLITE_BUSY_SNAPSHOT' || code === 'SQLITE_LOCKED';
}

/** BEGIN IMMEDIATE, retried while another connection holds the write lock (beyond busy_timeout) */
async function beginImmediate(sqlite: BetterSqlite3.Database): Promise<void> {
  const deadline = Date.now() + LOCK_WAIT_MS;
  for (;;) {
    try {
      sqlite.exec('BEGIN IMMEDIATE');
      return;
    } catch (e) {
      if (!isBusy(e) || Date.now() > deadline) {
        throw new Error(`could not lock the database to migrate it: ${(e as Error).message}. Another process is migrating or writing it for over ${LOCK_WAIT_MS / 1000} s; stop it and run \`revloop migrate\` again.`);
      }
      await new Promise((r) => setTimeout(r, 25));
    }
  }
}

export async function migrateSqlite(sqlite: BetterSqlite3.Database): Promise<{ applied: string[] }> {
  // the migrator's queries run on this same connection, inside the transaction opened here; this
  // Kysely is not destroyed (that would close the store's connection)
  const db = new Kysely<any>({ dialect: new SqliteDialect({ database: sqlite }) });
  await beginImmediate(sqlite);
  try {
    const applied = await migrateToLatest(db, { disableTransactions: true });
    sqlite.exec('COMMIT');
    return applied;
  } catch (e) {
    if (sqlite.inTransaction) sqlite.exec('ROLLBACK');
    throw e;
  }
}
