// Salesforce emulator SOQL throughput: 20,000 Contacts read with query + queryMore (2,000-record
// batches) through jsforce, against a bare node:http server on loopback that answers with one
// pre-serialized batch of the same size (read by the same jsforce client). Target: ≥ 5,000 records/s.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Connection } from 'jsforce';
import { startSalesforceEmulator } from '../../packages/sandbox/src/emulators/salesforce/index.js';
import { figure, type BenchFigure } from './figure.js';

const CONTACTS = 20_000;
const BATCH = 2000;
const ROUNDS = 3;
const t0 = Date.UTC(2024, 0, 1);
const SOQL = 'SELECT Id, FirstName, LastName, Email, Title, AccountId, SystemModstamp FROM Contact ORDER BY SystemModstamp, Id';

async function readAll(conn: Connection): Promise<{ records: number; ms: number }> {
  const started = performance.now();
  const result = await conn.query(SOQL).run({ autoFetch: true, maxFetch: CONTACTS * 2 });
  const records = (result as { records: unknown[] }).records.length;
  return { records, ms: performance.now() - started };
}

/** Baseline: every request gets the same serialized batch; the locator counts pages down. */
async function startBaseline(batch: unknown[]) {
  const bodies = new Map<number, string>();
  const pages = CONTACTS / BATCH;
  for (let p = 1; p <= pages; p++) {
    const done = p === pages;
    bodies.set(p, JSON.stringify({ totalSize: CONTACTS, done, ...(done ? {} : { nextRecordsUrl: `/services/data/v62.0/query/01gBASELINE00000AAA-${p * BATCH}` }), records: batch }));
  }
  const server = createServer((req, res) => {
    const m = /-(\d+)$/.exec(req.url ?? '');
    const page = m ? Number(m[1]) / BATCH + 1 : 1;
    res.writeHead(200, { 'content-type': 'application/json;charset=UTF-8' });
    res.end(bodies.get(page));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, stop: () => new Promise<void>((r) => server.close(() => r())) };
}

export default async function bench(): Promise<BenchFigure[]> {
  const em = await startSalesforceEmulator({ dailyApiLimit: 1_000_000 });
  for (let a = 1; a <= 200; a++)
    em.state.apply({ kind: 'account', account: { id: `acc_${a}`, name: `Account ${a}`, domain: `a${a}.example`, industry: 'Software', size: 'mid', region: 'US', employees: 50, createdAt: t0, updatedAt: t0 } });
  for (let i = 1; i <= CONTACTS; i++)
    em.state.apply({
      kind: 'contact',
      // every 100 contacts share a timestamp (ties), as the market produces them
      contact: { id: `con_${i}`, accountId: `acc_${1 + (i % 200)}`, email: `p${i}@a${1 + (i % 200)}.example`, firstName: `F${i}`, lastName: `L${i}`, persona: 'champion', title: 'Director', lifecycleStage: 'lead', createdAt: t0, updatedAt: t0 + Math.floor(i / 100) * 1000 },
    });
  const conn = new Connection({ instanceUrl: em.url, accessToken: em.accessToken, version: '62.0' });
  const firstBatch = (await conn.query(SOQL)).records;
  const baseline = await startBaseline(firstBatch);
  const baseConn = new Connection({ instanceUrl: baseline.url, accessToken: 'x', version: '62.0' });

  const emulatorRuns: number[] = [];
  const baselineRuns: number[] = [];
  try {
    for (let round = 0; round < ROUNDS; round++) {
      const e = await readAll(conn);
      if (e.records !== CONTACTS) throw new Error(`emulator returned ${e.records} records`);
      emulatorRuns.push((e.records / e.ms) * 1000);
      const b = await readAll(baseConn);
      if (b.records !== CONTACTS) throw new Error(`baseline returned ${b.records} records`);
      baselineRuns.push((b.records / b.ms) * 1000);
    }
  } finally {
    await baseline.stop();
    await em.stop();
  }
  const best = (xs: number[]) => Math.max(...xs);
  return [
    figure('salesforce.query_more.records_per_s', best(emulatorRuns), 'records/s', best(baselineRuns), {
      target: 5000,
      contacts: CONTACTS,
      batch: BATCH,
      rounds: ROUNDS,
      peakRssMb: Math.round(process.memoryUsage().rss / 1e6),
    }),
  ];
}
