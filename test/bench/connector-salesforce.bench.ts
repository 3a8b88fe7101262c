// Salesforce connector sync throughput: N Contacts + N/5 Accounts + N/10 Opportunities (N from
// BENCH_CONTACTS, default 100,000; 100 records share each SystemModstamp) synced through the
// connector (describe, keyset pages of 2,000, getDeleted, mapping, SQLite writes) into a temp
// store. Baseline, same run, same emulator: raw jsforce query + queryMore (autoFetch) of the same
// fields, no mapping, no store. Also: API requests used vs records (the org's only limit is daily).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { performance } from 'node:perf_hooks';
import { Connection } from 'jsforce';
import { syncStream, type Clock } from '@revloop/core';
import { kitRuntime } from '@revloop/plugin-kit';
import { startSalesforceEmulator } from '../../packages/sandbox/src/emulators/salesforce/index.js';
import { salesforceConnector } from '../../connectors/salesforce/src/index.js';
import { figure, type BenchFigure } from './figure.js';

const N = Number(process.env.BENCH_CONTACTS ?? 100_000);
const ENTERPRISE_DAILY_LIMIT = 100_000;
const t0 = Date.UTC(2024, 0, 1);

let peakRss = 0;
const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 100);

const QUERIES = [
  'SELECT Id, Name, Industry, NumberOfEmployees, Website, BillingCountry, CreatedDate, LastModifiedDate, SystemModstamp FROM Account',
  'SELECT Id, FirstName, LastName, Email, Title, AccountId, CreatedDate, LastModifiedDate, SystemModstamp FROM Contact',
  'SELECT Id, Name, AccountId, ContactId, StageName, Amount, CloseDate, IsWon, IsClosed, CreatedDate, LastModifiedDate, SystemModstamp FROM Opportunity',
];

export default async function bench(): Promise<BenchFigure[]> {
  const em = await startSalesforceEmulator({ dailyApiLimit: 1_000_000_000 });
  const accounts = Math.max(1, Math.floor(N / 5));
  const opportunities = Math.max(1, Math.floor(N / 10));
  const at = (i: number) => t0 + Math.floor(i / 100) * 1000;
  for (let a = 1; a <= accounts; a++)
    em.state.apply({ kind: 'account', account: { id: `acc_${a}`, name: `Account ${a}`, domain: `a${a}.example`, industry: 'Software', size: 'mid', region: 'US', employees: 50, createdAt: at(a), updatedAt: at(a) } });
  for (let i = 1; i <= N; i++) {
    const a = 1 + (i % accounts);
    em.state.apply({ kind: 'contact', contact: { id: `con_${i}`, accountId: `acc_${a}`, email: `p${i}@a${a}.example`, firstName: `F${i}`, lastName: `L${i}`, persona: 'champion', title: 'Director', lifecycleStage: 'lead', createdAt: at(i), updatedAt: at(i) } });
  }
  for (let o = 1; o <= opportunities; o++)
    em.state.apply({
      kind: 'opportunity',
      opportunity: { id: `opp_${o}`, accountId: `acc_${1 + (o % accounts)}`, name: `Deal ${o}`, stage: o % 3 ? 'proposal' : 'closed_won', amount: 1000 + o, createdAt: at(o), closeDate: '2024-03-31', isClosed: o % 3 === 0, isWon: o % 3 === 0, updatedAt: at(o) },
    });
  em.clock.advance(3_600_000);
  const total = N + accounts + opportunities;
  const dir = mkdtempSync(`${tmpdir()}/revloop-sf-bench-`);
  const clock: Clock = { now: () => em.clock.now(), sleep: async (ms) => em.clock.advance(ms) };
  const usage = async () => {
    const r = await fetch(`${em.url}/services/data/v62.0/limits`, { headers: { authorization: `Bearer ${em.accessToken}` } });
    const body = (await r.json()) as { DailyApiRequests: { Max: number; Remaining: number } };
    return body.DailyApiRequests.Max - body.DailyApiRequests.Remaining;
  };
  try {
    // baseline: raw jsforce over the same emulator
    const conn = new Connection({ instanceUrl: em.url, accessToken: em.accessToken, version: '62.0' });
    const b0 = performance.now();
    let baselineRecords = 0;
    for (const soql of QUERIES) baselineRecords += ((await conn.query(soql).run({ autoFetch: true, maxFetch: total })) as { records: unknown[] }).records.length;
    const baselineMs = performance.now() - b0;
    if (baselineRecords !== total) throw new Error(`baseline read ${baselineRecords} of ${total}`);

    const runtime = await kitRuntime({
      connector: salesforceConnector,
      name: 'sf',
      dir,
      clock,
      config: { instanceUrl: em.url, loginUrl: em.url, clientId: em.credentials.clientId, clientSecret: em.credentials.clientSecret, refreshToken: em.refreshToken, accessToken: em.accessToken, pageSize: 2000 },
    });
    const before = await usage();
    const s0 = performance.now();
    let read = 0;
    let written = 0;
    let failed = 0;
    for (const stream of ['accounts', 'contacts', 'opportunities']) {
      const run = await syncStream(runtime, 'sf', stream);
      if (run.status !== 'succeeded') throw new Error(`${stream}: ${run.status} ${run.error ?? ''}`);
      read += run.read;
      written += run.written;
      failed += run.failed;
    }
    const syncMs = performance.now() - s0;
    const requests = (await usage()) - before - 1; // minus the second /limits call itself
    const stored = Number((await runtime.store.db.selectFrom('contacts').select((e) => e.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
    await runtime.close();
    if (read !== total || written !== total || failed !== 0 || stored !== N) throw new Error(`sync read ${read}, wrote ${written}, failed ${failed}, stored ${stored} contacts; expected ${total}/${N}`);
    const rate = (total / syncMs) * 1000;
    const baselineRate = (baselineRecords / baselineMs) * 1000;
    return [
      figure('salesforce.connector.sync_records_per_s', rate, 'records/s', baselineRate, {
        baselineName: 'raw jsforce query+queryMore, same emulator, same run',
        contacts: N,
        accounts,
        opportunities,
        records: total,
        failedRecords: failed,
        syncSeconds: Math.round(syncMs) / 1000,
        peakRssMb: Math.round(peakRss / 1e6),
      }),
      figure('salesforce.connector.api_requests_per_1000_records', (requests / total) * 1000, 'requests/1000 records', (Math.ceil(total / 2000) / total) * 1000, {
        baselineName: 'one request per 2,000-record batch (the API maximum)',
        requests,
        records: total,
        shareOfDailyLimit: Math.round((requests / ENTERPRISE_DAILY_LIMIT) * 1e6) / 1e6,
        configuredDailyLimit: ENTERPRISE_DAILY_LIMIT,
      }),
    ];
  } finally {
    clearInterval(sampler);
    await em.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
