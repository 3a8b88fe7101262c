// Claims and a batch write in ONE SQLite transaction (Store.claimAndApply). Each claim is one
// upsert on plugin_state that takes the row only when it is absent or its claim (the row's value,
// an expiry in ms) has expired; RETURNING says whether it was taken. The batches are written by the
// batch writer inside the same transaction (better-sqlite3 nests its transaction as a savepoint),
// so a failed write rolls the claims back with it.
import type BetterSqlite3 from 'better-sqlite3';
import type { BatchResult, BatchWrite, StateClaim } from './store.js';
import type { createBatchWriter } from './sqlite-batch.js';

const CLAIM_SQL = `INSERT INTO plugin_state (plugin, key, value, updated_at) VALUES (?, ?, ?, ?)
  ON CONFLICT (plugin, key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at
  WHERE CAST(plugin_state.value AS INTEGER) <= ?
  RETURNING 1 AS taken`;

export function createClaimWriter(sqlite: BetterSqlite3.Database, writer: ReturnType<typeof createBatchWriter>) {
  const claim = sqlite.prepare<[string, string, string, number, number], { taken: number }>(CLAIM_SQL);
  const run = sqlite.transaction((claims: StateClaim[], at: number, batchesFor: (claimed: boolean[]) => BatchWrite[]) => {
    const claimed = claims.map((c) => claim.get(c.plugin, c.key, String(Math.trunc(c.expiresAt)), at, at) !== undefined);
    const results: BatchResult[] = writer.applyAll(batchesFor(claimed));
    return { claimed, results };
  });
  return {
    claimAndApply(claims: StateClaim[], at: number, batchesFor: (claimed: boolean[]) => BatchWrite[]): { claimed: boolean[]; results: BatchResult[] } {
      return run(claims, at, batchesFor);
    },
  };
}
