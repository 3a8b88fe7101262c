// The conformance suite catches real faults: a connector built from the kit's blocks passes every
// check against the fake vendor, and each deliberately broken copy of it is caught by its check.
import { describe, expect, it, type TestContext } from 'vitest';
import { describeConnectorConformance, startFakeVendor, type ConformanceHarness, type ConformanceOptions } from '../src/index.js';
import { checkKillResume } from '../src/kill-resume.js';
import { checkCompleteness, checkDeletes, checkLinks, checkResumeReadsLess, checkRetryAfter, checkSecrets, checkTies } from '../src/faults.js';
import { fakeCrm, type Faults } from './fixtures/fake-crm.js';

async function setup(opts: { probes?: boolean } = {}): Promise<ConformanceHarness> {
  const vendor = await startFakeVendor({
    resources: {
      // no updatedAt: every record shares the vendor clock's now (ties across every page boundary)
      companies: [1, 2, 3, 4, 5].map((i) => ({ id: `co${i}`, name: `Company ${i}`, domain: `c${i}.test` })),
      contacts: [1, 2, 3, 4, 5, 6, 7].map((i) => ({ id: `ct${i}`, email: `p${i}@c${(i % 5) + 1}.test`, companyId: `co${(i % 5) + 1}` })),
    },
  });
  const config = { baseUrl: vendor.url, apiKey: vendor.apiKey, pageSize: 3 };
  const probes = vendor.probes({ companies: 'companies', contacts: 'contacts' });
  return {
    config,
    badCredentialsConfig: { ...config, apiKey: 'wrong-key-0123456789' },
    ...(opts.probes === false ? { clock: probes.clock, vendorIds: probes.vendorIds } : probes),
    tick: () => vendor.clock.advance(1000),
    change() {
      vendor.clock.advance(1000);
      vendor.upsert('contacts', { id: 'ct2', email: 'new2@c3.test' });
      vendor.upsert('contacts', { id: 'ct8', email: 'p8@c1.test', companyId: 'co1' });
      vendor.upsert('companies', { id: 'co2', name: 'Renamed' });
      return { contacts: 2, companies: 1 };
    },
    deleteOne() {
      vendor.clock.advance(1000);
      vendor.remove('contacts', 'ct3');
      return { stream: 'contacts', systemId: 'ct3' };
    },
    teardown: () => vendor.close(),
  };
}

const fixture = new URL('./fixtures/fake-crm.ts', import.meta.url);
const options = (faults: Faults = {}, probes = true): ConformanceOptions => ({ connector: fakeCrm(faults), name: 'crm', setup: () => setup({ probes }), child: { module: fixture, exportName: 'goodCrm' } });

// the good connector passes the whole suite (kill -9 resume included), with the fake vendor's probes
describeConnectorConformance({ ...options(), skip: ['merges', 'actions'] });

/** a check that skips itself here would prove nothing: fail instead */
const noSkip = { skip: (note?: string) => { throw new Error(`the check skipped: ${note}`); } } as unknown as TestContext;

describe('each check catches its fault', () => {
  it('completeness: a stream that rejects every record', async () => {
    await expect(checkCompleteness(options({ rejectAll: true }))).rejects.toThrow(/stream contacts rejected 7 record/);
  });

  it('secrets: an API key kept in the checkpoint (a next-page URL) lands in the store', async () => {
    await expect(checkSecrets(options({ keyInCheckpoint: true }), noSkip)).rejects.toThrow(/leaked into the store/);
  });

  it('secrets: an API key copied into raw never lands in the store (core strips secret() values from records)', async () => {
    await expect(checkSecrets(options({ keyInRaw: true }), noSkip)).resolves.toBeUndefined();
  });

  it('secrets: a key not marked secret() and logged reaches the log lines', async () => {
    await expect(checkSecrets(options({ plainKeyLogged: true }), noSkip)).rejects.toThrow(/leaked into log lines/);
  });

  it('resume: a checkpoint that stays at the start until the last page', async () => {
    await expect(checkResumeReadsLess(options({ staleCheckpoint: true }))).rejects.toThrow(/the resume read \d+ records after 3 were stored/);
  });

  it('Retry-After (vendor probe): a 429 retried after 100 ms when the vendor asked for 2 s', async () => {
    await expect(checkRetryAfter(options({ ignoreRetryAfter: true }), noSkip)).rejects.toThrow(/before the vendor's Retry-After had passed/);
  });

  it('Retry-After (no probe: injected into ctx.http): the same fault', async () => {
    await expect(checkRetryAfter(options({ ignoreRetryAfter: true }, false), noSkip)).rejects.toThrow(/before its Retry-After \(1 s\) had passed/);
  });

  it('Retry-After (no probe): the good connector passes', async () => {
    await expect(checkRetryAfter(options({}, false), noSkip)).resolves.toBeUndefined();
  });

  it('deletes: declares tombstones, delivers archived records', async () => {
    await expect(checkDeletes(options({ wrongDeleteMode: true }))).rejects.toThrow(/declares deletes: 'tombstones' but delivered .* as archived-flag/);
  });

  it('links: contacts linked to ids no stream stores', async () => {
    await expect(checkLinks(options({ danglingLinks: true }))).rejects.toThrow(/7 of 7 links point at no stored row/);
  });

  it('kill -9 resume: a cursor kept in ctx.state, saved when a page is read (before it is stored)', async () => {
    const broken = { ...options({ ownCursor: true }), child: { module: fixture, exportName: 'ownCursorCrm' } };
    await expect(checkKillResume(broken)).rejects.toThrow(/syncs killed \(SIGKILL\) mid-stream \(companies after 3, contacts after 3 stored records\) and resumed ended with other rows/);
  }, 60_000);

  it('kill -9 resume: without a way to start the connector in a child process, the check says what to give', async () => {
    await expect(checkKillResume({ ...options(), child: undefined })).rejects.toThrow(/child: \{ module: .*skip: \['kill-resume'\]/s);
  });

  it('ties: a checkpoint of the last timestamp, resumed with "updated after"', async () => {
    await expect(checkTies(options({ timestampCheckpoint: true }), noSkip)).rejects.toThrow(/break ties on equal timestamps/);
  });
});
