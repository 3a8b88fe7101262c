// The quickstart's identity target (issue #24): after a sync like the quickstart's — the default
// config's CRM connectors with every stream (deals included) and the sample connector, on the
// sandbox market with its default identity noise — there is one resolved account per simulated
// company (plus the sample's own accounts) and one resolved contact per simulated person (plus the
// sample's), give or take the sandbox's deliberate ambiguous cases, which the report names.
// The small market (200 companies) by default; IDENTITY_QUICKSTART_FULL=1 runs the quickstart's own
// market (the default scenario, seed 7: 2,000 companies), which takes minutes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRuntime, identityReport, parseConfig, renderIdentityReport, resolveIdentities, SimulatedClock, syncConnectors, type IdentityReport, type Runtime } from '@revloop/core';
import { identityTruth, loadScenario, smallScenarioPath, startSandbox, hubspotPersonaNames, type IdentityTruth, type Sandbox } from '@revloop/sandbox';
import { hubspotConnector } from '@revloop/connector-hubspot';
import { salesforceConnector } from '@revloop/connector-salesforce';
import { referenceConnector } from '@revloop/connector-reference';

const SAMPLE_DATA = fileURLToPath(new URL('../../examples/data', import.meta.url));

let dir: string;
let sandbox: Sandbox;
let runtime: Runtime;
let truth: IdentityTruth;
let report: IdentityReport;
/** the sample's live rows (its JSON lines delete 2 accounts and 7 contacts): each its own entity */
const SAMPLE = { accounts: 0, contacts: 0 };

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'revloop-identity-quickstart-'));
  const full = process.env.IDENTITY_QUICKSTART_FULL === '1';
  sandbox = await startSandbox(full ? { seed: 7, vendors: ['hubspot', 'salesforce'] } : { scenario: loadScenario(JSON.parse(readFileSync(fileURLToPath(smallScenarioPath), 'utf8'))), vendors: ['hubspot', 'salesforce'] });
  for (let d = 0; d < 3; d++) sandbox.advanceDay();
  const r = sandbox.refs;
  const loaded = parseConfig(
    {
      store: { kind: 'sqlite', path: join(dir, 'revloop.db') },
      log: { level: 'warn' },
      connectors: {
        sample: { plugin: referenceConnector, dataDir: SAMPLE_DATA, pageSize: 100 },
        hubspot: { plugin: hubspotConnector, baseUrl: r['hubspot.url'], accessToken: r['hubspot.token'], personas: { ...hubspotPersonaNames }, rateLimits: { secondly: 100_000, tenSecondly: 1_000_000, daily: 1_000_000_000, searchSecondly: 100_000 } },
        salesforce: { plugin: salesforceConnector, instanceUrl: r['salesforce.url'], loginUrl: r['salesforce.url'], clientId: r['salesforce.clientId'], clientSecret: r['salesforce.clientSecret'], refreshToken: r['salesforce.refreshToken'] },
      },
    },
    { baseDir: dir, env: {} },
  );
  runtime = await createRuntime(loaded, { clock: new SimulatedClock(sandbox.market.now()) });
  await runtime.store.migrate();
  const ingest = await syncConnectors(runtime);
  expect(ingest.failures).toEqual([]);
  await resolveIdentities(runtime.store, { now: sandbox.market.now() });
  truth = identityTruth(sandbox);
  report = await identityReport(runtime.store);
  for (const [table, key] of [['accounts', 'accounts'], ['contacts', 'contacts']] as const) {
    SAMPLE[key] = Number((await runtime.store.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).where('source_system', '=', 'sample').where('deleted', '=', 0).executeTakeFirstOrThrow()).n);
  }
}, process.env.IDENTITY_QUICKSTART_FULL === '1' ? 1_200_000 : 240_000);

afterAll(async () => {
  await runtime?.close();
  await sandbox?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('quickstart identity: one account per company, one contact per person', () => {
  it('accounts: the simulated companies in both CRMs, the sample apart; held merges reported', () => {
    const ambiguous = truth.ambiguous.filter((a) => a.entityType === 'account').length;
    console.log(JSON.stringify({ quickstart: 'accounts', companies: truth.companies, sample: SAMPLE.accounts, resolved: report.accounts.entities, bySystems: report.accounts.bySystems, held: report.held, ambiguous }));
    console.log(renderIdentityReport(report).join('\n'));
    expect(report.accounts.bySystems.sample).toBe(SAMPLE.accounts);
    const market = report.accounts.entities - SAMPLE.accounts;
    expect(Math.abs(market - truth.companies), 'resolved market accounts vs simulated companies').toBeLessThanOrEqual(ambiguous + report.held);
    expect(report.accounts.bySystems['hubspot+salesforce']).toBeGreaterThanOrEqual(truth.companies - ambiguous - report.held);
  });

  it('contacts: the simulated persons, ± the ambiguous cases the sandbox plants (reported)', () => {
    const cases = truth.ambiguous.filter((a) => a.entityType === 'contact');
    const byKind: Record<string, number> = {};
    for (const c of cases) byKind[c.kind] = (byKind[c.kind] ?? 0) + 1;
    console.log(JSON.stringify({ quickstart: 'contacts', persons: truth.persons, sample: SAMPLE.contacts, resolved: report.contacts.entities, bySystems: report.contacts.bySystems, personalEmailOnly: report.contacts.personalEmailOnly, ambiguous: byKind }));
    expect(report.contacts.bySystems.sample).toBe(SAMPLE.contacts);
    const market = report.contacts.entities - SAMPLE.contacts;
    expect(Math.abs(market - truth.persons), 'resolved market contacts vs simulated persons').toBeLessThanOrEqual(cases.length);
    // the report sees the personal-address cases without the truth: each is a person it cannot join
    expect(report.contacts.personalEmailOnly).toBeGreaterThanOrEqual(byKind.personal_email ?? 0);
  });
});
