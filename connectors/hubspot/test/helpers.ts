// Test helpers: a HubSpot emulator fed with hand-made market events, and a revloop runtime over a
// temp SQLite file whose clock is the emulator's simulated clock.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Clock, Runtime } from '@revloop/core';
import { startHubSpotEmulator, type HubSpotEmulator, type HubSpotEmulatorOptions } from '@revloop/sandbox';
import { kitRuntime } from '@revloop/plugin-kit';
import { hubspotConnector } from '../src/index.js';

export const T0 = Date.UTC(2025, 0, 1);
export const NAME = 'hs';
export const TOKEN = 'pat-na1-revloop-sandbox';
export const MIN = 60_000;

export interface World {
  em: HubSpotEmulator;
  dir: string;
  clock: Clock & { advance(ms: number): void };
  runtime(overrides?: Record<string, unknown>, file?: string): Promise<Runtime>;
  config(overrides?: Record<string, unknown>): Record<string, unknown>;
  close(): Promise<void>;
}

export async function world(options: HubSpotEmulatorOptions = {}): Promise<World> {
  const em = await startHubSpotEmulator(options);
  em.clock!.set(T0);
  const dir = mkdtempSync(join(tmpdir(), 'revloop-hs-'));
  const runtimes: Runtime[] = [];
  const clock = { now: () => em.clock!.now(), sleep: async (ms: number) => em.clock!.advance(ms), advance: (ms: number) => em.clock!.advance(ms) };
  const config = (overrides: Record<string, unknown> = {}) => ({
    accessToken: TOKEN,
    baseUrl: em.url,
    pageSize: 10,
    searchPageSize: 10,
    lookbackMs: 0,
    retry: { attempts: 8, serverErrorBackoffMs: 1, rateLimitBackoffMs: 5 },
    rateLimits: { secondly: 100_000, tenSecondly: 1_000_000, daily: 100_000_000, searchSecondly: 100_000 },
    ...overrides,
  });
  return {
    em,
    dir,
    clock,
    config,
    async runtime(overrides = {}, file = `revloop-${runtimes.length}.db`) {
      const r = await kitRuntime({ connector: hubspotConnector, name: NAME, config: config(overrides), dir, file, clock });
      runtimes.push(r);
      return r;
    },
    async close() {
      for (const r of runtimes) await r.close();
      await em.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export const pad = (n: number) => String(n).padStart(6, '0');

export function company(em: HubSpotEmulator, n: number, at = em.clock!.now()): string {
  em.state.apply({ kind: 'account', account: { id: `acc_${pad(n)}`, name: `Account ${n}`, domain: `acct${n}.example`, industry: 'Computer Software', size: 'mid', region: 'EMEA', employees: 100 + n, createdAt: at, updatedAt: at } });
  return em.state.hubspotIdOf(`acc_${pad(n)}`)!;
}

export function contact(em: HubSpotEmulator, n: number, companyN: number, at = em.clock!.now(), extra: { email?: string; firstName?: string } = {}): string {
  em.state.apply({
    kind: 'contact',
    contact: { id: `con_${pad(n)}`, accountId: `acc_${pad(companyN)}`, email: extra.email ?? `person${n}@acct${companyN}.example`, firstName: extra.firstName ?? `First${n}`, lastName: `Last${n}`, persona: 'champion', title: 'VP Marketing', lifecycleStage: 'mql', createdAt: at, updatedAt: at },
  });
  return em.state.hubspotIdOf(`con_${pad(n)}`)!;
}

export function deal(em: HubSpotEmulator, n: number, companyN: number, contactN: number | undefined, stage: 'qualification' | 'closed_won' | 'closed_lost', amount = 1234.56, at = em.clock!.now()): string {
  em.state.apply({
    kind: 'opportunity',
    opportunity: { id: `opp_${pad(n)}`, accountId: `acc_${pad(companyN)}`, ...(contactN ? { contactId: `con_${pad(contactN)}` } : {}), name: `Deal ${n}`, stage, amount, createdAt: at, closeDate: '2025-03-31', isClosed: stage.startsWith('closed'), isWon: stage === 'closed_won', updatedAt: at },
  });
  return em.state.hubspotIdOf(`opp_${pad(n)}`)!;
}

export async function rows(runtime: Runtime, table: 'accounts' | 'contacts' | 'opportunities' | 'signals') {
  return runtime.store.db.selectFrom(table).selectAll().orderBy('id').execute();
}

export async function countLive(runtime: Runtime, table: 'accounts' | 'contacts' | 'opportunities' | 'signals'): Promise<number> {
  return (await rows(runtime, table)).filter((r) => r.deleted === 0).length;
}
