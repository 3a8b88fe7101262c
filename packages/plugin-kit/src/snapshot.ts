// A comparable picture of the unified model: every synced row (minus the columns that record
// *when* revloop wrote it) and the identity map, sorted. Two syncs that should end the same
// must produce equal snapshots.
import type { Store } from '@revloop/core';

const syncedTables = ['accounts', 'contacts', 'signals', 'campaigns', 'touchpoints', 'opportunities'] as const;
const writeTimeColumns = new Set(['synced_at', 'deleted_at']);

export type UnifiedSnapshot = Record<string, Record<string, unknown>[]>;

export async function unifiedSnapshot(store: Store): Promise<UnifiedSnapshot> {
  const out: UnifiedSnapshot = {};
  for (const table of syncedTables) {
    const rows = await store.db.selectFrom(table).selectAll().orderBy('id').execute();
    out[table] = rows.map((r) => Object.fromEntries(Object.entries(r).filter(([k]) => !writeTimeColumns.has(k))));
  }
  const ids = await store.db.selectFrom('external_ids').select(['system', 'entity_type', 'system_id', 'entity_id']).orderBy('system').orderBy('entity_type').orderBy('system_id').execute();
  out.external_ids = ids;
  return out;
}

export function countRows(snapshot: UnifiedSnapshot): Record<string, number> {
  return Object.fromEntries(Object.entries(snapshot).map(([t, rows]) => [t, rows.length]));
}
