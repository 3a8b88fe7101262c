// A Google Ads emulator on loopback + a runtime over a temp SQLite file with the connector pointed
// at the emulator purely through its config (apiEndpoint + insecure).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { createRuntime, env, parseConfig, SimulatedClock, type Runtime } from '@revloop/core';
import { startGoogleAdsEmulator, type GoogleAdsEmulator, type GoogleAdsEmulatorOptions, type MarketEvent } from '@revloop/sandbox';
import { googleAdsConnector, closeGoogleAdsClients } from '../src/index.js';

export const START = Date.parse('2024-03-01T12:00:00Z');

export class LogSink extends Writable {
  lines: string[] = [];
  override _write(chunk: Buffer, _enc: string, cb: () => void) {
    this.lines.push(...chunk.toString().split('\n').filter(Boolean));
    cb();
  }
  text() {
    return this.lines.join('\n');
  }
}

export interface Harness {
  emu: GoogleAdsEmulator;
  runtime: Runtime;
  clock: SimulatedClock;
  sink: LogSink;
  dir: string;
  /** another runtime over the same emulator (fresh database unless `sameDb`) */
  newRuntime(overrides?: Record<string, unknown>, sameDb?: boolean): Promise<Runtime>;
  stop(): Promise<void>;
}

let counter = 0;

export async function startHarness(options: { emulator?: GoogleAdsEmulatorOptions; connector?: Record<string, unknown>; developerToken?: string } = {}): Promise<Harness> {
  const clock = new SimulatedClock(START);
  const emu = await startGoogleAdsEmulator({ now: () => clock.now(), ...options.emulator });
  const dir = mkdtempSync(join(tmpdir(), 'revloop-gads-'));
  const sink = new LogSink();
  const runtimes: Runtime[] = [];
  const make = async (overrides: Record<string, unknown> = {}, dbName = `db${++counter}.sqlite`) => {
    const loaded = parseConfig(
      {
        store: { kind: 'sqlite', path: join(dir, dbName) },
        log: { level: 'debug' },
        connectors: {
          google: {
            plugin: googleAdsConnector,
            customerId: emu.customerId,
            developerToken: env('GADS_DEVELOPER_TOKEN'),
            clientId: 'test-client',
            clientSecret: env('GADS_CLIENT_SECRET'),
            refreshToken: env('GADS_REFRESH_TOKEN'),
            apiEndpoint: emu.url,
            insecure: true,
            conversionAction: `customers/${emu.customerId}/conversionActions/700000001`,
            startDate: '2024-01-01',
            ...options.connector,
            ...overrides,
          },
        },
      },
      {
        baseDir: dir,
        env: { GADS_DEVELOPER_TOKEN: options.developerToken ?? emu.developerToken, GADS_CLIENT_SECRET: 'test-secret', GADS_REFRESH_TOKEN: `test-refresh-${process.pid}-${counter}` },
      },
    );
    const runtime = await createRuntime(loaded, { clock, logDestination: sink });
    await runtime.store.migrate();
    runtimes.push(runtime);
    return runtime;
  };
  const runtime = await make({}, 'main.sqlite');
  return {
    emu,
    runtime,
    clock,
    sink,
    dir,
    newRuntime: (overrides, sameDb) => make(overrides, sameDb ? 'main.sqlite' : undefined),
    async stop() {
      for (const r of runtimes) await r.close();
      await closeGoogleAdsClients();
      await emu.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export const day = (d: number) => new Date(Date.UTC(2024, 0, 1 + d)).toISOString().slice(0, 10);

export function campaign(id: string, name = id, status: 'ACTIVE' | 'PAUSED' = 'ACTIVE'): MarketEvent {
  return { kind: 'campaign', campaign: { id, platform: 'google', name, status, dailyBudget: 100, createdAt: 0 } };
}

export function adDay(campaignId: string, date: string, n: number, conversions = n / 2): MarketEvent {
  return { kind: 'ad_day', day: { platform: 'google', campaignId, date, impressions: 100 * n, clicks: 10 * n, costMicros: 1_234_567 * n, conversions } };
}

export function click(clickId: string, campaignId: string, date: string, accountId = 'acc_1', contactId?: string): MarketEvent {
  return { kind: 'click', click: { clickId, campaignId, accountId, contactId, date, occurredAt: Date.parse(`${date}T10:00:00Z`) } };
}
