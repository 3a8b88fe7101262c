// The LinkedIn Ads connector against the emulator: one year of daily analytics for 200 campaigns.
// 1. rows/s into the store (sync of campaign-analytics, SQLite, 30-day requests) vs the baseline:
//    raw fetch + JSON parse of the same adAnalytics requests from the same emulator in the same run.
// 2. pacing: emulator requestsPerMinute = connector requestsPerMinute, one request per day of data
//    (analyticsChunkDays 1, 366 requests). Figure: the share of the per-minute limit used in each
//    full minute of the sync (target ≥ 90%), with zero vendor 429s and the sync complete (nothing
//    failed and left unretried); again under injected faults (5xx 10%, minute 429 20%).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { createRuntime, parseConfig, SimulatedClock, syncStream, type Runtime } from '@revloop/core';
import { startLinkedInEmulator, type LinkedInEmulator } from '@revloop/sandbox';
import { analyticsPath, linkedInAdsConnector, LINKEDIN_API_VERSION } from '../../connectors/linkedin-ads/src/index.js';
import { figure, type BenchFigure } from './figure.js';

const CAMPAIGNS = 200;
const DAYS = 365;
const NOW = Date.parse('2024-01-01T12:00:00Z'); // "today": the year 2023 is complete
const PER_MINUTE = 60;
const quiet = new Writable({ write: (_c, _e, cb) => cb() });

function seed(emu: LinkedInEmulator) {
  for (let c = 0; c < CAMPAIGNS; c++) {
    const id = `cmp_li_${String(c).padStart(3, '0')}`;
    emu.state.apply({ kind: 'campaign', campaign: { id, platform: 'linkedin', name: `Campaign ${c}`, status: 'ACTIVE', dailyBudget: 100, createdAt: 0 } });
    for (let d = 0; d < DAYS; d++) {
      const date = new Date(Date.UTC(2023, 0, 1 + d)).toISOString().slice(0, 10);
      emu.state.apply({ kind: 'ad_day', day: { platform: 'linkedin', campaignId: id, date, impressions: 1000 + d, clicks: 30 + (c % 7), costMicros: 25_000_000 + d * 13 + c, conversions: d % 3 } });
    }
  }
}

async function runtimeFor(dir: string, emu: LinkedInEmulator, clock: SimulatedClock, extra: Record<string, unknown>): Promise<Runtime> {
  const loaded = parseConfig(
    {
      store: { kind: 'sqlite', path: join(dir, `bench-${Math.random().toString(36).slice(2)}.sqlite`) },
      log: { level: 'info' },
      connectors: {
        linkedin: {
          plugin: linkedInAdsConnector,
          apiBaseUrl: emu.url,
          oauthBaseUrl: emu.url,
          clientId: emu.clientId,
          clientSecret: emu.clientSecret,
          refreshToken: emu.refreshToken,
          accessToken: emu.accessToken,
          adAccountId: String(emu.state.adAccount.id),
          startDate: '2023-01-01',
          ...extra,
        },
      },
    },
    { baseDir: dir, env: {} },
  );
  const runtime = await createRuntime(loaded, { clock, logDestination: quiet });
  await runtime.store.migrate();
  return runtime;
}

function chunks(size: number): { from: string; to: string }[] {
  const out: { from: string; to: string }[] = [];
  const iso = (ms: number) => new Date(ms).toISOString().slice(0, 10);
  for (let t = Date.UTC(2023, 0, 1); t <= NOW; t += size * 86_400_000) out.push({ from: iso(t), to: iso(Math.min(NOW, t + (size - 1) * 86_400_000)) });
  return out;
}

async function rawThroughput(emu: LinkedInEmulator): Promise<number> {
  let best = 0;
  const headers = { Authorization: `Bearer ${emu.accessToken}`, 'LinkedIn-Version': LINKEDIN_API_VERSION, 'X-Restli-Protocol-Version': '2.0.0' };
  for (let i = 0; i < 3; i++) {
    const started = performance.now();
    let rows = 0;
    for (const r of chunks(30)) {
      const body = (await (await fetch(`${emu.url}${analyticsPath(String(emu.state.adAccount.id), r.from, r.to)}`, { headers })).json()) as { elements: unknown[] };
      rows += body.elements.length;
    }
    if (rows !== CAMPAIGNS * DAYS) throw new Error(`raw fetch: expected ${CAMPAIGNS * DAYS} rows, got ${rows}`);
    best = Math.max(best, (rows / (performance.now() - started)) * 1000);
  }
  return best;
}

