// Decisions are the table that grows fastest (about six rows per account decision, every day), so
// each of its indexes costs on every logged step, and every question the workflow engine asks of
// it must read a window, not the account's whole history:
// - decisions_account (account_id, created_at) and decisions_account_last (account_id, workflow,
//   status, created_at) become one: decisions_account_time (account_id, workflow, created_at,
//   status). The trigger query (the newest decision of each account with news, since the window
//   start) and the features query (an account's executions in the window) both read a time range
//   of the account from it, and it covers the trigger query.
// - signals_contact serves the merges that move a loser contact's signals to the survivor and the
//   engagement join (a contact's clicks after a decision); without it each of them scans every
//   signal ever synced.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('decisions_account').ifExists().execute();
  await db.schema.dropIndex('decisions_account_last').ifExists().execute();
  await db.schema.createIndex('decisions_account_time').ifNotExists().on('decisions').columns(['account_id', 'workflow', 'created_at', 'status']).execute();
  await db.schema.createIndex('signals_contact').ifNotExists().on('signals').columns(['contact_id', 'occurred_at']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('signals_contact').ifExists().execute();
  await db.schema.dropIndex('decisions_account_time').ifExists().execute();
  await db.schema.createIndex('decisions_account_last').ifNotExists().on('decisions').columns(['account_id', 'workflow', 'status', 'created_at']).execute();
  await db.schema.createIndex('decisions_account').ifNotExists().on('decisions').columns(['account_id', 'created_at']).execute();
}
