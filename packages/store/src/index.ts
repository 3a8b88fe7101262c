export type * from './schema.js';
export type { Store, UnifiedRecord, BatchWrite, BatchResult, MergeInstruction, FieldValue, RowInsert } from './store.js';
export { entityDefinitions, entityTypes, isEntityType, type EntityType, type EntityDefinition, type LinkName } from './entities.js';
export { entityIdFor } from './ids.js';
export { openSqliteStore, sqlitePragmas, type SqliteStoreOptions } from './sqlite.js';
export { migrateToLatest } from './migrate.js';
export { dialectOf, type DialectName } from './dialect.js';
export { upsertSql, syncedColumns } from './upsert-sql.js';
export { openStore, type StoreConfig } from './open.js';
