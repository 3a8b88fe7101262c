// Runs the unified model's migrations (the same list on every dialect).
import { Migrator, type Kysely, type Migration, type MigrationProvider } from 'kysely';
import * as unifiedModel from './migrations/001_unified_model.js';
import * as decisionStatusIndex from './migrations/002_decision_status_index.js';
import * as decisionAndSignalIndexes from './migrations/003_decision_and_signal_indexes.js';
import * as decisionEndIndex from './migrations/004_decision_end_index.js';
import * as identityResolution from './migrations/005_identity_resolution.js';
import * as budgetReservations from './migrations/006_budget_reservations.js';

const migrations: Record<string, Migration> = {
  '001_unified_model': unifiedModel,
  '002_decision_status_index': decisionStatusIndex,
  '003_decision_and_signal_indexes': decisionAndSignalIndexes,
  '004_decision_end_index': decisionEndIndex,
  '005_identity_resolution': identityResolution,
  '006_budget_reservations': budgetReservations,
};

const provider: MigrationProvider = { getMigrations: async () => migrations };

/**
 * `disableTransactions`: the caller already holds a transaction around the whole run (SQLite's
 * BEGIN IMMEDIATE, see sqlite-migrate.ts), so the migrator must not open its own.
 */
export async function migrateToLatest(db: Kysely<any>, options: { disableTransactions?: boolean } = {}): Promise<{ applied: string[] }> {
  const migrator = new Migrator({ db, provider, migrationTableName: 'revloop_migrations', migrationLockTableName: 'revloop_migrations_lock', disableTransactions: options.disableTransactions });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((r) => r.status === 'Error');
  if (error || failed) {
    const cause = error instanceof Error ? error.message : String(error ?? 'unknown error');
    throw new Error(`migration ${failed?.migrationName ?? ''} failed: ${cause}. Nothing after it was applied; fix the cause and run \`revloop migrate\` again.`);
  }
  return { applied: (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName) };
}
