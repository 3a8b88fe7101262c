// Identity resolution against the sandbox's ground truth (issue #24): the sandbox serves the same
// companies and people through HubSpot and Salesforce with seeded noise (email case, plus aliases,
// personal addresses, a duplicate HubSpot company, a second domain, renames, Website URLs); the real
// connectors sync both into a SQLite store; resolveIdentities links them. Every store row is mapped
// back to its vendor record through the identity map (external_ids) and from there to the market
// entity it stands for (identityTruth). Pairwise precision and recall are measured on the records a
// resolver can place from their data; the cases it cannot (reported by the truth) are left out and
// counted.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRuntime, parseConfig, resolveIdentities, SimulatedClock, syncConnectors, type Runtime } from '@revloop/core';
import { identityTruth, loadScenario, smallScenarioPath, startSandbox, type IdentityTruth, type Sandbox } from '@revloop/sandbox';
import { hubspotConnector } from '@revloop/connector-hubspot';
import { salesforceConnector } from '@revloop/connector-salesforce';
import { hubspotPersonaNames } from '@revloop/sandbox';

const DAYS = 6;
// above the defaults, so that each kind of noise occurs several times in 200 companies
const NOISE = { emailCase: 0.1, plusAlias: 0.05, personalEmail: 0.02, duplicateCompany: 0.05, secondDomain: 0.05, renamedCompany: 0.05 };
// HubSpot deals are left out: the same deal in both CRMs makes every merge of an account with an open
// deal one to hold for review (issue #24, bad input), which is the resolver's own test, not this one
const PLAN = { hubspot: ['companies', 'contacts', 'email_events', 'web_events'], salesforce: ['accounts', 'contacts'] };

type System = 'hubspot' | 'salesforce';
interface Row {
  system: System;
  systemId: string;
  rowId: string;
  resolved: string;
}

let dir: string;
let sandbox: Sandbox;
let runtime: Runtime;
let clock: SimulatedClock;
let truth: IdentityTruth;
let summary: Awaited<ReturnType<typeof resolveIdentities>>;

/** every live row of `table` from HubSpot and Salesforce, with its vendor id and resolved entity */
async function rows(entityType: 'account' | 'contact'): Promise<Row[]> {
  const table = entityType === 'account' ? 'accounts' : 'contacts';
  const found = await runtime.store.db
    .selectFrom('external_ids as e')
    .innerJoin(`${table} as r` as 'accounts as r', 'r.id', 'e.entity_id')
    .select(['e.system', 'e.system_id', 'r.id', 'r.resolved_id'])
    .where('e.entity_type', '=', entityType)
    .where('e.system', 'in', ['hubspot', 'salesforce'])
    .where('r.deleted', '=', 0)
    .execute();
  return found.map((r) => ({ system: r.system as System, systemId: r.system_id, rowId: r.id, resolved: r.resolved_id ?? r.id }));
}

const pairs = (n: number) => (n * (n - 1)) / 2;
function countBy(keys: string[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const k of keys) m.set(k, (m.get(k) ?? 0) + 1);
  return m;
}
const sumPairs = (m: Map<string, number>) => [...m.values()].reduce((s, n) => s + pairs(n), 0);