async function connectorThroughput(dir: string, emu: LinkedInEmulator): Promise<{ rate: number; rows: number }> {
  let best = 0;
  let rows = 0;
  for (let i = 0; i < 2; i++) {
    const runtime = await runtimeFor(dir, emu, new SimulatedClock(NOW), { analyticsChunkDays: 30 });
    const started = performance.now();
    const run = await syncStream(runtime, 'linkedin', 'campaign-analytics');
    const ms = performance.now() - started;
    const stored = await runtime.store.db.selectFrom('touchpoints').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    rows = Number(stored.n);
    if (run.status !== 'succeeded' || rows !== CAMPAIGNS * DAYS) throw new Error(`connector sync: ${run.status}, ${rows} rows`);
    best = Math.max(best, (rows / ms) * 1000);
    await runtime.close();
  }
  return { rate: best, rows };
}

/** one request per day of data, paced to the per-minute limit; counts requests per emulator minute */
async function pacing(dir: string, faults: Record<string, number>) {
  const clock = new SimulatedClock(NOW);
  const emu = await startLinkedInEmulator({ now: () => clock.now(), requestsPerMinute: PER_MINUTE, faults, seed: 11 });
  seed(emu);
  const perMinute = new Map<number, number>();
  let vendor429 = 0;
  const realFetch = globalThis.fetch;
  globalThis.fetch = async (input, init) => {
    const url = String(input instanceof Request ? input.url : input);
    const minute = Math.floor(clock.now() / 60_000);
    const r = await realFetch(input, init);
    if (url.startsWith(`${emu.url}/rest/`)) {
      perMinute.set(minute, (perMinute.get(minute) ?? 0) + 1);
      if (r.status === 429) vendor429++;
    }
    return r;
  };
  try {
    const runtime = await runtimeFor(dir, emu, clock, { analyticsChunkDays: 1, requestsPerMinute: PER_MINUTE, maxRetries: 10 });
    const started = clock.now();
    const run = await syncStream(runtime, 'linkedin', 'campaign-analytics');
    const stored = await runtime.store.db.selectFrom('touchpoints').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    await runtime.close();
    const minutes = [...perMinute.entries()].sort((a, b) => a[0] - b[0]);
    const full = minutes.slice(0, -1); // the last minute is only partly used: the work ran out
    const share = full.reduce((a, [, n]) => a + n, 0) / (full.length * PER_MINUTE);
    const requests = minutes.reduce((a, [, n]) => a + n, 0);
    return { share, status: run.status, rows: Number(stored.n), requests, minutes: minutes.length, simulatedMinutes: Math.round((clock.now() - started) / 60_000), vendor429 };
  } finally {
    globalThis.fetch = realFetch;
    await emu.stop();
  }
}

export default async function bench(): Promise<BenchFigure[]> {
  const dir = mkdtempSync(join(tmpdir(), 'revloop-bench-li-'));
  try {
    const emu = await startLinkedInEmulator({ now: () => NOW });
    seed(emu);
    const raw = await rawThroughput(emu);
    const synced = await connectorThroughput(dir, emu);
    await emu.stop();

    const clean = await pacing(dir, {});
    const faulty = await pacing(dir, { serverErrorRate: 0.1, rateLimitRate: 0.2 });
    for (const p of [clean, faulty]) {
      if (p.status !== 'succeeded' || p.rows !== CAMPAIGNS * DAYS) throw new Error(`pacing lost data or failed: ${JSON.stringify(p)}`);
    }
    if (clean.vendor429) throw new Error(`pacing exceeded the vendor limit: ${clean.vendor429} 429s`);
    return [
      figure('linkedin-ads connector sync rows/s into SQLite (200 campaigns x 365 days)', synced.rate, 'rows/s', raw, { rows: synced.rows, baselineIs: 'raw fetch+JSON.parse rows/s of the same adAnalytics requests, same emulator, same run' }),
      figure('linkedin-ads connector share of the per-minute request limit used (full minutes)', clean.share * 100, '%', 90, { ...clean, limit: PER_MINUTE, baselineIs: 'target' }),
      figure('linkedin-ads connector share of the per-minute limit under faults (5xx 0.1, minute 429 0.2)', faulty.share * 100, '%', 90, { ...faulty, limit: PER_MINUTE, baselineIs: 'target (injected 429s each cost a wait to the next minute)' }),
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
