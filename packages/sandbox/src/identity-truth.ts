// Ground truth for identity resolution (benchmarks and tests only): which market company or person
// every HubSpot and Salesforce record stands for, and the cases no resolver can get right from the
// records alone (a person known by a personal address in one system, the same person entered twice
// under two addresses, two persons sharing one address). Read from the emulators' own id maps, so
// it covers exactly the records the vendors serve.
import type { Sandbox } from './sandbox.js';
import type { SimMarket } from './market/market.js';
import { accountOfDuplicateId, identityNoiseFor, type CrmSystem } from './market/identity-noise.js';

export type IdentityEntityType = 'account' | 'contact';

export interface TruthRecord {
  system: CrmSystem;
  entityType: IdentityEntityType;
  /** the vendor's record id (HubSpot's numeric id, Salesforce's 18-char Id) */
  systemId: string;
  /** the market company (acc_…) or person (con_… of the person's first record) it stands for */
  entityId: string;
  /** archived / in the recycle bin (a merged-away duplicate, a deleted record) */
  deleted: boolean;
}

export type AmbiguousKind = 'personal_email' | 'second_address' | 'shared_address';

export interface AmbiguousCase {
  kind: AmbiguousKind;
  entityType: IdentityEntityType;
  /** the market entities involved */
  entityIds: string[];
  /** the records a resolver cannot place from their data */
  records: { system: CrmSystem; systemId: string }[];
  why: string;
}

export interface IdentityTruth {
  records: TruthRecord[];
  ambiguous: AmbiguousCase[];
  /** the market entity behind a vendor record (undefined: created through the API, unknown to the market) */
  entityOf(system: CrmSystem, entityType: IdentityEntityType, systemId: string): string | undefined;
  /** true when the record is part of a reported ambiguous case */
  isAmbiguous(system: CrmSystem, entityType: IdentityEntityType, systemId: string): boolean;
  /** live (undeleted) market companies and persons that some vendor record stands for */
  companies: number;
  persons: number;
}

const key = (system: string, entityType: string, systemId: string) => `${system}\0${entityType}\0${systemId}`;

/** the address a resolver keys on: lower case, no plus tag */
export function normalizedEmail(email: string): string {
  const e = email.trim().toLowerCase();
  const at = e.lastIndexOf('@');
  if (at < 0) return e;
  const local = e.slice(0, at).replace(/\+.*$/, '');
  return `${local}@${e.slice(at + 1)}`;
}

export function identityTruth(sandbox: Pick<Sandbox, 'market' | 'scenario' | 'hubspot' | 'salesforce'>): IdentityTruth {
  const population = (sandbox.market as Partial<SimMarket>).population;
  if (!population) throw new Error('identityTruth: the sandbox market exposes no population (expected the simulated market of startSandbox)');
  const noise = identityNoiseFor(sandbox.scenario);
  const personOf = (marketContactId: string): string => {
    const k = population.contactIndex.get(marketContactId);
    if (k === undefined) return marketContactId;
    const original = population.duplicateOf[k]!;
    return original >= 0 ? population.contacts[original]!.id : marketContactId;
  };
  const records: TruthRecord[] = [];
  const emails: { system: CrmSystem; systemId: string; email: string; marketId: string; deleted: boolean }[] = [];

  const hs = sandbox.hubspot?.state;
  if (hs) {
    for (const r of hs.stores.companies.all()) {
      const m = hs.marketIdOf(r.id);
      if (m) records.push({ system: 'hubspot', entityType: 'account', systemId: r.id, entityId: accountOfDuplicateId(m), deleted: r.archived });
    }
    for (const r of hs.stores.contacts.all()) {
      const m = hs.marketIdOf(r.id);
      if (!m) continue;
      records.push({ system: 'hubspot', entityType: 'contact', systemId: r.id, entityId: personOf(m), deleted: r.archived });
      if (r.properties.email) emails.push({ system: 'hubspot', systemId: r.id, email: r.properties.email, marketId: m, deleted: r.archived });
    }
  }
  const sf = sandbox.salesforce?.state;
  if (sf) {
    for (const [type, entityType] of [['Account', 'account'], ['Contact', 'contact']] as const) {
      for (const r of sf.all(type)) {
        if (!r.marketId) continue;
        const deleted = r.values.IsDeleted === true;
        records.push({ system: 'salesforce', entityType, systemId: r.id, entityId: entityType === 'contact' ? personOf(r.marketId) : r.marketId, deleted });
        if (entityType === 'contact' && typeof r.values.Email === 'string') emails.push({ system: 'salesforce', systemId: r.id, email: r.values.Email, marketId: r.marketId, deleted });
      }
    }
  }

  const ambiguous: AmbiguousCase[] = [];
  // a person known by a personal address in one system: nothing in the email ties the two records
  for (const e of emails) {
    const k = population.contactIndex.get(e.marketId);
    const c = k === undefined ? undefined : population.contacts[k];
    if (!c || !noise || noise.contact(c).personal !== e.system) continue;
    ambiguous.push({ kind: 'personal_email', entityType: 'contact', entityIds: [personOf(e.marketId)], records: [{ system: e.system, systemId: e.systemId }], why: `${e.email}: a personal address, no work email to match on` });
  }
  // the same person entered again under another work address (the market's hygiene duplicates)
  const seconds = new Map<string, { system: CrmSystem; systemId: string }[]>();
  for (const e of emails) {
    const k = population.contactIndex.get(e.marketId);
    if (k === undefined || population.duplicateOf[k]! < 0) continue;
    const list = seconds.get(e.marketId) ?? [];
    list.push({ system: e.system, systemId: e.systemId });
    seconds.set(e.marketId, list);
  }
  for (const [marketId, recs] of seconds) {
    ambiguous.push({ kind: 'second_address', entityType: 'contact', entityIds: [personOf(marketId)], records: recs, why: `${marketId} is a second record of ${personOf(marketId)} under another address` });
  }
  // two different persons behind one normalized address (initial + last name collisions)
  const byAddress = new Map<string, typeof emails>();
  for (const e of emails) {
    if (e.deleted) continue;
    const a = normalizedEmail(e.email);
    const list = byAddress.get(a) ?? [];
    list.push(e);
    byAddress.set(a, list);
  }
  for (const [address, list] of byAddress) {
    const persons = new Set(list.map((e) => personOf(e.marketId)));
    if (persons.size < 2) continue;
    ambiguous.push({ kind: 'shared_address', entityType: 'contact', entityIds: [...persons], records: list.map((e) => ({ system: e.system, systemId: e.systemId })), why: `${address} belongs to ${persons.size} different persons` });
  }

  const byKey = new Map(records.map((r) => [key(r.system, r.entityType, r.systemId), r.entityId]));
  const flagged = new Set<string>();
  for (const a of ambiguous) for (const r of a.records) flagged.add(key(r.system, a.entityType, r.systemId));
  const live = (t: IdentityEntityType) => new Set(records.filter((r) => r.entityType === t && !r.deleted).map((r) => r.entityId)).size;
  return {
    records,
    ambiguous,
    entityOf: (system, entityType, systemId) => byKey.get(key(system, entityType, systemId)),
    isAmbiguous: (system, entityType, systemId) => flagged.has(key(system, entityType, systemId)),
    companies: live('account'),
    persons: live('contact'),
  };
}
