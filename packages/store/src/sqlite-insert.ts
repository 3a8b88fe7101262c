// insertRows for SQLite: append-only log rows (decisions, approvals, ledger entries) written with
// cached multi-row prepared statements in one transaction. Kysely prepares every statement anew;
// for a workflow run that logs ~100,000 step records the preparing and compiling of 200-row
// statements cost as much as the inserting.
import type BetterSqlite3 from 'better-sqlite3';
import { insertIgnoreSql } from './upsert-sql.js';
import type { RowInsert } from './store.js';

/** rows per statement: 50 rows × 20 columns = 1,000 parameters, far below SQLite's limit */
const ROWS = 50;

export function createRowInserter(sqlite: BetterSqlite3.Database): { insertAll: (inserts: RowInsert[]) => void } {
  const statements = new Map<string, BetterSqlite3.Statement>();
  const statementFor = (table: string, columns: string[], rows: number) => {
    const key = `${table}(${columns.join(',')})x${rows}`;
    let s = statements.get(key);
    if (!s) statements.set(key, (s = sqlite.prepare(insertIgnoreSql('sqlite', table, columns, rows))));
    return s;
  };

  function insertOne({ table, rows }: RowInsert): void {
    if (!rows.length) return;
    const columns = Object.keys(rows[0]!);
    for (let i = 0; i < rows.length; i += ROWS) {
      const slice = rows.slice(i, i + ROWS);
      const params: unknown[] = [];
      for (const row of slice) {
        if (Object.keys(row).length !== columns.length) throw new Error(`insertRows(${table}): every row must have the same columns (${columns.join(', ')})`);
        for (const c of columns) {
          const v = (row as Record<string, unknown>)[c];
          params.push(v === undefined ? null : v);
        }
      }
      statementFor(table, columns, slice.length).run(params);
    }
  }

  return { insertAll: sqlite.transaction((inserts: RowInsert[]) => inserts.forEach(insertOne)) };
}
