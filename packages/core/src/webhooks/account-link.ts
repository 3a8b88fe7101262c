// A webhook event usually names only a contact (HubSpot's objectId), so its signal would carry no
// account — and triggers and features read signals by account. After the write, each new signal
// without an account takes its contact's account when that contact is already synced. A signal
// whose contact is not synced yet keeps account_id empty (its contact_id already points at the
// entity the contact will get: the identity map claimed it) — see the connector's BEHAVIOR.md.
import type { Store } from '@revloop/store';

/** system ids per statement (a group commit links thousands; SQLite and Postgres cap parameters) */
const LINK_CHUNK = 500;

/** fills account_id of the given signals (by system id) from their contacts; returns how many */
export async function linkAccountsFromContacts(store: Store, system: string, signalSystemIds: string[]): Promise<number> {
  let linked = 0;
  for (let i = 0; i < signalSystemIds.length; i += LINK_CHUNK) linked += await linkChunk(store, system, signalSystemIds.slice(i, i + LINK_CHUNK));
  return linked;
}

async function linkChunk(store: Store, system: string, signalSystemIds: string[]): Promise<number> {
  if (signalSystemIds.length === 0) return 0;
  // the new signals' row ids first: the update then touches them by primary key (a subquery in
  // its WHERE let SQLite walk every signal still without an account — each request got slower as
  // unlinked signals piled up)
  const ids = (await store.db.selectFrom('external_ids').select('entity_id').where('system', '=', system).where('entity_type', '=', 'signal').where('system_id', 'in', signalSystemIds).execute()).map((r) => r.entity_id);
  if (ids.length === 0) return 0;
  const result = await store.db
    .updateTable('signals')
    .set((eb) => ({
      account_id: eb.selectFrom('contacts').select('contacts.account_id').whereRef('contacts.id', '=', 'signals.contact_id'),
    }))
    .where('id', 'in', ids)
    .where('account_id', 'is', null)
    .where('contact_id', 'in', (eb) => eb.selectFrom('contacts').select('id').where('account_id', 'is not', null).where('deleted', '=', 0))
    .executeTakeFirst();
  return Number(result.numUpdatedRows ?? 0n);
}

/**
 * Signals parked without an account (a webhook event named a contact not synced yet) take their
 * contact's account once a sync has brought it: run after every sync. Touches only the parked
 * signals (through the account index, account_id IS NULL) whose contact now has an account.
 */
export async function linkParkedSignals(store: Store): Promise<number> {
  const result = await store.db
    .updateTable('signals')
    .set((eb) => ({
      account_id: eb.selectFrom('contacts').select('contacts.account_id').whereRef('contacts.id', '=', 'signals.contact_id'),
    }))
    .where('account_id', 'is', null)
    .where('contact_id', 'is not', null)
    .where('contact_id', 'in', (eb) => eb.selectFrom('contacts').select('id').where('account_id', 'is not', null).where('deleted', '=', 0))
    .executeTakeFirst();
  return Number(result.numUpdatedRows ?? 0n);
}
