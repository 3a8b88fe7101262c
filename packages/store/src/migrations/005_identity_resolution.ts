// Identity resolution: each connector's accounts and contacts stay that system's view; the
// resolver links the rows that are one real customer (resolved_id) and keeps a golden record per
// resolved entity. Everything that decides, learns or attributes reads through resolved_id.
import type { Kysely } from 'kysely';
import { clusteredOnPrimaryKey } from '../dialect.js';

export async function up(db: Kysely<any>): Promise<void> {
  for (const table of ['accounts', 'contacts'] as const) {
    // NULL until the resolver has seen the row: a row that was never resolved is its own entity
    await db.schema.alterTable(table).addColumn('resolved_id', 'text').execute();
    await db.schema.createIndex(`${table}_resolved`).on(table).column('resolved_id').execute();
    // the resolver's incremental cursor: rows synced since its last run
    await db.schema.createIndex(`${table}_synced`).on(table).column('synced_at').execute();
  }

  // normalized match keys (domain:x.com, email:a@b.com, ref:salesforce:001…) → the rows that carry them
  await clusteredOnPrimaryKey(db, db.schema
    .createTable('identity_keys')
    .addColumn('entity_type', 'text', (c) => c.notNull())
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('entity_id', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('identity_keys_pk', ['entity_type', 'key', 'entity_id']))
    .execute();
  await db.schema.createIndex('identity_keys_entity').on('identity_keys').columns(['entity_id']).execute();

  // golden records: one per resolved entity, fields chosen by the survivorship rules
  await db.schema
    .createTable('resolved_accounts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text')
    .addColumn('domain', 'text')
    .addColumn('industry', 'text')
    .addColumn('size', 'text')
    .addColumn('region', 'text')
    .addColumn('employees', 'integer')
    .addColumn('attributes', 'text')
    .addColumn('members', 'integer', (c) => c.notNull())
    .addColumn('systems', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('resolved_contacts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('account_id', 'text')
    .addColumn('email', 'text')
    .addColumn('first_name', 'text')
    .addColumn('last_name', 'text')
    .addColumn('title', 'text')
    .addColumn('persona', 'text')
    .addColumn('lifecycle_stage', 'text')
    .addColumn('attributes', 'text')
    .addColumn('members', 'integer', (c) => c.notNull())
    .addColumn('systems', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('resolved_contacts_account').on('resolved_contacts').column('account_id').execute();

  // every merge, split and held merge, with each row's resolved id before and after: undoable
  await db.schema
    .createTable('identity_events')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('entity_type', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull()) // 'merge' | 'split' | 'held' | 'undo'
    .addColumn('resolved_id', 'text')
    .addColumn('changes', 'text', (c) => c.notNull()) // JSON [{ id, from, to }] or, when held, the two sides
    .addColumn('reason', 'text')
    .addColumn('state', 'text', (c) => c.notNull()) // 'applied' | 'held' | 'approved' | 'undone'
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('decided_at', 'bigint')
    .execute();
  await db.schema.createIndex('identity_events_time').on('identity_events').columns(['entity_type', 'created_at']).execute();

  // a person's word over the rules: these two rows are ('together') or are not ('apart') one entity
  await clusteredOnPrimaryKey(db, db.schema
    .createTable('identity_overrides')
    .addColumn('entity_type', 'text', (c) => c.notNull())
    .addColumn('a', 'text', (c) => c.notNull())
    .addColumn('b', 'text', (c) => c.notNull())
    .addColumn('rule', 'text', (c) => c.notNull())
    .addColumn('reason', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('identity_overrides_pk', ['entity_type', 'a', 'b']))
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['identity_overrides', 'identity_events', 'resolved_contacts', 'resolved_accounts', 'identity_keys']) await db.schema.dropTable(t).ifExists().execute();
  for (const table of ['accounts', 'contacts'] as const) {
    await db.schema.dropIndex(`${table}_synced`).ifExists().execute();
    await db.schema.dropIndex(`${table}_resolved`).ifExists().execute();
    await db.schema.alterTable(table).dropColumn('resolved_id').execute();
  }
}
