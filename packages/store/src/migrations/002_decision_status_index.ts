// Every run of a workflow asks two things of its decisions: which were executed lately (the
// feedback loop, engagement), and when each account with news was last decided or treated (the
// triggers and the cooldown). Without these indexes each question scans every decision ever
// recorded, so a day's work would grow with the age of the installation. The second index covers
// its query (account, workflow, status, time): the answer comes from the index alone.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('decisions_workflow_status').on('decisions').columns(['workflow', 'status', 'created_at']).execute();
  await db.schema.createIndex('decisions_account_last').on('decisions').columns(['account_id', 'workflow', 'status', 'created_at']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('decisions_account_last').ifExists().execute();
  await db.schema.dropIndex('decisions_workflow_status').ifExists().execute();
}