/** pairwise precision and recall of the resolved entities against the truth, on the non-ambiguous rows */
function pairScores(entityType: 'account' | 'contact', all: Row[]) {
  const scored = all.filter((r) => truth.entityOf(r.system, entityType, r.systemId) !== undefined && !truth.isAmbiguous(r.system, entityType, r.systemId));
  const truthOf = (r: Row) => truth.entityOf(r.system, entityType, r.systemId)!;
  const together = sumPairs(countBy(scored.map((r) => `${truthOf(r)}\0${r.resolved}`)));
  const predicted = sumPairs(countBy(scored.map((r) => r.resolved)));
  const actual = sumPairs(countBy(scored.map(truthOf)));
  return { rows: all.length, scored: scored.length, truePairs: actual, resolvedPairs: predicted, precision: predicted ? together / predicted : 1, recall: actual ? together / actual : 1 };
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'revloop-identity-truth-'));
  const base = JSON.parse(readFileSync(fileURLToPath(smallScenarioPath), 'utf8'));
  sandbox = await startSandbox({ scenario: loadScenario({ ...base, identityNoise: NOISE }), vendors: ['hubspot', 'salesforce'] });
  for (let d = 0; d < DAYS; d++) sandbox.advanceDay();
  const r = sandbox.refs;
  const loaded = parseConfig(
    {
      store: { kind: 'sqlite', path: join(dir, 'revloop.db') },
      log: { level: 'warn' },
      connectors: {
        hubspot: { plugin: hubspotConnector, baseUrl: r['hubspot.url'], accessToken: r['hubspot.token'], personas: { ...hubspotPersonaNames } },
        salesforce: { plugin: salesforceConnector, instanceUrl: r['salesforce.url'], loginUrl: r['salesforce.url'], clientId: r['salesforce.clientId'], clientSecret: r['salesforce.clientSecret'], refreshToken: r['salesforce.refreshToken'] },
      },
    },
    { baseDir: dir, env: {} },
  );
  clock = new SimulatedClock(sandbox.market.now());
  runtime = await createRuntime(loaded, { clock });
  await runtime.store.migrate();
  const ingest = await syncConnectors(runtime, { plan: PLAN });
  expect(ingest.failures).toEqual([]);
  summary = await resolveIdentities(runtime.store, { now: sandbox.market.now() });
  truth = identityTruth(sandbox);
}, 240_000);

