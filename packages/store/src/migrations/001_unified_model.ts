// The unified data model. Portable column types only (text, integer, bigint, double precision)
// so that the same migration runs on SQLite and Postgres.
import type { Kysely, CreateTableBuilder } from 'kysely';
import { autoIncrementKey, clusteredOnPrimaryKey } from '../dialect.js';

type Builder = CreateTableBuilder<string, never>;

/** Columns shared by every synced entity table. */
function synced(t: Builder): Builder {
  return t
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('source_system', 'text', (c) => c.notNull())
    .addColumn('raw', 'text')
    .addColumn('attributes', 'text')
    .addColumn('deleted', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('deleted_at', 'bigint')
    .addColumn('created_at', 'bigint')
    .addColumn('updated_at', 'bigint')
    .addColumn('synced_at', 'bigint', (c) => c.notNull());
}

export async function up(db: Kysely<any>): Promise<void> {
  await synced(db.schema.createTable('accounts'))
    .addColumn('name', 'text')
    .addColumn('domain', 'text')
    .addColumn('industry', 'text')
    .addColumn('size', 'text')
    .addColumn('region', 'text')
    .addColumn('employees', 'integer')
    .execute();

  await synced(db.schema.createTable('contacts'))
    .addColumn('account_id', 'text')
    .addColumn('email', 'text')
    .addColumn('first_name', 'text')
    .addColumn('last_name', 'text')
    .addColumn('title', 'text')
    .addColumn('persona', 'text')
    .addColumn('lifecycle_stage', 'text')
    .addColumn('merged_into', 'text')
    .execute();
  await db.schema.createIndex('contacts_account').on('contacts').column('account_id').execute();

  // The identity map: written once per new record on the sync hot path.
  await clusteredOnPrimaryKey(db, db.schema
    .createTable('external_ids')
    .addColumn('system', 'text', (c) => c.notNull())
    .addColumn('entity_type', 'text', (c) => c.notNull())
    .addColumn('system_id', 'text', (c) => c.notNull())
    .addColumn('entity_id', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('external_ids_pk', ['system', 'entity_type', 'system_id']))
    .execute();
  // entity → its ids in every system (execution needs the vendor's id; merges re-point them)
  await db.schema.createIndex('external_ids_entity').on('external_ids').columns(['entity_id']).execute();

  await synced(db.schema.createTable('signals'))
    .addColumn('account_id', 'text')
    .addColumn('contact_id', 'text')
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('topic', 'text')
    .addColumn('channel', 'text')
    .addColumn('campaign_id', 'text')
    .addColumn('occurred_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('signals_account_time').on('signals').columns(['account_id', 'occurred_at']).execute();

  await synced(db.schema.createTable('campaigns'))
    .addColumn('name', 'text')
    .addColumn('platform', 'text')
    .addColumn('status', 'text')
    .addColumn('daily_budget_micros', 'bigint')
    .execute();

  await synced(db.schema.createTable('touchpoints'))
    .addColumn('account_id', 'text')
    .addColumn('contact_id', 'text')
    .addColumn('campaign_id', 'text')
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('date', 'text')
    .addColumn('impressions', 'bigint')
    .addColumn('clicks', 'bigint')
    .addColumn('spend_micros', 'bigint')
    .addColumn('conversions', 'double precision')
    .addColumn('click_id', 'text')
    .addColumn('occurred_at', 'bigint')
    .execute();
  await db.schema.createIndex('touchpoints_campaign_date').on('touchpoints').columns(['campaign_id', 'date']).execute();
  await db.schema.createIndex('touchpoints_account').on('touchpoints').columns(['account_id']).execute();

  await synced(db.schema.createTable('opportunities'))
    .addColumn('account_id', 'text')
    .addColumn('contact_id', 'text')
    .addColumn('name', 'text')
    .addColumn('stage', 'text')
    .addColumn('amount_micros', 'bigint')
    .addColumn('is_closed', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('is_won', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('close_date', 'text')
    .execute();
  await db.schema.createIndex('opportunities_account').on('opportunities').column('account_id').execute();

  await db.schema
    .createTable('decisions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('workflow', 'text', (c) => c.notNull())
    .addColumn('step', 'text', (c) => c.notNull())
    .addColumn('account_id', 'text')
    .addColumn('contact_id', 'text')
    .addColumn('capability', 'text')
    .addColumn('decision_class', 'text')
    .addColumn('model', 'text')
    .addColumn('model_version', 'text')
    .addColumn('input_hash', 'text')
    .addColumn('features', 'text')
    .addColumn('output', 'text')
    .addColumn('cost_micros', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('latency_ms', 'double precision')
    .addColumn('approval_state', 'text', (c) => c.notNull())
    .addColumn('execution', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('idempotency_key', 'text', (c) => c.notNull().unique())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('decisions_account').on('decisions').columns(['account_id', 'created_at']).execute();

  await db.schema
    .createTable('outcomes')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('account_id', 'text')
    .addColumn('opportunity_id', 'text')
    .addColumn('decision_id', 'text', (c) => c.references('decisions.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('value_micros', 'bigint')
    .addColumn('source', 'text')
    .addColumn('attributes', 'text')
    .addColumn('occurred_at', 'bigint', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('outcomes_account').on('outcomes').columns(['account_id', 'occurred_at']).execute();

  await db.schema
    .createTable('approvals')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('decision_id', 'text', (c) => c.notNull().references('decisions.id'))
    .addColumn('decision_class', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('requested_at', 'bigint', (c) => c.notNull())
    .addColumn('expires_at', 'bigint')
    .addColumn('decided_at', 'bigint')
    .addColumn('decided_by', 'text')
    .addColumn('reason', 'text')
    .execute();
  await db.schema.createIndex('approvals_state').on('approvals').columns(['state', 'requested_at']).execute();

  const ledgerKey = autoIncrementKey(db);
  await db.schema
    .createTable('cost_ledger')
    .addColumn('id', ledgerKey.type, ledgerKey.build)
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('budget', 'text')
    .addColumn('workflow', 'text')
    .addColumn('step', 'text')
    .addColumn('plugin', 'text')
    .addColumn('model', 'text')
    .addColumn('decision_id', 'text')
    .addColumn('tokens_in', 'integer')
    .addColumn('tokens_out', 'integer')
    .addColumn('cost_micros', 'bigint', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('model_versions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('model', 'text', (c) => c.notNull())
    .addColumn('version', 'text', (c) => c.notNull())
    .addColumn('capability', 'text', (c) => c.notNull())
    .addColumn('trained_at', 'bigint', (c) => c.notNull())
    .addColumn('window_start', 'bigint')
    .addColumn('window_end', 'bigint')
    .addColumn('metrics', 'text')
    .addColumn('params', 'text')
    .addColumn('active', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();

  await db.schema
    .createTable('sync_state')
    .addColumn('connector', 'text', (c) => c.notNull())
    .addColumn('stream', 'text', (c) => c.notNull())
    .addColumn('checkpoint', 'text')
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('sync_state_pk', ['connector', 'stream'])
    .execute();

  await db.schema
    .createTable('sync_runs')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('connector', 'text', (c) => c.notNull())
    .addColumn('stream', 'text', (c) => c.notNull())
    .addColumn('mode', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('started_at', 'bigint', (c) => c.notNull())
    .addColumn('finished_at', 'bigint')
    .addColumn('records_read', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('records_written', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('records_failed', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('records_deleted', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('error', 'text')
    .addColumn('errors', 'text')
    .execute();
  await db.schema.createIndex('sync_runs_stream').on('sync_runs').columns(['connector', 'stream', 'started_at']).execute();

  await db.schema
    .createTable('plugin_state')
    .addColumn('plugin', 'text', (c) => c.notNull())
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('value', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('plugin_state_pk', ['plugin', 'key'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of [
    'plugin_state', 'sync_runs', 'sync_state', 'model_versions', 'cost_ledger', 'approvals', 'outcomes',
    'decisions', 'opportunities', 'touchpoints', 'campaigns', 'signals', 'external_ids', 'contacts', 'accounts',
  ]) {
    await db.schema.dropTable(t).ifExists().execute();
  }
}
