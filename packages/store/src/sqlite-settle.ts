// settleDecisions for SQLite: how executions ended (status, execution result) written to their
// decision rows with one cached prepared statement in one transaction. The workflow engine writes
// each execution's row as 'in_progress' before the vendor call and settles it after; through
// Kysely every update was compiled anew, a tenth of a run's time when every decision executes.
import type BetterSqlite3 from 'better-sqlite3';
import type { DecisionSettlement } from './store.js';

export function createDecisionSettler(sqlite: BetterSqlite3.Database): (rows: DecisionSettlement[]) => void {
  const update = sqlite.prepare('update "decisions" set "status" = ?, "execution" = ?, "updated_at" = ? where "id" = ?');
  return sqlite.transaction((rows: DecisionSettlement[]) => {
    for (const r of rows) update.run(r.status, r.execution, r.updated_at, r.id);
  });
}
