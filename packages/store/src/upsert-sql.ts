// Portable INSERT … ON CONFLICT … DO UPDATE / DO NOTHING text (SQLite ≥ 3.24 and Postgres share the syntax;
// only the parameter placeholders differ).
import { placeholder, type DialectName } from './dialect.js';

export const syncedColumns = ['id', 'source_system', 'raw', 'attributes', 'deleted', 'deleted_at', 'created_at', 'updated_at', 'synced_at'] as const;

/**
 * `rows` > 1 writes that many rows per statement (multi-row VALUES, parameters row after row).
 * SQLite applies the rows in order, so a key repeated inside one statement ends as the last row
 * says; Postgres refuses a repeated key in one statement, so a Postgres writer must not repeat one.
 */
export function upsertSql(dialect: DialectName, table: string, columns: readonly string[], conflict: readonly string[], rows = 1): string {
  const values = valuesSql(dialect, columns, rows);
  const updates = columns
    .filter((c) => !conflict.includes(c))
    .map((c) => `${c} = excluded.${c}`)
    .join(', ');
  return `INSERT INTO ${table} (${columns.join(', ')}) VALUES ${values} ON CONFLICT (${conflict.join(', ')}) DO UPDATE SET ${updates}`;
}

/** INSERT of `rows` rows that leaves a row whose unique key exists already as it was */
export function insertIgnoreSql(dialect: DialectName, table: string, columns: readonly string[], rows = 1): string {
  return `INSERT INTO ${table} (${columns.join(', ')}) VALUES ${valuesSql(dialect, columns, rows)} ON CONFLICT DO NOTHING`;
}

/** `(?, ?), (?, ?)`: placeholders for `rows` rows of `columns`, parameters row after row */
function valuesSql(dialect: DialectName, columns: readonly string[], rows: number): string {
  return Array.from({ length: rows }, (_, r) => `(${columns.map((_, i) => placeholder(dialect, r * columns.length + i)).join(', ')})`).join(', ');
}
