// HubSpot emulator list paging throughput: 20,000 contacts read with limit=100 through
// GET /crm/v3/objects/contacts (limits off), against a bare node:http server on loopback that
// answers every request with one pre-serialized page of the same size. Target: ≥ 5,000 records/s.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startHubSpotEmulator } from '../../packages/sandbox/src/emulators/hubspot/index.js';
import type { MarketEvent } from '../../packages/sandbox/src/market/types.js';
import { figure, type BenchFigure } from './figure.js';

const contacts = 20_000;
const pageSize = 100;
const t0 = Date.UTC(2025, 0, 1);

function market(): MarketEvent[] {
  const events: MarketEvent[] = [];
  for (let a = 1; a <= 200; a++) {
    events.push({ kind: 'account', account: { id: `acc_${a}`, name: `Account ${a}`, domain: `a${a}.example`, industry: 'Software', size: 'mid', region: 'EMEA', employees: 50, createdAt: t0, updatedAt: t0 } });
  }
  for (let i = 1; i <= contacts; i++) {
    events.push({
      kind: 'contact',
      contact: { id: `con_${i}`, accountId: `acc_${1 + (i % 200)}`, email: `p${i}@a${1 + (i % 200)}.example`, firstName: `F${i}`, lastName: `L${i}`, persona: 'champion', title: 'Director', lifecycleStage: 'lead', createdAt: t0, updatedAt: t0 + i },
    });
  }
  return events;
}

async function pageAll(url: string, token: string, follow: boolean): Promise<{ records: number; ms: number }> {
  const started = performance.now();
  let records = 0;
  let after: string | undefined;
  for (let pages = 0; pages < contacts / pageSize; pages++) {
    const res = await fetch(`${url}/crm/v3/objects/contacts?limit=${pageSize}${after ? `&after=${after}` : ''}`, { headers: { authorization: `Bearer ${token}` } });
    const body = (await res.json()) as { results: unknown[]; paging?: { next?: { after: string } } };
    records += body.results.length;
    if (follow) {
      after = body.paging?.next?.after;
      if (!after) break;
    }
  }
  return { records, ms: performance.now() - started };
}

export default async function bench(): Promise<BenchFigure[]> {
  const emu = await startHubSpotEmulator({ tokens: ['bench'] });
  for (const e of market()) emu.state.apply(e);
  // the baseline's page: the emulator's own first page, serialized once
  const first = await (await fetch(`${emu.url}/crm/v3/objects/contacts?limit=${pageSize}`, { headers: { authorization: 'Bearer bench' } })).text();
  const bare = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(first);
  });
  await new Promise<void>((r) => bare.listen(0, '127.0.0.1', r));
  const bareUrl = `http://127.0.0.1:${(bare.address() as AddressInfo).port}`;
  try {
    await pageAll(emu.url, 'bench', true); // warm-up
    await pageAll(bareUrl, 'bench', false);
    const emulated = await pageAll(emu.url, 'bench', true);
    const baseline = await pageAll(bareUrl, 'bench', false);
    if (emulated.records !== contacts) throw new Error(`paged ${emulated.records} records, expected ${contacts}`);
    const rate = (r: { records: number; ms: number }) => (r.records / r.ms) * 1000;
    return [
      figure('hubspot list paging (limit 100, 20k contacts)', rate(emulated), 'records/s', rate(baseline), { target: 5000, pageBytes: first.length, emulatorMs: Math.round(emulated.ms) }),
    ];
  } finally {
    await emu.stop();
    await new Promise((r) => bare.close(r));
  }
}
