// One deal, one outcome: a deal kept in two CRMs (mirrored by a sync between them) is two
// opportunity rows. They are one deal when they belong to one resolved account under one name
// (case and spacing aside). The deal's outcomes are recorded under one of its rows — the one an
// outcome was already recorded under, whenever that was, so a mirror synced later (or a merge of
// the two accounts) never starts a second count — and it is won when any of its rows is won.
import type { Store } from '@revloop/store';
import { membersOf, resolvedIdsOf } from './lookup.js';

export interface DealRow {
  id: string;
  account_id: string | null;
  name: string | null;
  created_at: number | null;
  updated_at: number | null;
  is_won: number | null;
  is_closed: number | null;
  amount_micros: number | null;
}

const CHUNK = 500;

/** the rows of these opportunities, one per deal, on their resolved accounts */
export async function oneRowPerDeal<T extends DealRow>(store: Store, opps: T[]): Promise<T[]> {
  const entityOf = await resolvedIdsOf(store, 'account', opps.map((o) => o.account_id).filter((x): x is string => !!x));
  const keyOf = (accountEntity: string | undefined, name: string | null, id: string) => (accountEntity && name?.trim() ? `${accountEntity}\u0000${name.trim().toLowerCase()}` : id);
  const deals = new Map<string, T[]>();
  for (const o of opps) {
    const k = keyOf(o.account_id ? entityOf.get(o.account_id) : undefined, o.name, o.id);
    (deals.get(k) ?? deals.set(k, []).get(k)!).push(o);
  }
  const recorded = await recordedRows(store, [...new Set(entityOf.values())], keyOf);
  const out: T[] = [];
  for (const [k, rows] of deals) {
    const byId = [...rows].sort((a, b) => (a.id < b.id ? -1 : 1));
    const id = recorded.get(k) ?? byId[0]!.id;
    const base = rows.find((r) => r.id === id) ?? byId[0]!;
    const won = byId.find((r) => r.is_closed && r.is_won);
    const created = Math.min(...rows.map((r) => Number(r.created_at ?? r.updated_at ?? Number.POSITIVE_INFINITY)));
    out.push({
      ...base,
      ...(won ? { is_closed: won.is_closed, is_won: won.is_won, amount_micros: won.amount_micros, updated_at: won.updated_at } : {}),
      id,
      account_id: base.account_id ? entityOf.get(base.account_id)! : null,
      created_at: Number.isFinite(created) ? created : base.created_at,
    });
  }
  return out;
}

/** deal key → the opportunity an outcome is already recorded under (the smallest id when several) */
async function recordedRows(store: Store, entities: string[], keyOf: (entity: string | undefined, name: string | null, id: string) => string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const { entityOf } = await membersOf(store, 'account', entities);
  const rows = [...entityOf.keys()];
  for (let i = 0; i < rows.length; i += CHUNK) {
    const found = await store.db
      .selectFrom('outcomes')
      .innerJoin('opportunities', 'opportunities.id', 'outcomes.opportunity_id')
      .select(['opportunities.id', 'opportunities.account_id', 'opportunities.name'])
      .where('opportunities.account_id', 'in', rows.slice(i, i + CHUNK))
      .execute();
    for (const f of found) {
      const k = keyOf(entityOf.get(f.account_id!), f.name, f.id);
      const prev = out.get(k);
      if (!prev || f.id < prev) out.set(k, f.id);
    }
  }
  return out;
}
