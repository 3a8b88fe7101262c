// Identity resolution: links the accounts (and contacts) of every connector that are one real
// customer. Incremental: only rows synced since the last run, and the rows they can now match or
// used to be resolved with, are clustered again. Each cluster's id is one of its own rows' ids
// (the id it had before when there was one), so a row that is alone is its own entity and
// everything decided before resolution existed still points at a valid entity.
import { performance } from 'node:perf_hooks';
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database, Store } from '@revloop/store';
import { defaultIdentityConfig, type IdentityConfig } from './config.js';
import { accountKeys, contactKeys } from './keys.js';
import { goldenRecords, type MemberRow } from './survivorship.js';
import { Clusters, type HeldMerge } from './clusters.js';
import { linkParkedSignals } from '../webhooks/account-link.js';

export type IdentityEntity = 'account' | 'contact';

export const identityTables = { account: 'accounts', contact: 'contacts' } as const;
const goldenTables = { account: 'resolved_accounts', contact: 'resolved_contacts' } as const;
const fieldsOf = {
  account: ['name', 'domain', 'industry', 'size', 'region', 'employees'],
  contact: ['email', 'first_name', 'last_name', 'title', 'persona', 'lifecycle_stage'],
} as const;

const CHUNK = 500;
/** above this share of changed rows, the whole table is clustered in memory at once */
const FULL_SHARE = 0.2;

export interface ResolveTypeSummary {
  /** rows synced since the last run */
  changed: number;
  /** rows clustered again (the changed ones and those they can match) */
  examined: number;
  /** rows whose resolved entity changed */
  reassigned: number;
  merges: number;
  splits: number;
  /** merges waiting for a person (see `revloop identity held`) */
  held: number;
  /** resolved entities (live) in the store after the run */
  entities: number;
  rows: number;
}

export interface IdentityRunSummary {
  accounts: ResolveTypeSummary;
  contacts: ResolveTypeSummary;
  /** webhook signals parked without an account that a sync's contacts now place */
  parkedSignalsLinked: number;
  ms: number;
}

export interface ResolveOptions {
  now: number;
  config?: IdentityConfig;
  /** cluster every row again, ignoring the incremental cursor */
  full?: boolean;
}

const emptySummary = (): ResolveTypeSummary => ({ changed: 0, examined: 0, reassigned: 0, merges: 0, splits: 0, held: 0, entities: 0, rows: 0 });

export async function resolveIdentities(store: Store, options: ResolveOptions): Promise<IdentityRunSummary> {
  const t0 = performance.now();
  const config = options.config ?? defaultIdentityConfig;
  // webhook signals parked without an account get it once a sync brought their contact
  const parked = await linkParkedSignals(store);
  const accounts = await resolveType(store, 'account', config, options, new Set());
  // a contact's resolved account follows its account's cluster: re-resolve contacts of accounts that moved
  const contacts = await resolveType(store, 'contact', config, options, await contactsOfAccounts(store.db, accounts.movedRows));
  return { accounts: accounts.summary, contacts: contacts.summary, parkedSignalsLinked: parked, ms: performance.now() - t0 };
}

/** resolves these rows again (and what they can match) whether or not they changed: after a person's override */
export async function resolveRows(store: Store, type: IdentityEntity, ids: Iterable<string>, options: ResolveOptions): Promise<ResolveTypeSummary> {
  const config = options.config ?? defaultIdentityConfig;
  const result = await resolveType(store, type, config, { ...options, full: false }, new Set(ids));
  if (type === 'account' && result.movedRows.size) await resolveType(store, 'contact', config, { ...options, full: false }, await contactsOfAccounts(store.db, result.movedRows));
  return result.summary;
}

async function contactsOfAccounts(db: Kysely<Database>, accountIds: Set<string>): Promise<Set<string>> {
  const out = new Set<string>();
  for (const c of chunks([...accountIds])) for (const r of await db.selectFrom('contacts').select('id').where('account_id', 'in', c).execute()) out.add(r.id);
  return out;
}

function chunks<T>(list: T[], size = CHUNK): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size));
  return out;
}

