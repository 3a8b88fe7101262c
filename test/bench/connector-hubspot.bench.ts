// HubSpot connector sync throughput: N contacts + N/5 companies + N/10 deals (N from
// BENCH_CONTACTS, default 100,000) synced through the connector (real @hubspot/api-client, list
// pages of 100 with associations, mapping, SQLite writes) into a temp store, emulator limits off.
// Baseline, same run, same emulator: raw fetch paging of the same list endpoints (same properties
// and associations), no SDK, no mapping, no store.
// Second figure: with the emulator's limits on (secondly 50, ten-secondly 400) and the connector
// configured with the same limits, the achieved request rate as a share of the highest rate the two
// windows allow for that many requests (a burst of 400, then 40/s sustained); zero failed records.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { performance } from 'node:perf_hooks';
import { syncStream, type Clock } from '@revloop/core';
import { kitRuntime } from '@revloop/plugin-kit';
import { startHubSpotEmulator, type HubSpotEmulator } from '../../packages/sandbox/src/emulators/hubspot/index.js';
import { hubspotConnector } from '../../connectors/hubspot/src/index.js';
import { figure, type BenchFigure } from './figure.js';

const N = Number(process.env.BENCH_CONTACTS ?? 100_000);
const LIMITED_CONTACTS = Math.min(N, Number(process.env.BENCH_LIMITED_CONTACTS ?? 50_000));
const SECONDLY = 50;
const TEN_SECONDLY = 400;
const t0 = Date.UTC(2025, 0, 1);
const TOKEN = 'bench';

let peakRss = 0;
const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 100);

function feed(em: HubSpotEmulator, contacts: number) {
  const companies = Math.max(1, Math.floor(contacts / 5));
  const deals = Math.max(1, Math.floor(contacts / 10));
  const at = (i: number) => t0 + Math.floor(i / 100) * 1000;
  for (let a = 1; a <= companies; a++)
    em.state.apply({ kind: 'account', account: { id: `acc_${a}`, name: `Account ${a}`, domain: `a${a}.example`, industry: 'Software', size: 'mid', region: 'US', employees: 50, createdAt: at(a), updatedAt: at(a) } });
  for (let i = 1; i <= contacts; i++) {
    const a = 1 + (i % companies);
    em.state.apply({ kind: 'contact', contact: { id: `con_${i}`, accountId: `acc_${a}`, email: `p${i}@a${a}.example`, firstName: `F${i}`, lastName: `L${i}`, persona: 'champion', title: 'Director', lifecycleStage: 'lead', createdAt: at(i), updatedAt: at(i) } });
  }
  for (let o = 1; o <= deals; o++)
    em.state.apply({
      kind: 'opportunity',
      opportunity: { id: `opp_${o}`, accountId: `acc_${1 + (o % companies)}`, contactId: `con_${o}`, name: `Deal ${o}`, stage: o % 3 ? 'proposal' : 'closed_won', amount: 1000 + o + 0.25, createdAt: at(o), closeDate: '2025-03-31', isClosed: o % 3 === 0, isWon: o % 3 === 0, updatedAt: at(o) },
    });
  em.clock!.set(at(contacts) + 3_600_000);
  return { companies, deals, total: contacts + companies + deals };
}

const LISTS: [string, string, string][] = [
  ['companies', 'country,createdate,domain,hs_lastmodifieddate,industry,lifecyclestage,name,numberofemployees', ''],
  ['contacts', 'associatedcompanyid,createdate,email,firstname,hs_merged_object_ids,hs_persona,jobtitle,lastmodifieddate,lastname,lifecyclestage', 'companies'],
  ['deals', 'amount,closedate,createdate,dealname,dealstage,hs_is_closed,hs_is_closed_won,hs_lastmodifieddate,pipeline', 'companies,contacts'],
];

async function rawPaging(url: string): Promise<number> {
  let records = 0;
  for (const [type, properties, associations] of LISTS) {
    let after: string | undefined;
    do {
      const qs = new URLSearchParams({ limit: '100', properties, ...(associations ? { associations } : {}), ...(after ? { after } : {}) });
      const body = (await (await fetch(`${url}/crm/v3/objects/${type}?${qs}`, { headers: { authorization: `Bearer ${TOKEN}` } })).json()) as { results: unknown[]; paging?: { next?: { after: string } } };
      records += body.results.length;
      after = body.paging?.next?.after;
    } while (after);
  }
  return records;
}

