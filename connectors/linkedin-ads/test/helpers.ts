// The LinkedIn emulator on loopback + a runtime over a temp SQLite file, both on one simulated
// clock; the connector reaches the emulator purely through its config (apiBaseUrl, oauthBaseUrl).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { createRuntime, env, parseConfig, SimulatedClock, type Runtime } from '@revloop/core';
import { startLinkedInEmulator, type LinkedInEmulator, type LinkedInEmulatorOptions } from '@revloop/sandbox';
import { linkedInAdsConnector } from '../src/index.js';

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
  emu: LinkedInEmulator;
  runtime: Runtime;
  clock: SimulatedClock;
  sink: LogSink;
  /** another runtime on the same emulator and clock (fresh database unless sameDb) */
  newRuntime(overrides?: Record<string, unknown>, sameDb?: boolean): Promise<Runtime>;
  stop(): Promise<void>;
}

let counter = 0;

export async function startHarness(options: { emulator?: LinkedInEmulatorOptions; connector?: Record<string, unknown>; start?: number } = {}): Promise<Harness> {
  const clock = new SimulatedClock(options.start ?? START);
  const emu = await startLinkedInEmulator({ now: () => clock.now(), ...options.emulator });
  const dir = mkdtempSync(join(tmpdir(), 'revloop-li-'));
  const sink = new LogSink();
  const runtimes: Runtime[] = [];
  const make = async (overrides: Record<string, unknown> = {}, dbName = `db${++counter}.sqlite`) => {
    const loaded = parseConfig(
      {
        store: { kind: 'sqlite', path: join(dir, dbName) },
        log: { level: 'debug' },
        connectors: {
          linkedin: {
            plugin: linkedInAdsConnector,
            apiBaseUrl: emu.url,
            oauthBaseUrl: emu.url,
            clientId: emu.clientId,
            clientSecret: env('LI_CLIENT_SECRET'),
            refreshToken: env('LI_REFRESH_TOKEN'),
            accessToken: env('LI_ACCESS_TOKEN'),
            adAccountId: String(emu.state.adAccount.id),
            conversionRule: 'urn:lla:llaPartnerConversion:4242',
            startDate: '2024-02-01',
            ...options.connector,
            ...overrides,
          },
        },
      },
      { baseDir: dir, env: { LI_CLIENT_SECRET: emu.clientSecret, LI_REFRESH_TOKEN: emu.refreshToken, LI_ACCESS_TOKEN: emu.accessToken } },
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
    newRuntime: (overrides, sameDb) => make(overrides, sameDb ? 'main.sqlite' : undefined),
    async stop() {
      for (const r of runtimes) await r.close();
      await emu.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export const day = (d: number) => new Date(Date.UTC(2024, 1, 1 + d)).toISOString().slice(0, 10); // day(0) = 2024-02-01

export function campaign(n: number, extra: { status?: 'ACTIVE' | 'PAUSED'; dailyBudget?: number; name?: string } = {}) {
  const id = `cmp_li_${String(n).padStart(3, '0')}`;
  return { kind: 'campaign' as const, campaign: { id, platform: 'linkedin' as const, name: extra.name ?? `Campaign ${n}`, status: extra.status ?? 'ACTIVE', dailyBudget: extra.dailyBudget ?? 50, createdAt: Date.UTC(2024, 0, 1) } };
}

export function adDay(n: number, date: string, impressions: number, costMicros: number, conversions = 0) {
  const campaignId = `cmp_li_${String(n).padStart(3, '0')}`;
  return { kind: 'ad_day' as const, day: { platform: 'linkedin' as const, campaignId, date, impressions, clicks: Math.floor(impressions / 50), costMicros, conversions } };
}

/** the touchpoints the store holds, keyed by campaign system id:date */
export async function spendRows(runtime: Runtime) {
  const rows = await runtime.store.db
    .selectFrom('touchpoints')
    .innerJoin('external_ids', (j) => j.onRef('external_ids.entity_id', '=', 'touchpoints.id'))
    .select(['external_ids.system_id as systemId', 'touchpoints.spend_micros', 'touchpoints.impressions', 'touchpoints.clicks', 'touchpoints.conversions', 'touchpoints.campaign_id', 'touchpoints.date', 'touchpoints.kind', 'touchpoints.channel'])
    .orderBy('external_ids.system_id')
    .execute();
  return rows;
}