async function readCursor(db: Kysely<Database>, type: IdentityEntity): Promise<number | undefined> {
  const row = await db.selectFrom('plugin_state').select('value').where('plugin', '=', 'identity').where('key', '=', `cursor:${type}`).executeTakeFirst();
  return row ? Number(JSON.parse(row.value)) : undefined;
}

async function writeCursor(db: Kysely<Database> | Transaction<Database>, type: IdentityEntity, value: number, now: number): Promise<void> {
  await db
    .insertInto('plugin_state')
    .values({ plugin: 'identity', key: `cursor:${type}`, value: JSON.stringify(value), updated_at: now })
    .onConflict((oc) => oc.columns(['plugin', 'key']).doUpdateSet({ value: JSON.stringify(value), updated_at: now }))
    .execute();
}

async function loadRows(db: Kysely<Database>, type: IdentityEntity, where: { ids?: string[]; since?: number; all?: boolean }): Promise<MemberRow[]> {
  const table = identityTables[type];
  const columns = ['id', 'source_system', 'resolved_id', 'deleted', 'created_at', 'updated_at', 'synced_at', ...fieldsOf[type], ...(type === 'account' ? ['attributes'] : ['account_id'])];
  const run = async (q: any): Promise<MemberRow[]> => ((await q.execute()) as any[]).map((r) => toMember(type, r));
  const base = () => (db.selectFrom(table as 'accounts') as any).select(columns);
  if (where.all) return run(base());
  if (where.since !== undefined) return run(base().where('synced_at', '>', where.since));
  const out: MemberRow[] = [];
  for (const c of chunks(where.ids ?? [])) out.push(...(await run(base().where('id', 'in', c))));
  return out;
}

function toMember(type: IdentityEntity, r: any): MemberRow {
  const fields: Record<string, unknown> = {};
  for (const f of fieldsOf[type]) fields[f] = r[f];
  let attributes: Record<string, unknown> | null = null;
  if (type === 'account' && r.attributes) {
    try {
      attributes = JSON.parse(r.attributes);
    } catch {
      attributes = null;
    }
  }
  return {
    id: r.id,
    system: r.source_system,
    resolvedId: r.resolved_id ?? null,
    deleted: Number(r.deleted) === 1,
    createdAt: r.created_at === null ? null : Number(r.created_at),
    updatedAt: r.updated_at === null ? null : Number(r.updated_at),
    syncedAt: Number(r.synced_at),
    fields,
    attributes,
    accountId: r.account_id ?? null,
  };
}

/** the row's id in its own system, for mapping fields that point at it */
async function systemIdsOf(db: Kysely<Database>, ids: string[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const c of chunks(ids)) {
    const rows = await db.selectFrom('external_ids').select(['entity_id', 'system_id']).where('entity_type', '=', 'account').where('entity_id', 'in', c).execute();
    for (const r of rows) out.set(r.entity_id, r.system_id);
  }
  return out;
}

async function keysFor(db: Kysely<Database>, type: IdentityEntity, rows: MemberRow[], config: IdentityConfig): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  const needSystemIds = type === 'account' && config.accounts.mappingFields.length > 0;
  const systemIds = needSystemIds ? await systemIdsOf(db, rows.filter((r) => config.accounts.mappingFields.some((m) => m.refersTo === r.system)).map((r) => r.id)) : new Map<string, string>();
  for (const r of rows) {
    if (r.deleted) {
      out.set(r.id, []);
      continue;
    }
    out.set(
      r.id,
      type === 'account'
        ? accountKeys({ id: r.id, source_system: r.system, domain: (r.fields.domain as string | null) ?? null, attributes: r.attributes, systemId: systemIds.get(r.id) }, config)
        : contactKeys({ email: (r.fields.email as string | null) ?? null }, config),
    );
  }
  return out;
}

interface TypeResult {
  summary: ResolveTypeSummary;
  /** rows whose resolved entity changed (their contacts' resolved account may change too) */
  movedRows: Set<string>;
}

