// Test helpers: a Salesforce emulator fed with market events, and a revloop runtime over a temp
// SQLite file whose clock is the emulator's clock (so getDeleted windows and token TTLs agree).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Clock, Runtime } from '@revloop/core';
import { startSalesforceEmulator, type SalesforceEmulator, type SalesforceEmulatorOptions } from '@revloop/sandbox';
import { kitRuntime } from '@revloop/plugin-kit';
import { salesforceConnector } from '../src/index.js';

export const T0 = Date.UTC(2024, 0, 1);
export const NAME = 'sf';

export interface World {
  em: SalesforceEmulator;
  dir: string;
  clock: Clock;
  runtime(overrides?: Record<string, unknown>, file?: string): Promise<Runtime>;
  config(overrides?: Record<string, unknown>): Record<string, unknown>;
  close(): Promise<void>;
}

export async function world(options: SalesforceEmulatorOptions = {}): Promise<World> {
  const em = await startSalesforceEmulator(options);
  const dir = mkdtempSync(join(tmpdir(), 'revloop-sf-'));
  const runtimes: Runtime[] = [];
  const clock: Clock = { now: () => em.clock.now(), sleep: async (ms) => em.clock.advance(ms) };
  const config = (overrides: Record<string, unknown> = {}) => ({
    instanceUrl: em.url,
    loginUrl: em.url,
    clientId: em.credentials.clientId,
    clientSecret: em.credentials.clientSecret,
    refreshToken: em.refreshToken,
    accessToken: em.accessToken,
    pageSize: 5,
    ...overrides,
  });
  return {
    em,
    dir,
    clock,
    config,
    async runtime(overrides = {}, file = `revloop-${runtimes.length}.db`) {
      const r = await kitRuntime({ connector: salesforceConnector, name: NAME, config: config(overrides), dir, file, clock });
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

export function account(em: SalesforceEmulator, n: number, at = em.clock.now()) {
  em.state.apply({ kind: 'account', account: { id: `acc_${pad(n)}`, name: `Account ${n}`, domain: `acct${n}.example`, industry: 'Software', size: 'mid', region: 'US', employees: 100 + n, createdAt: at, updatedAt: at } });
  return em.state.idOf(`acc_${pad(n)}`)!;
}

export function contact(em: SalesforceEmulator, n: number, accountN: number, at = em.clock.now(), email = `person${n}@acct${accountN}.example`) {
  em.state.apply({
    kind: 'contact',
    contact: { id: `con_${pad(n)}`, accountId: `acc_${pad(accountN)}`, email, firstName: `First${n}`, lastName: `Last${n}`, persona: 'champion', title: 'Director', lifecycleStage: 'lead', createdAt: at, updatedAt: at },
  });
  return em.state.idOf(`con_${pad(n)}`)!;
}

export function opportunity(em: SalesforceEmulator, n: number, accountN: number, stage: 'qualification' | 'closed_won' | 'closed_lost', amount = 1234.56, at = em.clock.now()) {
  em.state.apply({
    kind: 'opportunity',
    opportunity: { id: `opp_${pad(n)}`, accountId: `acc_${pad(accountN)}`, name: `Deal ${n}`, stage, amount, createdAt: at, closeDate: '2024-03-31', isClosed: stage.startsWith('closed'), isWon: stage === 'closed_won', updatedAt: at },
  });
  return em.state.idOf(`opp_${pad(n)}`)!;
}

/** every synced row of one table, by vendor id */
export async function rows(runtime: Runtime, table: 'accounts' | 'contacts' | 'opportunities' | 'campaigns' | 'touchpoints') {
  return runtime.store.db.selectFrom(table).selectAll().orderBy('id').execute();
}
