// A person's word on identity: undo a merge or a split, approve or reject a held merge. Each one
// is kept as an override (together / apart) so the rules do not redo what the person undid, and
// the rows concerned are resolved again at once.
import type { Store } from '@revloop/store';
import { RevloopError } from '../errors.js';
import type { IdentityConfig } from './config.js';
import { resolveRows, type IdentityEntity } from './resolve.js';

interface Change {
  id: string;
  from: string | null;
  to: string;
}

export interface IdentityDecisionOptions {
  now: number;
  by?: string;
  config?: IdentityConfig;
}

async function eventOf(store: Store, eventId: string) {
  const event = await store.db.selectFrom('identity_events').selectAll().where('id', '=', eventId).executeTakeFirst();
  if (!event) throw new RevloopError('IDENTITY_EVENT_NOT_FOUND', `no identity event "${eventId}"`, { kind: 'bad_input', fix: 'list them with `revloop identity events` (or `revloop identity held`)' });
  return event;
}

async function override(store: Store, type: string, a: string, b: string, rule: 'together' | 'apart', reason: string, now: number): Promise<void> {
  const [x, y] = a < b ? [a, b] : [b, a];
  await store.db
    .insertInto('identity_overrides')
    .values({ entity_type: type, a: x, b: y, rule, reason, created_at: now })
    .onConflict((oc) => oc.columns(['entity_type', 'a', 'b']).doUpdateSet({ rule, reason, created_at: now }))
    .execute();
}

/** undoes an applied merge (the rows are kept apart from then on) or split (kept together) */
export async function undoIdentityEvent(store: Store, eventId: string, options: IdentityDecisionOptions): Promise<{ rows: number }> {
  const event = await eventOf(store, eventId);
  if (event.state !== 'applied' || (event.kind !== 'merge' && event.kind !== 'split'))
    throw new RevloopError('IDENTITY_EVENT_NOT_UNDOABLE', `identity event "${eventId}" is a ${event.state} ${event.kind}: only applied merges and splits can be undone`, { kind: 'bad_input', fix: 'held merges are approved or rejected: `revloop identity approve|reject <id>`' });
  const changes = JSON.parse(event.changes) as Change[];
  const reason = `undo of ${eventId}${options.by ? ` by ${options.by}` : ''}`;
  for (const c of changes) {
    if (event.kind === 'merge') await override(store, event.entity_type, c.id, c.to, 'apart', reason, options.now);
    else if (c.from) await override(store, event.entity_type, c.id, c.from, 'together', reason, options.now);
  }
  await store.db.updateTable('identity_events').set({ state: 'undone', decided_at: options.now }).where('id', '=', eventId).execute();
  const ids = new Set<string>();
  for (const c of changes) for (const id of [c.id, c.to, c.from]) if (id) ids.add(id);
  await resolveRows(store, event.entity_type as IdentityEntity, ids, { now: options.now, config: options.config });
  return { rows: changes.length };
}

async function decideHeld(store: Store, eventId: string, rule: 'together' | 'apart', options: IdentityDecisionOptions): Promise<void> {
  const event = await eventOf(store, eventId);
  if (event.kind !== 'held' || event.state !== 'held')
    throw new RevloopError('IDENTITY_EVENT_NOT_HELD', `identity event "${eventId}" is a ${event.state} ${event.kind}, not a held merge`, { kind: 'bad_input', fix: 'list held merges with `revloop identity held`' });
  const held = JSON.parse(event.changes) as { a: string; b: string; membersA: string[]; membersB: string[] };
  await override(store, event.entity_type, held.a, held.b, rule, `${rule === 'together' ? 'approved' : 'rejected'} ${eventId}${options.by ? ` by ${options.by}` : ''}`, options.now);
  await store.db.updateTable('identity_events').set({ state: rule === 'together' ? 'approved' : 'rejected', decided_at: options.now }).where('id', '=', eventId).execute();
  await resolveRows(store, event.entity_type as IdentityEntity, [...held.membersA, ...held.membersB], { now: options.now, config: options.config });
}

export const approveHeldMerge = (store: Store, eventId: string, options: IdentityDecisionOptions) => decideHeld(store, eventId, 'together', options);
export const rejectHeldMerge = (store: Store, eventId: string, options: IdentityDecisionOptions) => decideHeld(store, eventId, 'apart', options);
