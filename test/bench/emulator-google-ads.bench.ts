// SearchStream throughput of the Google Ads emulator: 200 campaigns × 365 days of daily metrics,
// read by a grpc-js client. Baseline: a bare grpc-js server streaming the same rows, pre-built.
import { credentials, Metadata, Server, ServerCredentials } from '@grpc/grpc-js';
import type { ServerWritableStream, UntypedServiceImplementation } from '@grpc/grpc-js';
import { figure, type BenchFigure } from './figure.js';
import { startGoogleAdsEmulator } from '../../packages/sandbox/src/emulators/google-ads/index.js';
import { loadServices } from '../../packages/sandbox/src/emulators/google-ads/protos.js';

const CAMPAIGNS = 200;
const DAYS = 365;
const QUERY =
  'SELECT campaign.id, campaign.name, campaign.status, metrics.impressions, metrics.clicks, metrics.cost_micros, ' +
  "metrics.conversions, segments.date FROM campaign WHERE segments.date BETWEEN '2023-01-01' AND '2023-12-31'";

type Client = { searchStream(req: object, md: Metadata): NodeJS.ReadableStream; close(): void };

async function drain(client: Client, developerToken: string): Promise<{ rows: number; ms: number }> {
  const md = new Metadata();
  md.set('developer-token', developerToken);
  const started = performance.now();
  let rows = 0;
  await new Promise<void>((resolve, reject) => {
    const s = client.searchStream({ customer_id: '1234567890', query: QUERY }, md);
    s.on('data', (m: { results: unknown[] }) => (rows += m.results.length));
    s.on('error', reject);
    s.on('end', () => resolve());
  });
  return { rows, ms: performance.now() - started };
}

function best(runs: { rows: number; ms: number }[]): number {
  return Math.max(...runs.map((r) => (r.rows / r.ms) * 1000));
}

export default async function bench(): Promise<BenchFigure[]> {
  const services = loadServices();
  const emulator = await startGoogleAdsEmulator({ now: () => Date.parse('2024-01-15T00:00:00Z'), requestsPerDay: 0 });
  for (let c = 0; c < CAMPAIGNS; c++) {
    const id = `cmp_gg_${String(c).padStart(3, '0')}`;
    emulator.state.apply({ kind: 'campaign', campaign: { id, platform: 'google', name: `Campaign ${c}`, status: 'ACTIVE', dailyBudget: 100, createdAt: 0 } });
    for (let d = 0; d < DAYS; d++) {
      const date = new Date(Date.UTC(2023, 0, 1 + d)).toISOString().slice(0, 10);
      emulator.state.apply({ kind: 'ad_day', day: { platform: 'google', campaignId: id, date, impressions: 1000 + d, clicks: 30 + (c % 7), costMicros: 25_000_000 + d, conversions: (d % 5) / 2 } });
    }
  }
  const emuClient = new services.GoogleAdsService(emulator.url, credentials.createInsecure()) as unknown as Client;

  // baseline: the same messages, built once, streamed by a server with no logic
  const { messages } = await new Promise<{ messages: object[] }>((resolve, reject) => {
    const collected: object[] = [];
    const md = new Metadata();
    md.set('developer-token', emulator.developerToken);
    const s = emuClient.searchStream({ customer_id: emulator.customerId, query: QUERY }, md);
    s.on('data', (m: object) => collected.push(m));
    s.on('error', reject);
    s.on('end', () => resolve({ messages: collected }));
  });
  const bare = new Server();
  bare.addService(services.GoogleAdsService.service, {
    SearchStream: (call: ServerWritableStream<object, object>) => {
      for (const m of messages) call.write(m);
      call.end();
    },
  } as UntypedServiceImplementation);
  const barePort = await new Promise<number>((res, rej) => bare.bindAsync('127.0.0.1:0', ServerCredentials.createInsecure(), (e, p) => (e ? rej(e) : res(p))));
  const bareClient = new services.GoogleAdsService(`127.0.0.1:${barePort}`, credentials.createInsecure()) as unknown as Client;

  const emuRuns = [];
  const bareRuns = [];
  for (let i = 0; i < 3; i++) {
    emuRuns.push(await drain(emuClient, emulator.developerToken));
    bareRuns.push(await drain(bareClient, emulator.developerToken));
  }
  emuClient.close();
  bareClient.close();
  bare.forceShutdown();
  await emulator.stop();
  const rows = emuRuns[0]!.rows;
  if (rows !== CAMPAIGNS * DAYS) throw new Error(`expected ${CAMPAIGNS * DAYS} rows, got ${rows}`);
  const emuRate = best(emuRuns);
  return [
    figure('google-ads SearchStream rows/s (200 campaigns x 365 days)', emuRate, 'rows/s', best(bareRuns), { rows, target: 5000, meetsTarget: emuRate >= 5000 }),
  ];
}
