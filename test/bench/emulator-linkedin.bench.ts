// adAnalytics throughput: 200 campaigns × 365 days (73,000 DAILY rows) per request, limits off.
// Baseline: a bare node:http server answering the same body, pre-serialized, over the same loopback.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startLinkedInEmulator } from '../../packages/sandbox/src/emulators/linkedin/index.js';
import { figure, type BenchFigure } from './figure.js';

const CAMPAIGNS = 200;
const DAYS = 365;
const ROUNDS = 5;

async function timeRequests(url: string, headers: Record<string, string>): Promise<{ rowsPerSec: number; rows: number }> {
  let rows = 0;
  const t0 = performance.now();
  for (let i = 0; i < ROUNDS; i++) {
    const res = await fetch(url, { headers });
    const body = (await res.json()) as { elements: unknown[] };
    rows += body.elements.length;
  }
  const secs = (performance.now() - t0) / 1000;
  return { rowsPerSec: rows / secs, rows: rows / ROUNDS };
}

export default async function bench(): Promise<BenchFigure[]> {
  const emu = await startLinkedInEmulator();
  for (let c = 1; c <= CAMPAIGNS; c++) {
    const id = `cmp_li_${String(c).padStart(3, '0')}`;
    emu.state.apply({ kind: 'campaign', campaign: { id, platform: 'linkedin', name: id, status: 'ACTIVE', dailyBudget: 100, createdAt: 0 } });
    for (let d = 0; d < DAYS; d++) {
      const date = new Date(Date.UTC(2024, 0, 1) + d * 86_400_000).toISOString().slice(0, 10);
      emu.state.apply({ kind: 'ad_day', day: { platform: 'linkedin', campaignId: id, date, impressions: 1000 + c + d, clicks: 10 + (d % 7), costMicros: 12_345_678 + d, conversions: d % 3 } });
    }
  }
  const acct = encodeURIComponent(`urn:li:sponsoredAccount:${emu.state.adAccount.id}`);
  const path =
    `/rest/adAnalytics?q=analytics&pivot=CAMPAIGN&timeGranularity=DAILY&dateRange=(start:(year:2024,month:1,day:1),end:(year:2024,month:12,day:31))` +
    `&accounts=List(${acct})&fields=impressions,clicks,costInLocalCurrency,externalWebsiteConversions,dateRange,pivotValues`;
  const headers = { Authorization: `Bearer ${emu.accessToken}`, 'LinkedIn-Version': '202501', 'X-Restli-Protocol-Version': '2.0.0' };

  // pre-serialize the exact body for the baseline
  const body = Buffer.from(await (await fetch(`${emu.url}${path}`, { headers })).text());
  const bare = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': body.length });
    res.end(body);
  });
  await new Promise<void>((r) => bare.listen(0, '127.0.0.1', r));
  const bareUrl = `http://127.0.0.1:${(bare.address() as AddressInfo).port}${path}`;

  const emulator = await timeRequests(`${emu.url}${path}`, headers);
  const baseline = await timeRequests(bareUrl, headers);
  await emu.stop();
  await new Promise<void>((r) => bare.close(() => r()));
  return [
    figure('linkedin adAnalytics rows/s (200 campaigns x 365 days)', emulator.rowsPerSec, 'rows/s', baseline.rowsPerSec, {
      rowsPerResponse: emulator.rows,
      target: 5000,
      meetsTarget: emulator.rowsPerSec >= 5000,
    }),
  ];
}