async function syncAll(em: HubSpotEmulator, dir: string, file: string, rateLimits: Record<string, number>) {
  const clock: Clock = { now: () => em.clock!.now(), sleep: async (ms) => em.clock!.advance(ms) };
  const runtime = await kitRuntime({ connector: hubspotConnector, name: 'hs', dir, file, clock, config: { accessToken: TOKEN, baseUrl: em.url, pageSize: 100, rateLimits } });
  let read = 0;
  let written = 0;
  let failed = 0;
  const s0 = performance.now();
  for (const stream of ['companies', 'contacts', 'deals']) {
    const run = await syncStream(runtime, 'hs', stream);
    if (run.status !== 'succeeded') throw new Error(`${stream}: ${run.status} ${run.error ?? ''}`);
    read += run.read;
    written += run.written;
    failed += run.failed;
  }
  const ms = performance.now() - s0;
  const contacts = Number((await runtime.store.db.selectFrom('contacts').select((e) => e.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
  await runtime.close();
  return { read, written, failed, ms, contacts };
}

export default async function bench(): Promise<BenchFigure[]> {
  const dir = mkdtempSync(`${tmpdir()}/revloop-hs-bench-`);
  const open = await startHubSpotEmulator({ tokens: [TOKEN] });
  const limited = await startHubSpotEmulator({ tokens: [TOKEN], secondlyLimit: SECONDLY, tenSecondlyLimit: TEN_SECONDLY });
  try {
    const sizes = feed(open, N);
    const b0 = performance.now();
    const baselineRecords = await rawPaging(open.url);
    const baselineMs = performance.now() - b0;
    if (baselineRecords !== sizes.total) throw new Error(`baseline read ${baselineRecords} of ${sizes.total}`);
    const off = await syncAll(open, dir, 'off.db', { secondly: 1e9, tenSecondly: 1e9, daily: 1e9, searchSecondly: 1e9 });
    if (off.read !== sizes.total || off.written !== sizes.total || off.failed !== 0 || off.contacts !== N) throw new Error(`limits off: read ${off.read}, wrote ${off.written}, failed ${off.failed}, ${off.contacts} contacts; expected ${sizes.total}`);

    const lsizes = feed(limited, LIMITED_CONTACTS);
    const admitted0 = limited.limiter.counts.admitted;
    const on = await syncAll(limited, dir, 'on.db', { secondly: SECONDLY, tenSecondly: TEN_SECONDLY, daily: 1e9, searchSecondly: 5 });
    const requests = limited.limiter.counts.admitted - admitted0;
    const rejected = limited.limiter.counts.rejected;
    const refused = rejected.SECONDLY + rejected.TEN_SECONDLY_ROLLING + rejected.DAILY;
    if (on.read !== lsizes.total || on.failed !== 0) throw new Error(`limits on: read ${on.read} of ${lsizes.total}, failed ${on.failed}`);
    const sustained = Math.min(SECONDLY, TEN_SECONDLY / 10);
    const rate = requests / (on.ms / 1000);
    // the best a client can do for this many requests: each sent as soon as both windows allow
    const ideal: number[] = [];
    for (let i = 0; i < requests; i++) ideal.push(Math.max(ideal[i - 1] ?? 0, i >= SECONDLY ? ideal[i - SECONDLY]! + 1000 : 0, i >= TEN_SECONDLY ? ideal[i - TEN_SECONDLY]! + 10_000 : 0));
    const idealMs = ideal[ideal.length - 1]! + 1000 / SECONDLY;
    return [
      figure('hubspot.connector.sync_records_per_s', (sizes.total / off.ms) * 1000, 'records/s', (baselineRecords / baselineMs) * 1000, {
        baselineName: 'raw fetch list paging (same endpoints, properties, associations), same emulator, same run',
        contacts: N,
        companies: sizes.companies,
        deals: sizes.deals,
        records: sizes.total,
        failedRecords: off.failed,
        syncSeconds: Math.round(off.ms) / 1000,
        baselineSeconds: Math.round(baselineMs) / 1000,
        peakRssMb: Math.round(peakRss / 1e6),
      }),
      figure('hubspot.connector.limited_request_rate_share', idealMs / on.ms, 'share of limit', 0.9, {
        baselineName: 'target 90%: achieved request rate / the highest rate the secondly and ten-secondly windows allow for the same number of requests',
        idealSeconds: Math.round(idealMs) / 1000,
        shareOfSustainedLimit: Math.round((rate / sustained) * 1000) / 1000,
        requestsPerSecond: Math.round(rate * 100) / 100,
        sustainedLimitPerSecond: sustained,
        secondlyLimit: SECONDLY,
        tenSecondlyLimit: TEN_SECONDLY,
        requests,
        refused429: refused,
        records: lsizes.total,
        failedRecords: on.failed,
        seconds: Math.round(on.ms) / 1000,
      }),
    ];
  } finally {
    clearInterval(sampler);
    await open.stop();
    await limited.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