async function resolveType(store: Store, type: IdentityEntity, config: IdentityConfig, options: ResolveOptions, alsoAffected: Set<string>): Promise<TypeResult> {
  const db = store.db;
  const table = identityTables[type];
  const summary = emptySummary();
  const cursor = options.full ? undefined : await readCursor(db, type);
  const total = Number((await db.selectFrom(table as 'accounts').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst())?.n ?? 0);
  summary.rows = total;

  let changed = await loadRows(db, type, cursor === undefined ? { all: true } : { since: cursor });
  if (alsoAffected.size) {
    // rows to resolve again though they did not change (contacts of accounts that moved, rows a person overrode)
    const known = new Set(changed.map((r) => r.id));
    changed = changed.concat(await loadRows(db, type, { ids: [...alsoAffected].filter((id) => !known.has(id)) }));
  }
  summary.changed = changed.length;
  if (!changed.length) {
    summary.entities = await countEntities(db, type);
    return { summary, movedRows: new Set() };
  }
  let newCursor = cursor ?? 0;
  for (const r of changed) if (r.syncedAt > newCursor) newCursor = r.syncedAt;
  const changedKeys = await keysFor(db, type, changed, config);

  // the rows to cluster again: every row when most changed, else the changed rows, the rows
  // they were resolved with, and the rows sharing a key with any of those (to a fixed point)
  const wholeTable = cursor === undefined || changed.length >= total * FULL_SHARE;
  const rows = new Map<string, MemberRow>();
  const keysOfRow = new Map<string, string[]>();
  if (wholeTable) {
    // a first (or full) run loaded every row as `changed` already: not read twice
    if (cursor !== undefined) for (const r of await loadRows(db, type, { all: true })) rows.set(r.id, r);
    for (const r of changed) rows.set(r.id, r);
    const stored = wholeTable && cursor === undefined ? new Map<string, string[]>() : await storedKeys(db, type, undefined);
    for (const id of rows.keys()) keysOfRow.set(id, changedKeys.get(id) ?? stored.get(id) ?? []);
    if (cursor === undefined) {
      // first run (or full): keys of rows not in `changed` are computed too
      const missing = [...rows.values()].filter((r) => !changedKeys.has(r.id));
      for (const [id, k] of await keysFor(db, type, missing, config)) keysOfRow.set(id, k);
    }
  } else {
    for (const r of changed) rows.set(r.id, r);
    for (const [id, k] of changedKeys) keysOfRow.set(id, k);
    await expand(db, type, rows, keysOfRow);
  }
  summary.examined = rows.size;

  const overrides = await db.selectFrom('identity_overrides').select(['a', 'b', 'rule']).where('entity_type', '=', type).execute();
  const open = type === 'account' && config.holdConflictingMerges ? await openOpportunities(db, [...rows.keys()]) : new Map();
  const approvedHolds = new Set(overrides.filter((o) => o.rule === 'together').map((o) => `${o.a}\u0000${o.b}`));
  const clusters = new Clusters([...rows.keys()], { open, systemOf: (id) => rows.get(id)!.system, apart: overrides.filter((o) => o.rule === 'apart') });
  for (const o of overrides) if (o.rule === 'together' && rows.has(o.a) && rows.has(o.b)) clusters.union(o.a, o.b, { force: true });
  const byKey = new Map<string, string[]>();
  for (const [id, keys] of keysOfRow) {
    if (rows.get(id)?.deleted) continue;
    for (const k of keys) {
      const list = byKey.get(k);
      if (list) list.push(id);
      else byKey.set(k, [id]);
    }
  }
  for (const ids of byKey.values()) for (let i = 1; i < ids.length; i++) clusters.union(ids[0]!, ids[i]!);

  // cluster ids: the id most members had before when it is one of theirs; else the most trusted, oldest row
  const priority = (s: string) => {
    const i = config.sourcePriority.indexOf(s);
    return i < 0 ? config.sourcePriority.length : i;
  };
  const assigned = new Map<string, string>(); // row id → cluster id
  const groups = clusters.groups();
  for (const members of groups) {
    const votes = new Map<string, number>();
    const inCluster = new Set(members);
    for (const id of members) {
      const prev = rows.get(id)!.resolvedId;
      if (prev && inCluster.has(prev)) votes.set(prev, (votes.get(prev) ?? 0) + 1);
    }
    let clusterId: string | undefined;
    for (const [id, n] of votes) if (!clusterId || n > votes.get(clusterId)! || (n === votes.get(clusterId)! && id < clusterId)) clusterId = id;
    if (!clusterId) {
      const sorted = members.map((id) => rows.get(id)!).sort((a, b) => Number(a.deleted) - Number(b.deleted) || priority(a.system) - priority(b.system) || (a.createdAt ?? Infinity) - (b.createdAt ?? Infinity) || (a.id < b.id ? -1 : 1));
      clusterId = sorted[0]!.id;
    }
    for (const id of members) assigned.set(id, clusterId);
  }

  const changes: { id: string; from: string | null; to: string }[] = [];
  for (const [id, to] of assigned) {
    const from = rows.get(id)!.resolvedId;
    if (from !== to) changes.push({ id, from, to });
  }
  summary.reassigned = changes.filter((c) => c.from !== null || c.to !== c.id).length;
  const events = eventsFor(type, groups, assigned, rows, options.now);
  const held = clusters.held.filter((h) => !approvedHolds.has(`${h.a}\u0000${h.b}`));
  summary.merges = events.filter((e) => e.kind === 'merge').length;
  summary.splits = events.filter((e) => e.kind === 'split').length;
  summary.held = held.length;

  // golden records for every cluster that changed or holds a changed row
  const touched = new Set<string>();
  for (const c of changes) touched.add(c.to);
  for (const r of changed) touched.add(assigned.get(r.id)!);
  const retired = new Set<string>();
  const clusterIds = new Set(assigned.values());
  for (const c of changes) if (c.from && !clusterIds.has(c.from)) retired.add(c.from);
  for (const r of changed) if (assigned.get(r.id) !== r.id) retired.add(r.id);
  const membersOf = new Map<string, MemberRow[]>();
  for (const [id, clusterId] of assigned) if (touched.has(clusterId)) (membersOf.get(clusterId) ?? membersOf.set(clusterId, []).get(clusterId)!).push(rows.get(id)!);
  const accountOf = type === 'contact' ? await resolvedAccountsOf(db, [...membersOf.values()].flat().map((m) => m.accountId).filter((x): x is string => !!x)) : new Map<string, string>();
  const golden = goldenRecords(type, membersOf, config, accountOf, options.now);
  for (const id of golden.empty) retired.add(id);
  for (const id of golden.rows.keys()) retired.delete(id);

  await db.transaction().execute(async (trx) => {
    await replaceKeys(trx, type, changedKeys, wholeTable && cursor === undefined ? keysOfRow : undefined);
    await setResolved(trx, table, changes);
    await upsertGolden(trx, type, [...golden.rows.values()]);
    for (const c of chunks([...retired])) await trx.deleteFrom(goldenTables[type] as 'resolved_accounts').where('id', 'in', c).execute();
    for (const c of chunks(events, 50)) await trx.insertInto('identity_events').values(c).onConflict((oc) => oc.column('id').doNothing()).execute();
    for (const c of chunks(held.map((h) => heldEvent(type, h, options.now)), 50)) await trx.insertInto('identity_events').values(c).onConflict((oc) => oc.column('id').doNothing()).execute();
    await writeCursor(trx, type, newCursor, options.now);
  });
  summary.entities = await countEntities(db, type);
  return { summary, movedRows: new Set(changes.filter((c) => c.from !== null && c.from !== c.to).map((c) => c.id)) };
}