afterAll(async () => {
  await runtime?.close();
  await sandbox?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('identity resolution on the sandbox truth', () => {
  it('the store holds every vendor record the truth knows, and the HubSpot companies carry their other domains', async () => {
    const accounts = await rows('account');
    const known = truth.records.filter((t) => t.entityType === 'account' && !t.deleted);
    expect(accounts.length).toBe(known.length);
    for (const a of accounts) expect(truth.entityOf(a.system, 'account', a.systemId), `${a.system} ${a.systemId}`).toBeDefined();
    const withDomains = await runtime.store.db.selectFrom('accounts').select('attributes').where('source_system', '=', 'hubspot').where('attributes', 'like', '%additional_domains%').execute();
    expect(withDomains.length).toBeGreaterThan(0);
    for (const w of withDomains) expect(JSON.parse(w.attributes!).additional_domains).toEqual([expect.stringMatching(/^[a-z0-9]+\.io$/)]);
  });

  it('accounts: precision >= 0.99 and recall >= 0.95 of resolved pairs; one resolved account per market company', async () => {
    const accounts = await rows('account');
    const s = pairScores('account', accounts);
    const ambiguous = truth.ambiguous.filter((a) => a.entityType === 'account').length;
    const resolved = new Set(accounts.map((a) => a.resolved)).size;
    console.log(JSON.stringify({ identity: 'accounts', ...s, companies: truth.companies, resolved, ambiguous, held: summary.accounts.held }));
    expect(s.truePairs).toBeGreaterThan(truth.companies); // both CRMs, plus HubSpot's duplicates
    expect(s.precision).toBeGreaterThanOrEqual(0.99);
    expect(s.recall).toBeGreaterThanOrEqual(0.95);
    expect(Math.abs(resolved - truth.companies)).toBeLessThanOrEqual(ambiguous);
  });

  it('contacts: precision >= 0.99 and recall >= 0.95 of resolved pairs, the ambiguous cases reported and counted', async () => {
    const contacts = await rows('contact');
    const s = pairScores('contact', contacts);
    const cases = truth.ambiguous.filter((a) => a.entityType === 'contact');
    const byKind = countBy(cases.map((a) => a.kind));
    const resolved = new Set(contacts.map((c) => c.resolved)).size;
    console.log(JSON.stringify({ identity: 'contacts', ...s, persons: truth.persons, resolved, ambiguous: Object.fromEntries(byKind), held: summary.contacts.held }));
    expect(byKind.get('personal_email')).toBeGreaterThan(0);
    expect(s.truePairs).toBeGreaterThan(truth.persons * 0.9);
    expect(s.precision).toBeGreaterThanOrEqual(0.99);
    expect(s.recall).toBeGreaterThanOrEqual(0.95);
    // each ambiguous case can leave at most one extra entity (or join two persons into one)
    expect(Math.abs(resolved - truth.persons)).toBeLessThanOrEqual(cases.length);
  });

  it('a HubSpot signal lands on the same resolved account (and person) as the Salesforce rows of that company', async () => {
    const signals = await runtime.store.db
      .selectFrom('signals as s')
      .innerJoin('accounts as a', 'a.id', 's.account_id')
      .leftJoin('contacts as c', 'c.id', 's.contact_id')
      .select(['s.id', 'a.resolved_id as account', 'a.id as accountRow', 'c.resolved_id as person', 'c.id as contactRow'])
      .where('s.source_system', '=', 'hubspot')
      .execute();
    expect(signals.length).toBeGreaterThan(0);
    const sfAccounts = await rows('account');
    const sfContacts = await rows('contact');
    const byRow = new Map([...sfAccounts, ...sfContacts].map((r) => [r.rowId, r]));
    const salesforceOf = (entityType: 'account' | 'contact', list: Row[]) => {
      const m = new Map<string, string>();
      for (const r of list) if (r.system === 'salesforce' && !truth.isAmbiguous('salesforce', entityType, r.systemId)) m.set(truth.entityOf('salesforce', entityType, r.systemId)!, r.resolved);
      return m;
    };
    const sfAccountOf = salesforceOf('account', sfAccounts);
    const sfPersonOf = salesforceOf('contact', sfContacts);
    let checkedAccounts = 0;
    let checkedPersons = 0;
    for (const s of signals) {
      const hubRow = byRow.get(s.accountRow)!;
      const company = truth.entityOf('hubspot', 'account', hubRow.systemId);
      if (!company || !sfAccountOf.has(company)) continue;
      expect(s.account ?? s.accountRow, `signal ${s.id}`).toBe(sfAccountOf.get(company));
      checkedAccounts++;
      const hubContact = s.contactRow ? byRow.get(s.contactRow) : undefined;
      if (!hubContact || truth.isAmbiguous('hubspot', 'contact', hubContact.systemId)) continue;
      const person = truth.entityOf('hubspot', 'contact', hubContact.systemId)!;
      if (!sfPersonOf.has(person)) continue;
      expect(s.person ?? s.contactRow, `signal ${s.id}`).toBe(sfPersonOf.get(person));
      checkedPersons++;
    }
    expect(checkedAccounts).toBeGreaterThan(signals.length * 0.9);
    expect(checkedPersons).toBeGreaterThan(0);
  });

  // last: it moves the market and the store on by a day
  it('after another day, an incremental run examines a fraction of the rows and the scores hold', async () => {
    sandbox.advanceDay();
    clock.set(sandbox.market.now());
    const ingest = await syncConnectors(runtime, { plan: PLAN });
    expect(ingest.failures).toEqual([]);
    const next = await resolveIdentities(runtime.store, { now: sandbox.market.now() });
    truth = identityTruth(sandbox);
    const contacts = await rows('contact');
    console.log(JSON.stringify({ identity: 'incremental', accounts: next.accounts, contacts: next.contacts }));
    expect(next.contacts.changed).toBeGreaterThan(0); // lifecycle changes, new duplicates
    expect(next.contacts.examined).toBeLessThan(contacts.length / 2);
    const s = pairScores('contact', contacts);
    expect(s.precision).toBeGreaterThanOrEqual(0.99);
    expect(s.recall).toBeGreaterThanOrEqual(0.95);
    const accounts = pairScores('account', await rows('account'));
    expect(accounts.precision).toBeGreaterThanOrEqual(0.99);
    expect(accounts.recall).toBeGreaterThanOrEqual(0.95);
  });
});
