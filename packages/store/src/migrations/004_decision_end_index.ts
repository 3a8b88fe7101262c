// An account decision is logged as one row per step: the steps it passed ('decided') and one row
// that says how it ended (executed, deferred, pending_approval, no_action, dropped, skipped,
// failed, ...). Everything asked of decisions per account (the newest decision, the newest
// execution within the cooldown, an account's executions in the feature window) is a question
// about those ending rows, so the account index holds only them: a sixth of the entries to write
// on every decision and to read on every trigger query. The workflow's index (workflow, status,
// time), which the feedback loop reads for the executions in a time range, holds only those rows
// too. Queries say so with `decisionEndRows` (decision-rows.ts), the condition both are built with.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('decisions_account_time').ifExists().execute();
  await db.schema
    .createIndex('decisions_account_end')
    .ifNotExists()
    .on('decisions')
    .columns(['account_id', 'workflow', 'created_at', 'status'])
    .where('status', '<>', 'decided')
    .execute();
  await db.schema.dropIndex('decisions_workflow_status').ifExists().execute();
  await db.schema
    .createIndex('decisions_workflow_end')
    .ifNotExists()
    .on('decisions')
    .columns(['workflow', 'status', 'created_at'])
    .where('status', '<>', 'decided')
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('decisions_workflow_end').ifExists().execute();
  await db.schema.createIndex('decisions_workflow_status').ifNotExists().on('decisions').columns(['workflow', 'status', 'created_at']).execute();
  await db.schema.dropIndex('decisions_account_end').ifExists().execute();
  await db.schema.createIndex('decisions_account_time').ifNotExists().on('decisions').columns(['account_id', 'workflow', 'created_at', 'status']).execute();
}
