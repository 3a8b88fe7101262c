// Golden records: which row's value each field of a resolved entity shows. 'priority' takes the
// first non-empty value in identity.sourcePriority order (then the most recent); 'recent' the
// most recently updated row's. Deleted rows never lend a value.
import type { IdentityConfig } from './config.js';

export interface MemberRow {
  id: string;
  system: string;
  resolvedId: string | null;
  deleted: boolean;
  createdAt: number | null;
  updatedAt: number | null;
  syncedAt: number;
  fields: Record<string, unknown>;
  attributes: Record<string, unknown> | null;
  accountId: string | null;
}

export interface GoldenResult {
  rows: Map<string, Record<string, unknown>>;
  /** cluster ids whose rows are all deleted: no golden record */
  empty: string[];
}

export function goldenRecords(
  type: 'account' | 'contact',
  clusters: Map<string, MemberRow[]>,
  config: IdentityConfig,
  /** contact clusters: account row id → its resolved account id */
  accountOf: Map<string, string>,
  now: number,
): GoldenResult {
  const rows = new Map<string, Record<string, unknown>>();
  const empty: string[] = [];
  const rank = (s: string) => {
    const i = config.sourcePriority.indexOf(s);
    return i < 0 ? config.sourcePriority.length : i;
  };
  const recent = (a: MemberRow, b: MemberRow) => (b.updatedAt ?? b.createdAt ?? 0) - (a.updatedAt ?? a.createdAt ?? 0) || rank(a.system) - rank(b.system) || (a.id < b.id ? -1 : 1);
  const byPriority = (a: MemberRow, b: MemberRow) => rank(a.system) - rank(b.system) || recent(a, b);
  const defaultRule = config.sourcePriority.length ? 'priority' : 'recent';
  const ordered = (live: MemberRow[], field: string) => [...live].sort((config.survivorship[field] ?? defaultRule) === 'priority' ? byPriority : recent);
  const pick = (live: MemberRow[], field: string, value: (m: MemberRow) => unknown) => {
    for (const m of ordered(live, field)) {
      const v = value(m);
      if (v !== null && v !== undefined && v !== '') return v;
    }
    return null;
  };

  for (const [clusterId, members] of clusters) {
    const live = members.filter((m) => !m.deleted);
    if (!live.length) {
      empty.push(clusterId);
      continue;
    }
    const fields = type === 'account' ? ['name', 'domain', 'industry', 'size', 'region', 'employees'] : ['email', 'first_name', 'last_name', 'title', 'persona', 'lifecycle_stage'];
    const golden: Record<string, unknown> = { id: clusterId };
    for (const f of fields) golden[f] = pick(live, f, (m) => m.fields[f]);
    if (type === 'account') {
      // attributes: every row's, the preferred row's value winning on a shared name
      const merged: Record<string, unknown> = {};
      for (const m of ordered(live, 'attributes').reverse()) Object.assign(merged, m.attributes ?? {});
      golden.attributes = Object.keys(merged).length ? JSON.stringify(merged) : null;
    } else {
      golden.account_id = pick(live, 'account_id', (m) => (m.accountId ? (accountOf.get(m.accountId) ?? m.accountId) : null));
      golden.attributes = null;
    }
    golden.members = live.length;
    golden.systems = JSON.stringify([...new Set(live.map((m) => m.system))].sort());
    golden.updated_at = now;
    rows.set(clusterId, golden);
  }
  return { rows, empty };
}
