// The one module that knows the differences between SQLite and Postgres. Everything else in
// the store writes portable SQL through kysely.
import { sql, SqliteAdapter, type Kysely, type ColumnDefinitionBuilder, type CreateTableBuilder } from 'kysely';

type DataTypeExpression = Parameters<CreateTableBuilder<string, never>['addColumn']>[1];

export type DialectName = 'sqlite' | 'postgres';

export function dialectOf(db: Kysely<any>): DialectName {
  return db.getExecutor().adapter instanceof SqliteAdapter ? 'sqlite' : 'postgres';
}

/** An auto-incrementing integer primary key: `integer primary key autoincrement` vs `bigserial`. */
export function autoIncrementKey(db: Kysely<any>): {
  type: DataTypeExpression;
  build: (c: ColumnDefinitionBuilder) => ColumnDefinitionBuilder;
} {
  return dialectOf(db) === 'sqlite'
    ? { type: 'integer', build: (c) => c.primaryKey().autoIncrement() }
    : { type: 'bigserial', build: (c) => c.primaryKey() };
}

/** Positional parameter placeholder for hand-built bulk statements. */
export function placeholder(dialect: DialectName, index: number): string {
  return dialect === 'sqlite' ? '?' : `$${index + 1}`;
}

/**
 * SQLite: a table keyed by its primary key alone (no hidden rowid b-tree): one b-tree insert per
 * row instead of two. Postgres has no such option and needs none.
 */
export function clusteredOnPrimaryKey<T extends CreateTableBuilder<any, any>>(db: Kysely<any>, builder: T): T {
  return (dialectOf(db) === 'sqlite' ? builder.modifyEnd(sql`without rowid`) : builder) as T;
}
