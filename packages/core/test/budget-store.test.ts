// Budgets enforced in the store (issue #25 item 2): runs with a guard each share one budget, a
// call that costs more than it reserved is recorded as an overrun and blocks the next calls, and a
// reservation left by a process that died is given back.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openSqliteStore, type Store } from '@revloop/store';
import { BudgetGuard, RESERVATION_RELEASE_MS, type BudgetRule } from '../src/workflow/budget.js';
import { isAbandoned } from '../src/workflow/reservation-owner.js';
import { RevloopError } from '../src/errors.js';

const labels = { workflow: 'wf', step: 'intent', plugin: 'local', model: 'local/intent' };
const T0 = Date.UTC(2026, 5, 10, 9, 0, 0); // 09:00 on a day: +2 h is the same day
const day = (calls: number): BudgetRule => ({ name: 'daily', scope: 'total', limitUsd: (calls * 1000) / 1e6, period: 'day' });

let dir: string;
let store: Store;
beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'revloop-budget-'));
  store = openSqliteStore({ path: join(dir, 'r.db') });
  await store.migrate();
});
afterEach(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

async function guard(rules: BudgetRule[], now = () => T0): Promise<BudgetGuard> {
  const g = new BudgetGuard(rules, now);
  await g.load(store);
  return g;
}

function tryReserve(g: BudgetGuard, micros = 1000) {
  try {
    return g.reserve(micros, labels);
  } catch (e) {
    expect(e).toBeInstanceOf(RevloopError);
    expect((e as RevloopError).code).toBe('BUDGET_EXHAUSTED');
    return undefined;
  }
}

describe('budgets in the store', () => {
  it('two runs with a guard each, calls under way at once: together they stay within one budget', async () => {
    const a = await guard([day(3)]);
    const b = await guard([day(3)]);
    const held = [tryReserve(a), tryReserve(b), tryReserve(a), tryReserve(b)];
    expect(held.filter(Boolean)).toHaveLength(3);
    for (const r of held) if (r) a.settle(r, 1000);
    const period = store.budgets!.period('daily', T0 - (T0 % 86_400_000))!;
    expect(period.spentMicros).toBe(3000);
    expect(period.reservedMicros).toBe(0);
    // a third run later the same day finds the budget spent
    expect(tryReserve(await guard([day(3)]))).toBeUndefined();
  });

  it('a call that cost more than it reserved is recorded as an overrun and blocks the next calls, in this run and the next', async () => {
    const g = await guard([day(3)]);
    const r = g.reserve(1000, labels);
    g.settle(r, 5000);
    await g.flush(store);
    const overrun = await store.db.selectFrom('cost_ledger').selectAll().where('kind', '=', 'overrun').execute();
    expect(overrun).toEqual([expect.objectContaining({ cost_micros: 4000, budget: 'daily', step: 'intent' })]);
    const period = store.budgets!.period('daily', T0 - (T0 % 86_400_000))!;
    expect(period).toMatchObject({ spentMicros: 5000, overrunMicros: 4000, reservedMicros: 0 });
    expect(tryReserve(g, 1)).toBeUndefined();
    const next = await guard([day(3)]);
    expect(() => next.reserve(1, labels)).toThrow(/overrun/);
  });

  it('a reservation left open by a process that died is given back at once; one of a live process is not', async () => {
    const live = await guard([day(1)]);
    const held = live.reserve(1000, labels); // this process, call under way
    expect(tryReserve(await guard([day(1)]))).toBeUndefined();
    live.settle(held, 0);
    // a process on this host reserved, then died (kill -9) before it settled
    const dead = spawnSync(process.execPath, ['-e', '']).pid!;
    const period = { budget: 'daily', periodStart: T0 - (T0 % 86_400_000), limitMicros: 1000, scope: 'total' as const };
    expect(store.budgets!.reserve({ id: `${encodeURIComponent(hostname())}/${dead}/${Date.now()}/r1`, micros: 1000, charges: [period], now: T0 }).ok).toBe(true);
    const next = await guard([day(1)]);
    const r = tryReserve(next);
    expect(r).toBeDefined();
    next.settle(r!, 1000);
    expect(store.budgets!.period('daily', period.periodStart)).toMatchObject({ spentMicros: 1000, reservedMicros: 0 });
  });

  it('a reservation whose owner cannot be checked (another host) is given back after RESERVATION_RELEASE_MS of real time, not before', async () => {
    const period = { budget: 'daily', periodStart: T0 - (T0 % 86_400_000), limitMicros: 1000, scope: 'total' as const };
    const now = Date.now();
    expect(store.budgets!.reserve({ id: `other-host/4242/${now - 60_000}/r2`, micros: 1000, charges: [period], now: T0 }).ok).toBe(true);
    expect(tryReserve(await guard([day(1)]))).toBeUndefined();
    expect(isAbandoned(`other-host/4242/${now - 60_000}/r2`, now + RESERVATION_RELEASE_MS)).toBe(true);
    await store.db.updateTable('budget_reservations').set({ id: `other-host/4242/${now - RESERVATION_RELEASE_MS - 1}/r2` }).execute();
    expect(tryReserve(await guard([day(1)]))).toBeDefined();
  });

  it('a reservation made inside another transaction that rolls back: the call still runs within the budget and its cost is counted', async () => {
    const g = await guard([day(2)]);
    let r: ReturnType<BudgetGuard['reserve']> | undefined;
    await store.db
      .transaction()
      .execute(async (tx) => {
        await tx.insertInto('sync_state').values({ connector: 'c', stream: 's', checkpoint: null, updated_at: 1 }).execute();
        r = g.reserve(1000, labels); // joins the open transaction (a savepoint), then is rolled back with it
        throw new Error('rolled back');
      })
      .catch(() => undefined);
    g.settle(r!, 1000);
    expect(store.budgets!.period('daily', T0 - (T0 % 86_400_000))).toMatchObject({ spentMicros: 1000, reservedMicros: 0 });
    expect(tryReserve(g)).toBeDefined();
    expect(tryReserve(g)).toBeUndefined();
  });

  it('spend logged before budgets lived in the store counts when the period row is created', async () => {
    await store.insertRows([{ table: 'cost_ledger', rows: [{ kind: 'settle', budget: null, workflow: 'wf', step: 'intent', plugin: 'local', model: 'local/intent', decision_id: null, tokens_in: null, tokens_out: null, cost_micros: 2000, created_at: T0 - 1000 }] }]);
    const g = await guard([day(3)]);
    expect(tryReserve(g)).toBeDefined();
    expect(tryReserve(g)).toBeUndefined();
  });

  it("a 'run' budget still holds per run: a second guard has its own", async () => {
    const run: BudgetRule = { name: 'per-run', scope: 'total', limitUsd: 0.001, period: 'run' };
    const a = await guard([run]);
    expect(tryReserve(a)).toBeDefined();
    expect(tryReserve(a)).toBeUndefined();
    expect(tryReserve(await guard([run]))).toBeDefined();
  });
});

describe('budgets on a store the budget migration has not reached', () => {
  it('says which store and to run revloop migrate', async () => {
    const d = mkdtempSync(join(tmpdir(), 'revloop-budget-old-'));
    const old = openSqliteStore({ path: join(d, 'old.db') });
    try {
      const g = new BudgetGuard([day(1)], () => T0);
      await expect(g.load(old)).rejects.toThrow(/old\.db has no budget tables.*run `revloop migrate`/);
    } finally {
      await old.close();
      rmSync(d, { recursive: true, force: true });
    }
  });
});
