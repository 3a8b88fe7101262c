// Budgets enforced in the store (issue #25): one row per budget and period holds what is
// reserved, spent and overrun, so that every run and every process checks and reserves against
// the same numbers in one transaction (SQLite: BEGIN IMMEDIATE; Postgres: the period row is
// inserted if missing, then read with SELECT ... FOR UPDATE, which serializes the reservers of one
// budget). One row per open reservation and budget: what a settlement gives back, and what a
// crashed process's reservations are released from after a while.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('budget_periods')
    .ifNotExists()
    .addColumn('budget', 'text', (c) => c.notNull())
    .addColumn('period_start', 'bigint', (c) => c.notNull())
    .addColumn('limit_micros', 'bigint', (c) => c.notNull())
    .addColumn('reserved_micros', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('spent_micros', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('overrun_micros', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('budget_periods_pk', ['budget', 'period_start'])
    .execute();
  await db.schema
    .createTable('budget_reservations')
    .ifNotExists()
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('budget', 'text', (c) => c.notNull())
    .addColumn('period_start', 'bigint', (c) => c.notNull())
    .addColumn('micros', 'bigint', (c) => c.notNull())
    // 'open' while the call runs; 'released' when it was given back unsettled (a crashed process)
    .addColumn('state', 'text', (c) => c.notNull().defaultTo('open'))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('budget_reservations_pk', ['id', 'budget'])
    .execute();
  await db.schema.createIndex('budget_reservations_open').ifNotExists().on('budget_reservations').columns(['budget', 'state', 'created_at']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('budget_reservations').ifExists().execute();
  await db.schema.dropTable('budget_periods').ifExists().execute();
}
