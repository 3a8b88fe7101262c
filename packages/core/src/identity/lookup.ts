// Reading through identity resolution: a row id → the entity it belongs to, and an entity → all
// of its rows. A row the resolver has not seen (resolved_id NULL), or an id with no row (a link to
// a record not synced yet), is its own entity.
import type { Store } from '@revloop/store';

const CHUNK = 500;
const tables = { account: 'accounts', contact: 'contacts' } as const;

export type ResolvedType = keyof typeof tables;

/** row id → resolved entity id (every id given is in the map) */
export async function resolvedIdsOf(store: Store, type: ResolvedType, ids: Iterable<string>): Promise<Map<string, string>> {
  const list = [...new Set(ids)];
  const out = new Map<string, string>(list.map((id) => [id, id]));
  for (let i = 0; i < list.length; i += CHUNK) {
    const rows = await store.db.selectFrom(tables[type] as 'accounts').select(['id', 'resolved_id']).where('id', 'in', list.slice(i, i + CHUNK)).where('resolved_id', 'is not', null).execute();
    for (const r of rows) out.set(r.id, r.resolved_id!);
  }
  return out;
}

/** resolved entity id → its row ids (itself included), and row id → entity id */
export async function membersOf(store: Store, type: ResolvedType, entityIds: Iterable<string>): Promise<{ members: Map<string, string[]>; entityOf: Map<string, string> }> {
  const list = [...new Set(entityIds)];
  const members = new Map<string, string[]>(list.map((id) => [id, [id]]));
  const entityOf = new Map<string, string>(list.map((id) => [id, id]));
  for (let i = 0; i < list.length; i += CHUNK) {
    const rows = await store.db.selectFrom(tables[type] as 'accounts').select(['id', 'resolved_id']).where('resolved_id', 'in', list.slice(i, i + CHUNK)).execute();
    for (const r of rows) {
      if (r.id === r.resolved_id) continue;
      members.get(r.resolved_id!)!.push(r.id);
      entityOf.set(r.id, r.resolved_id!);
    }
  }
  return { members, entityOf };
}

/**
 * Per-entity newest times from a reader of per-row times: the reader is given every row of the
 * entities (the ids of rows merged into them included), and each map it returns is folded back to
 * the entity by its latest value. A decision made for a row before it was merged into an entity
 * is the entity's decision: its cooldown and "recently treated" count after the merge.
 */
export async function latestPerEntity<T extends { [K in keyof T]: Map<string, number> }>(store: Store, type: ResolvedType, entityIds: Iterable<string>, read: (rowIds: string[]) => Promise<T>): Promise<T> {
  const { entityOf } = await membersOf(store, type, entityIds);
  const perRow = await read([...entityOf.keys()]);
  const out = {} as Record<string, Map<string, number>>;
  for (const [name, byRow] of Object.entries(perRow) as [string, Map<string, number>][]) {
    const byEntity = new Map<string, number>();
    for (const [row, at] of byRow) {
      const entity = entityOf.get(row) ?? row;
      byEntity.set(entity, Math.max(byEntity.get(entity) ?? Number.NEGATIVE_INFINITY, at));
    }
    out[name] = byEntity;
  }
  return out as T;
}
