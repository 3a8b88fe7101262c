// What a resolution left behind, in the words a user checks it by: resolved accounts and contacts
// by the connectors that know them (a company in both CRMs, the sample's own accounts), the
// merges waiting for a person, and the people only a personal mailbox identifies (nothing in their
// address can join them to their other records).
import type { Store } from '@revloop/store';
import { personalEmailDomains } from './normalize.js';

export interface ResolvedBreakdown {
  entities: number;
  /** resolved entities per set of connectors holding their rows, e.g. { "hubspot+salesforce": 2000, "sample": 50 } */
  bySystems: Record<string, number>;
}

export interface IdentityReport {
  accounts: ResolvedBreakdown;
  contacts: ResolvedBreakdown & {
    /** resolved contacts whose every address is a personal mailbox (gmail.com…): matched by nothing */
    personalEmailOnly: number;
  };
  /** merges held for review (`revloop identity held`) */
  held: number;
}

async function breakdown(store: Store, table: 'resolved_accounts' | 'resolved_contacts'): Promise<ResolvedBreakdown> {
  const rows = await store.db.selectFrom(table as 'resolved_accounts').select((eb) => ['systems', eb.fn.countAll<number>().as('n')]).groupBy('systems').execute();
  const bySystems: Record<string, number> = {};
  let entities = 0;
  for (const r of rows) {
    const key = (JSON.parse(r.systems) as string[]).sort().join('+') || '(none)';
    bySystems[key] = (bySystems[key] ?? 0) + Number(r.n);
    entities += Number(r.n);
  }
  return { entities, bySystems: Object.fromEntries(Object.entries(bySystems).sort((a, b) => b[1] - a[1])) };
}

export async function identityReport(store: Store): Promise<IdentityReport> {
  const accounts = await breakdown(store, 'resolved_accounts');
  const contacts = await breakdown(store, 'resolved_contacts');
  // contacts resolved by their own row only, with a personal address: per entity, every live row's domain
  const emails = await store.db.selectFrom('contacts').select(['resolved_id', 'email']).where('deleted', '=', 0).where('resolved_id', 'is not', null).execute();
  const personal = new Map<string, boolean>();
  for (const e of emails) {
    const domain = e.email?.slice(e.email.lastIndexOf('@') + 1).trim().toLowerCase();
    const isPersonal = !!domain && personalEmailDomains.has(domain);
    personal.set(e.resolved_id!, (personal.get(e.resolved_id!) ?? true) && isPersonal);
  }
  const held = await store.db.selectFrom('identity_events').select((eb) => eb.fn.countAll<number>().as('n')).where('state', '=', 'held').executeTakeFirst();
  return { accounts, contacts: { ...contacts, personalEmailOnly: [...personal.values()].filter(Boolean).length }, held: Number(held?.n ?? 0) };
}

const fmt = (n: number) => n.toLocaleString('en-US');

/** "2,050 resolved accounts: 2,000 hubspot+salesforce, 50 sample; …" */
export function renderIdentityReport(r: IdentityReport): string[] {
  const parts = (b: ResolvedBreakdown) => Object.entries(b.bySystems).map(([s, n]) => `${fmt(n)} ${s}`).join(', ');
  return [
    `${fmt(r.accounts.entities)} resolved accounts: ${parts(r.accounts)}${r.held ? `; ${fmt(r.held)} merge${r.held === 1 ? '' : 's'} held for review (revloop identity held)` : ''}`,
    `${fmt(r.contacts.entities)} resolved contacts: ${parts(r.contacts)}${r.contacts.personalEmailOnly ? `; ${fmt(r.contacts.personalEmailOnly)} known only by a personal address (gmail.com…), matched to nothing` : ''}`,
  ];
}