async function countEntities(db: Kysely<Database>, type: IdentityEntity): Promise<number> {
  const row = await db.selectFrom(goldenTables[type] as 'resolved_accounts').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst();
  return Number(row?.n ?? 0);
}

async function storedKeys(db: Kysely<Database>, type: IdentityEntity, ids: string[] | undefined): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  const add = (rows: { key: string; entity_id: string }[]) => {
    for (const r of rows) (out.get(r.entity_id) ?? out.set(r.entity_id, []).get(r.entity_id)!).push(r.key);
  };
  if (!ids) add(await db.selectFrom('identity_keys').select(['key', 'entity_id']).where('entity_type', '=', type).execute());
  else for (const c of chunks(ids)) add(await db.selectFrom('identity_keys').select(['key', 'entity_id']).where('entity_type', '=', type).where('entity_id', 'in', c).execute());
  return out;
}

/** grows `rows` to every row that shares a key or a previous cluster with a row in it */
async function expand(db: Kysely<Database>, type: IdentityEntity, rows: Map<string, MemberRow>, keysOfRow: Map<string, string[]>): Promise<void> {
  const table = identityTables[type];
  let frontier = [...rows.keys()];
  const seenKeys = new Set<string>();
  for (let round = 0; frontier.length && round < 20; round++) {
    const found = new Set<string>();
    // rows resolved together with the frontier before
    const previous = [...new Set(frontier.map((id) => rows.get(id)!.resolvedId).filter((x): x is string => !!x))];
    for (const c of chunks(previous)) {
      const mates = await db.selectFrom(table as 'accounts').select('id').where('resolved_id', 'in', c).execute();
      for (const m of mates) if (!rows.has(m.id)) found.add(m.id);
      for (const id of c) if (!rows.has(id)) found.add(id);
    }
    // rows a person tied to (or kept apart from) the frontier
    for (const c of chunks(frontier)) {
      const pairs = await db.selectFrom('identity_overrides').select(['a', 'b']).where('entity_type', '=', type).where((eb) => eb.or([eb('a', 'in', c), eb('b', 'in', c)])).execute();
      for (const p of pairs) for (const id of [p.a, p.b]) if (!rows.has(id)) found.add(id);
    }
    // rows sharing a key with the frontier (keys of changed rows are the new ones, not yet stored)
    const keys = new Set<string>();
    for (const id of frontier) for (const k of keysOfRow.get(id) ?? []) if (!seenKeys.has(k)) keys.add(k);
    for (const k of keys) seenKeys.add(k);
    for (const c of chunks([...keys])) {
      const sharing = await db.selectFrom('identity_keys').select('entity_id').where('entity_type', '=', type).where('key', 'in', c).execute();
      for (const s of sharing) if (!rows.has(s.entity_id)) found.add(s.entity_id);
    }
    const loaded = await loadRows(db, type, { ids: [...found] });
    const stored = await storedKeys(db, type, loaded.map((r) => r.id));
    for (const r of loaded) {
      rows.set(r.id, r);
      keysOfRow.set(r.id, stored.get(r.id) ?? []);
    }
    frontier = loaded.map((r) => r.id);
  }
}

