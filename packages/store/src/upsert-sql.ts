// Portable INSERT … ON CONFLICT … DO UPDATE text (SQLite ≥ 3.24 and Postgres share the syntax;
// only the parameter placeholders differ).
import { placeholder, type DialectName } from './dialect.js';

export const syncedColumns = ['id', 'source_system', 'raw', 'attributes', 'deleted', 'deleted_at', 'created_at', 'updated_at', 'synced_at'] as const;

export function upsertSql(dialect: DialectName, table: string, columns: readonly string[], conflict: readonly string[]): string {
  const values = columns.map((_, i) => placeholder(dialect, i)).join(', ');
  const updates = columns
    .filter((c) => !conflict.includes(c))
    .map((c) => `${c} = excluded.${c}`)
    .join(', ');
  return `INSERT INTO ${table} (${columns.join(', ')}) VALUES (${values}) ON CONFLICT (${conflict.join(', ')}) DO UPDATE SET ${updates}`;
}
