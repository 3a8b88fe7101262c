// The Google Ads connector against the emulator: one year of daily metrics for 200 campaigns.
// 1. rows/s into the store (sync of campaign-metrics, SQLite) vs the baseline: raw reportStreamRaw
//    of the same year from the same emulator in the same run (google-ads-api, no mapping, no store).
// 2. quota pacing: emulator requestsPerDay = connector requestsPerDay; metricsChunkDays 1 (one
//    request per day of data). Figure: share of the daily limit the connector used on the days it
//    was limited (target ≥ 90%), with zero requests refused by the vendor's quota and zero failures
//    left unretried, also under injected faults.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { GoogleAdsApi } from 'google-ads-api';
import { serviceCache } from 'google-ads-api/build/src/service.js';
import { createRuntime, parseConfig, SimulatedClock, syncStream, type Runtime } from '@revloop/core';
import { installEmulatorServiceClients, startGoogleAdsEmulator, type GoogleAdsEmulator } from '@revloop/sandbox';
import { googleAdsConnector, closeGoogleAdsClients } from '../../connectors/google-ads/src/index.js';
import { figure, type BenchFigure } from './figure.js';

const CAMPAIGNS = 200;
const DAYS = 365;
const NOW = Date.parse('2024-01-01T12:00:00Z'); // "today": the year 2023 is complete
const QUOTA = 100;

function seed(emu: GoogleAdsEmulator) {
  for (let c = 0; c < CAMPAIGNS; c++) {
    const id = `cmp_gg_${String(c).padStart(3, '0')}`;
    emu.state.apply({ kind: 'campaign', campaign: { id, platform: 'google', name: `Campaign ${c}`, status: 'ACTIVE', dailyBudget: 100, createdAt: 0 } });
    for (let d = 0; d < DAYS; d++) {
      const date = new Date(Date.UTC(2023, 0, 1 + d)).toISOString().slice(0, 10);
      emu.state.apply({ kind: 'ad_day', day: { platform: 'google', campaignId: id, date, impressions: 1000 + d, clicks: 30 + (c % 7), costMicros: 25_000_000 + d, conversions: (d % 5) / 2 } });
    }
  }
}

const quiet = new Writable({ write: (_c, _e, cb) => cb() });