/** per account row: the CRM it comes from and the names of its open opportunities */
async function openOpportunities(db: Kysely<Database>, accountIds: string[]): Promise<Map<string, Set<string>>> {
  const out = new Map<string, Set<string>>();
  for (const c of chunks(accountIds)) {
    const rows = await db.selectFrom('opportunities').select(['account_id', 'name']).where('account_id', 'in', c).where('is_closed', '=', 0).where('deleted', '=', 0).execute();
    for (const r of rows) (out.get(r.account_id!) ?? out.set(r.account_id!, new Set()).get(r.account_id!)!).add((r.name ?? '').trim().toLowerCase());
  }
  return out;
}

async function resolvedAccountsOf(db: Kysely<Database>, accountIds: string[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const c of chunks([...new Set(accountIds)])) {
    const rows = await db.selectFrom('accounts').select(['id', 'resolved_id']).where('id', 'in', c).execute();
    for (const r of rows) out.set(r.id, r.resolved_id ?? r.id);
  }
  return out;
}

async function replaceKeys(trx: Transaction<Database>, type: IdentityEntity, changedKeys: Map<string, string[]>, all: Map<string, string[]> | undefined): Promise<void> {
  const source = all ?? changedKeys;
  if (all) await trx.deleteFrom('identity_keys').where('entity_type', '=', type).execute();
  else for (const c of chunks([...changedKeys.keys()])) await trx.deleteFrom('identity_keys').where('entity_type', '=', type).where('entity_id', 'in', c).execute();
  const values: { entity_type: string; key: string; entity_id: string }[] = [];
  for (const [id, keys] of source) for (const key of keys) values.push({ entity_type: type, key, entity_id: id });
  for (const c of chunks(values, 300)) await trx.insertInto('identity_keys').values(c).onConflict((oc) => oc.doNothing()).execute();
}

