// The sandbox's identity noise and its ground truth: the CRMs show the same companies and people
// with seeded differences (docs/scenario.md, identityNoise), the market itself is untouched, and
// identityTruth maps every vendor record back to its market entity and reports the cases no
// resolver can get right.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMarket, IdentityNoise, identityNoiseFor, identityTruth, loadScenario, normalizedEmail, startSandbox, type MarketEvent, type Sandbox, type Scenario } from '../src/index.js';
import { smallScenario } from './market/helpers.js';

const DAYS = 20;
/** the domain a resolver keys on: no scheme, no www., no path, lower case */
const bareDomain = (s: string) => s.trim().toLowerCase().replace(/^[a-z]+:\/\//, '').split('/')[0]!.replace(/^www\./, '');

function events(scenario: Scenario, days: number): MarketEvent[] {
  const market = createMarket(scenario);
  const out: MarketEvent[] = [];
  market.subscribe({ apply: (e) => void out.push(e) });
  for (let d = 0; d < days; d++) market.advanceDay();
  return out;
}

describe('identity noise: decisions', () => {
  it('leaves the market alone: the same events with the noise on, off or at full rates', () => {
    const on = events(smallScenario(), 10);
    expect(events(smallScenario({ identityNoise: { enabled: false } }), 10)).toEqual(on);
    expect(events(smallScenario({ identityNoise: { personalEmail: 1, duplicateCompany: 1, renamedCompany: 1 } }), 10)).toEqual(on);
  });

  it('is a function of the seed and the entity: the same twice, different for another seed', () => {
    const spec = smallScenario().identityNoise;
    const c = { id: 'con_000321', email: 'ana.garcia@acme321.com', firstName: 'Ana', lastName: 'Garcia' };
    const seen = new Set<string>();
    for (let seed = 1; seed <= 300; seed++) {
      const noise = new IdentityNoise(seed, { ...spec, plusAlias: 0.5, emailCase: 0.5 });
      expect(noise.contact(c)).toEqual(new IdentityNoise(seed, { ...spec, plusAlias: 0.5, emailCase: 0.5 }).contact(c));
      seen.add(JSON.stringify(noise.contact(c).email));
    }
    expect(seen.size).toBeGreaterThan(3);
  });

  it('a personal address replaces the work email in one system; every other variant normalises back to it', () => {
    const noise = new IdentityNoise(5, { ...smallScenario().identityNoise, emailCase: 0.3, plusAlias: 0.3, personalEmail: 0.1 });
    const counts = { personal: 0, plus: 0, cased: 0 };
    for (let i = 1; i <= 2000; i++) {
      const email = `first.last${i}@company${i}.com`;
      const n = noise.contact({ id: `con_${i}`, email, firstName: 'First', lastName: 'Last' });
      const changed = (['hubspot', 'salesforce'] as const).filter((s) => n.email[s] !== email);
      if (n.personal) {
        counts.personal++;
        expect(changed).toEqual([n.personal]);
        expect(n.email[n.personal]).toMatch(/@(gmail|outlook|yahoo|icloud)\.com$/);
        expect(normalizedEmail(n.email[n.personal])).not.toBe(email);
      } else for (const s of changed) expect(normalizedEmail(n.email[s])).toBe(email);
      if (n.plus) counts.plus++;
      if (n.cased) counts.cased++;
    }
    // 2,000 draws: each share within a few standard deviations of its rate
    expect(counts.personal / 2000).toBeGreaterThan(0.07);
    expect(counts.personal / 2000).toBeLessThan(0.13);
    expect(counts.plus / 2000).toBeGreaterThan(0.22); // 0.3 of the 90% not personal
    expect(counts.plus / 2000).toBeLessThan(0.32);
    expect(counts.cased / 2000).toBeGreaterThan(0.22);
    expect(counts.cased / 2000).toBeLessThan(0.32);
  });

  it('is off when disabled, and refuses a rate outside [0, 1] with its path', () => {
    expect(identityNoiseFor(smallScenario({ identityNoise: { enabled: false } }))).toBeUndefined();
    expect(identityNoiseFor(smallScenario())).toBeInstanceOf(IdentityNoise);
    expect(() => loadScenario({ identityNoise: { plusAlias: 1.5 } })).toThrow(/identityNoise\.plusAlias/);
    expect(() => loadScenario({ identityNoise: { plusAlia: 0.1 } })).toThrow(/identityNoise/);
  });
});

describe('identity noise through the CRM emulators, and its truth', () => {
  let sandbox: Sandbox;
  beforeAll(async () => {
    sandbox = await startSandbox({ scenario: smallScenario({ identityNoise: { duplicateCompany: 0.05, secondDomain: 0.05, renamedCompany: 0.05, personalEmail: 0.02 } }), vendors: ['hubspot', 'salesforce'] });
    for (let d = 0; d < DAYS; d++) sandbox.advanceDay();
  });
  afterAll(() => sandbox?.stop());

  it('every vendor record maps to a market entity; the two CRMs differ where the noise says', () => {
    const truth = identityTruth(sandbox);
    const hs = sandbox.hubspot!.state;
    const sf = sandbox.salesforce!.state;
    const accounts = sandbox.scenario.accounts.count;
    const byId = new Map((sandbox.market as unknown as { population: { accounts: { id: string; name: string; domain: string }[] } }).population.accounts.map((a) => [a.id, a]));
    const hsAccounts = truth.records.filter((r) => r.system === 'hubspot' && r.entityType === 'account');
    const sfAccounts = truth.records.filter((r) => r.system === 'salesforce' && r.entityType === 'account');
    expect(sfAccounts).toHaveLength(accounts);
    expect(hsAccounts.length).toBe(hs.stores.companies.size);
    const duplicates = hsAccounts.length - accounts;
    expect(duplicates).toBeGreaterThan(0);
    expect(new Set(hsAccounts.map((r) => r.entityId)).size).toBe(accounts);

    let secondDomains = 0;
    let renamed = 0;
    for (const r of hsAccounts) {
      const company = hs.stores.companies.get(r.systemId)!;
      const market = byId.get(r.entityId)!;
      // a duplicate's domain differs only by www. or case
      expect(bareDomain(company.properties.domain!)).toBe(market.domain);
      if (company.properties.hs_additional_domains) secondDomains++;
    }
    for (const r of sfAccounts) {
      const account = sf.get(r.systemId)!;
      const market = byId.get(r.entityId)!;
      const website = bareDomain(String(account.values.Website));
      const hub = hs.stores.companies.get(hs.hubspotIdOf(r.entityId)!)!;
      // Salesforce's Website is the company's domain, or the second domain HubSpot lists
      expect([market.domain, ...(hub.properties.hs_additional_domains?.split(';') ?? [])]).toContain(website);
      if (account.values.Name !== hub.properties.name) renamed++;
    }
    expect(secondDomains).toBeGreaterThan(0);
    expect(renamed).toBeGreaterThan(0);
  });

  it('contacts: the same persons in both systems, some with another email in one of them; ambiguous cases reported', () => {
    const truth = identityTruth(sandbox);
    const contacts = truth.records.filter((r) => r.entityType === 'contact');
    const hs = contacts.filter((r) => r.system === 'hubspot');
    const sf = contacts.filter((r) => r.system === 'salesforce');
    expect(new Set(hs.map((r) => r.entityId))).toEqual(new Set(sf.map((r) => r.entityId)));
    const emailOf = (r: (typeof contacts)[number]) =>
      r.system === 'hubspot' ? sandbox.hubspot!.state.stores.contacts.get(r.systemId)!.properties.email! : String(sandbox.salesforce!.state.get(r.systemId)!.values.Email);
    // the same market record in both systems: its two emails differ for a few, by case, alias or provider
    let differ = 0;
    let caseOrAlias = 0;
    for (const r of hs) {
      const sfId = sandbox.salesforce!.state.idOf(sandbox.hubspot!.state.marketIdOf(r.systemId)!)!;
      const a = emailOf(r);
      const b = String(sandbox.salesforce!.state.get(sfId)!.values.Email);
      if (a === b) continue;
      differ++;
      if (normalizedEmail(a) === normalizedEmail(b)) caseOrAlias++;
    }
    expect(differ).toBeGreaterThan(0);
    expect(differ).toBeLessThan(hs.length * 0.2);
    expect(caseOrAlias).toBeGreaterThan(0);

    const personal = truth.ambiguous.filter((a) => a.kind === 'personal_email');
    expect(personal.length).toBeGreaterThan(0);
    for (const a of personal) {
      const r = a.records[0]!;
      expect(truth.isAmbiguous(r.system, 'contact', r.systemId)).toBe(true);
      expect(emailOf({ ...r, entityType: 'contact', entityId: '', deleted: false })).toMatch(/@(gmail|outlook|yahoo|icloud)\.com$/);
    }
    // the market's own duplicates (a second address for one person) appear after day 1
    expect(truth.ambiguous.some((a) => a.kind === 'second_address')).toBe(true);
    expect(truth.persons).toBeLessThanOrEqual(new Set(hs.map((r) => r.entityId)).size);
    expect(truth.companies).toBeLessThanOrEqual(sandbox.scenario.accounts.count);
  });

  it('with the noise off both CRMs show the market as it is', async () => {
    const clean = await startSandbox({ scenario: smallScenario({ identityNoise: { enabled: false } }), vendors: ['hubspot', 'salesforce'] });
    try {
      clean.advanceDay();
      const truth = identityTruth(clean);
      expect(truth.records.filter((r) => r.system === 'hubspot' && r.entityType === 'account')).toHaveLength(clean.scenario.accounts.count);
      expect(truth.ambiguous.filter((a) => a.kind === 'personal_email')).toEqual([]);
      for (const r of clean.salesforce!.state.all('Account')) expect(String(r.values.Website)).toMatch(/^[a-z0-9]+\.com$/);
      for (const r of clean.hubspot!.state.stores.contacts.all()) expect(r.properties.email).toBe(r.properties.email!.toLowerCase());
    } finally {
      await clean.stop();
    }
  });
});