async function runtimeFor(dir: string, emu: GoogleAdsEmulator, clock: SimulatedClock, extra: Record<string, unknown>): Promise<Runtime> {
  const loaded = parseConfig(
    {
      store: { kind: 'sqlite', path: join(dir, `bench-${Math.random().toString(36).slice(2)}.sqlite`) },
      log: { level: 'info' },
      connectors: {
        google: {
          plugin: googleAdsConnector,
          customerId: emu.customerId,
          developerToken: emu.developerToken,
          clientId: 'bench-client',
          clientSecret: 'bench-secret',
          refreshToken: `bench-refresh-${emu.port}`,
          apiEndpoint: emu.url,
          insecure: true,
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

async function rawThroughput(emu: GoogleAdsEmulator): Promise<number> {
  const refresh_token = `bench-raw-${emu.port}`;
  const uninstall = installEmulatorServiceClients(emu, { serviceCache, client_id: 'bench-raw', refresh_token });
  const customer = new GoogleAdsApi({ client_id: 'bench-raw', client_secret: 'x', developer_token: emu.developerToken }).Customer({ customer_id: emu.customerId, refresh_token });
  let best = 0;
  for (let i = 0; i < 3; i++) {
    const started = performance.now();
    let rows = 0;
    const stream = (await customer.reportStreamRaw({
      entity: 'campaign',
      attributes: ['campaign.id'],
      metrics: ['metrics.impressions', 'metrics.clicks', 'metrics.cost_micros', 'metrics.conversions'],
      segments: ['segments.date'],
      from_date: '2023-01-01',
      to_date: '2024-01-01',
    } as never)) as unknown as NodeJS.ReadableStream;
    await new Promise<void>((resolve, reject) => {
      stream.on('data', (m: { results: unknown[] }) => (rows += m.results.length));
      stream.on('error', reject);
      stream.on('end', () => resolve());
    });
    if (rows !== CAMPAIGNS * DAYS) throw new Error(`raw stream: expected ${CAMPAIGNS * DAYS} rows, got ${rows}`);
    best = Math.max(best, (rows / (performance.now() - started)) * 1000);
  }
  await uninstall();
  return best;
}

async function connectorThroughput(dir: string, emu: GoogleAdsEmulator): Promise<{ rate: number; rows: number }> {
  let best = 0;
  let rows = 0;
  for (let i = 0; i < 2; i++) {
    const runtime = await runtimeFor(dir, emu, new SimulatedClock(NOW), { requestsPerDay: 15_000 });
    const started = performance.now();
    const run = await syncStream(runtime, 'google', 'campaign-metrics');
    const ms = performance.now() - started;
    const stored = await runtime.store.db.selectFrom('touchpoints').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    rows = Number(stored.n);
    if (run.status !== 'succeeded' || rows !== CAMPAIGNS * DAYS) throw new Error(`connector sync: ${run.status}, ${rows} rows`);
    best = Math.max(best, (rows / ms) * 1000);
    await runtime.close();
  }
  return { rate: best, rows };
}

/** Syncs day after simulated day until done; the share of the daily limit used on limited days. */
async function quotaPacing(dir: string, faults: Record<string, number>) {
  const clock = new SimulatedClock(NOW);
  const emu = await startGoogleAdsEmulator({ now: () => clock.now(), requestsPerDay: QUOTA, faults, seed: 5 });
  seed(emu);
  const runtime = await runtimeFor(dir, emu, clock, { requestsPerDay: QUOTA, metricsChunkDays: 1 });
  const limitedDays: number[] = [];
  let vendorRefusals = 0;
  let otherFailures = 0;
  let days = 0;
  for (; days < 30; days++) {
    let requests = 0;
    try {
      await syncStream(runtime, 'google', 'campaign-metrics', { onProgress: (p) => (requests = p.batches) });
      break;
    } catch (e) {
      const err = e as { code?: string; message?: string };
      if (err.code !== 'RATE_LIMIT_EXHAUSTED') otherFailures++;
      else if (err.message?.includes('quota_error')) vendorRefusals++; // Google refused: our pacing failed
      else limitedDays.push(requests / QUOTA);
      clock.advance(86_400_000);
    }
  }
  const stored = await runtime.store.db.selectFrom('touchpoints').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  await runtime.close();
  await closeGoogleAdsClients();
  await emu.stop();
  const share = limitedDays.length ? limitedDays.reduce((a, b) => a + b, 0) / limitedDays.length : 0;
  return { share, limitedDays: limitedDays.length, days: days + 1, vendorRefusals, otherFailures, rows: Number(stored.n) };
}

export default async function bench(): Promise<BenchFigure[]> {
  const dir = mkdtempSync(join(tmpdir(), 'revloop-bench-gads-'));
  try {
    const emu = await startGoogleAdsEmulator({ now: () => NOW, requestsPerDay: 0 });
    seed(emu);
    const raw = await rawThroughput(emu);
    const synced = await connectorThroughput(dir, emu);
    await closeGoogleAdsClients();
    await emu.stop();

    const clean = await quotaPacing(dir, {});
    const faulty = await quotaPacing(dir, { rateLimitRate: 0.2, serverErrorRate: 0.1 });
    for (const q of [clean, faulty]) {
      if (q.rows !== CAMPAIGNS * DAYS || q.vendorRefusals || q.otherFailures) throw new Error(`quota pacing lost data or failed: ${JSON.stringify(q)}`);
    }
    return [
      figure('google-ads connector sync rows/s into SQLite (200 campaigns x 365 days)', synced.rate, 'rows/s', raw, { rows: synced.rows, baselineIs: 'raw reportStreamRaw rows/s, same emulator, same run' }),
      figure('google-ads connector share of the daily request limit used (limited days)', clean.share * 100, '%', 90, { ...clean, limit: QUOTA, baselineIs: 'target' }),
      figure('google-ads connector share of the daily limit used under faults (rateLimitRate 0.2, serverErrorRate 0.1)', faulty.share * 100, '%', 90, { ...faulty, limit: QUOTA, baselineIs: 'target' }),
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