async function setResolved(trx: Transaction<Database>, table: string, changes: { id: string; to: string }[]): Promise<void> {
  // one statement per 400 rows, joined to a VALUES list (column1 = row id, column2 = its entity; the
  // same names on SQLite and PostgreSQL): UPDATE … FROM looks each row up by its key, where a
  // CASE over the ids compared every row with every WHEN
  for (const c of chunks(changes, 400)) {
    const values = sql.join(c.map((x) => sql`(${x.id}, ${x.to})`));
    await sql`UPDATE ${sql.table(table)} SET resolved_id = v.column2 FROM (VALUES ${values}) AS v WHERE ${sql.table(table)}.id = v.column1`.execute(trx);
  }
}

async function upsertGolden(trx: Transaction<Database>, type: IdentityEntity, rows: Record<string, unknown>[]): Promise<void> {
  if (!rows.length) return;
  const table = goldenTables[type] as 'resolved_accounts';
  const columns = Object.keys(rows[0]!).filter((c) => c !== 'id');
  for (const c of chunks(rows, 80)) {
    await trx
      .insertInto(table)
      .values(c as any)
      .onConflict((oc) => oc.column('id').doUpdateSet(Object.fromEntries(columns.map((col) => [col, (eb: any) => eb.ref(`excluded.${col}`)])) as any))
      .execute();
  }
}

type EventRow = Database['identity_events'] extends infer T ? { [K in keyof T]: T[K] } : never;

/** a merge per cluster that gained rows it was not resolved with; a split per cluster that fell apart */
function eventsFor(type: IdentityEntity, groups: string[][], assigned: Map<string, string>, rows: Map<string, MemberRow>, now: number): EventRow[] {
  const events: EventRow[] = [];
  const before = new Map<string, Set<string>>(); // previous cluster → the clusters its rows are in now
  for (const [id, to] of assigned) {
    const from = rows.get(id)!.resolvedId;
    if (from) (before.get(from) ?? before.set(from, new Set()).get(from)!).add(to);
  }
  for (const members of groups) {
    if (members.length < 2) continue;
    const to = assigned.get(members[0]!)!;
    const moved = members.filter((id) => rows.get(id)!.resolvedId !== to);
    if (!moved.length) continue;
    events.push({
      id: `merge:${type}:${to}:${now}`,
      entity_type: type,
      kind: 'merge',
      resolved_id: to,
      changes: JSON.stringify(moved.map((id) => ({ id, from: rows.get(id)!.resolvedId, to }))),
      reason: 'shared match keys',
      state: 'applied',
      created_at: now,
      decided_at: null,
    });
  }
  for (const [from, now_] of before) {
    if (now_.size < 2) continue;
    const moved = [...assigned].filter(([id, to]) => rows.get(id)!.resolvedId === from && to !== from).map(([id, to]) => ({ id, from, to }));
    if (!moved.length) continue;
    events.push({ id: `split:${type}:${from}:${now}`, entity_type: type, kind: 'split', resolved_id: from, changes: JSON.stringify(moved), reason: 'no longer share a match key', state: 'applied', created_at: now, decided_at: null });
  }
  return events;
}

function heldEvent(type: IdentityEntity, h: HeldMerge, now: number): EventRow {
  return {
    id: `held:${type}:${h.a}:${h.b}`,
    entity_type: type,
    kind: 'held',
    resolved_id: null,
    changes: JSON.stringify({ a: h.a, b: h.b, membersA: h.membersA, membersB: h.membersB }),
    reason: h.reason,
    state: 'held',
    created_at: now,
    decided_at: null,
  };
}
