// The proof of issue #25 item 2: 64 concurrent model calls from 4 processes (16 at once in each,
// a BudgetGuard per process as a workflow run builds it) against one SQLite file and a day budget
// with room for 10 calls: at most 10 run, and the spend stays within the limit. Before budgets
// lived in the store, each process loaded the settled spend (none) and ran 10: 40 in all.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createInterface } from 'node:readline';
import { openSqliteStore } from '@revloop/store';

const repo = resolve(import.meta.dirname, '../../..');
const PROCESSES = 4;
const CALLS = 16;
const COST = 1000; // micros per call
const LIMIT_CALLS = 10;
const NOW = Date.UTC(2026, 5, 10, 9, 0, 0);

const holderScript = `
const { openSqliteStore } = await import(${JSON.stringify(pathToFileURL(join(repo, 'packages/store/src/index.ts')).href)});
const { BudgetGuard } = await import(${JSON.stringify(pathToFileURL(join(repo, 'packages/core/src/workflow/budget.ts')).href)});
const [path] = process.argv.slice(-1);
const store = openSqliteStore({ path });
const guard = new BudgetGuard([{ name: 'daily', scope: 'total', limitUsd: ${COST / 1e6}, period: 'day' }], () => ${NOW});
await guard.load(store);
guard.reserve(${COST}, { workflow: 'wf', step: 'intent', plugin: 'p', model: 'm/intent' });
process.stdout.write('reserved\\n');
setInterval(() => {}, 1000); // a model call that never ends: killed with -9 by the test
`;

const childScript = `
import { createInterface } from 'node:readline';
const { openSqliteStore } = await import(${JSON.stringify(pathToFileURL(join(repo, 'packages/store/src/index.ts')).href)});
const { BudgetGuard } = await import(${JSON.stringify(pathToFileURL(join(repo, 'packages/core/src/workflow/budget.ts')).href)});
const [path] = process.argv.slice(-1);
const store = openSqliteStore({ path });
const guard = new BudgetGuard([{ name: 'daily', scope: 'total', limitUsd: ${(LIMIT_CALLS * COST) / 1e6}, period: 'day' }], () => ${NOW});
await guard.load(store);
const lines = createInterface({ input: process.stdin })[Symbol.asyncIterator]();
process.stdout.write('ready\\n');
await lines.next(); // 'go': every process starts its calls at once
const labels = { workflow: 'wf', step: 'intent', plugin: 'p' + process.pid, model: 'm/intent' };
let ran = 0, refused = 0, other = [];
await Promise.all(Array.from({ length: ${CALLS} }, async (_, i) => {
  await new Promise((r) => setTimeout(r, Math.random() * 5));
  let reservation;
  try {
    reservation = guard.reserve(${COST}, { ...labels, decisionId: process.pid + ':' + i });
  } catch (e) {
    if (e && e.code === 'BUDGET_EXHAUSTED') refused++; else other.push(String(e && e.message || e));
    return;
  }
  ran++;
  await new Promise((r) => setTimeout(r, 5 + Math.random() * 20)); // the model call
  guard.settle(reservation, ${COST});
}));
await guard.flush(store);
await store.close();
process.stdout.write(JSON.stringify({ ran, refused, other }) + '\\n');
`;

function start(path: string, script = childScript) {
  const { NODE_PATH: _ignored, ...env } = process.env;
  const proc = spawn(
    process.execPath,
    ['--conditions=revloop-source', '--import', pathToFileURL(join(repo, 'node_modules/tsx/dist/loader.mjs')).href, '--import', join(repo, 'test/setup/network-guard-child.mjs'), '--input-type=module', '-e', script, path],
    { cwd: repo, env, stdio: ['pipe', 'pipe', 'inherit'] },
  );
  const lines = createInterface({ input: proc.stdout! })[Symbol.asyncIterator]();
  const next = async () => {
    const timer = setTimeout(() => proc.kill(), 60_000);
    const r = await lines.next();
    clearTimeout(timer);
    if (r.done) throw new Error(`a budget child exited (code ${proc.exitCode}) without answering`);
    return r.value as string;
  };
  return { proc, next };
}

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'revloop-budget-procs-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('a budget shared by processes', () => {
  it(`${PROCESSES * CALLS} concurrent calls in ${PROCESSES} processes against a budget for ${LIMIT_CALLS}: at most ${LIMIT_CALLS} run, spend within the limit`, async () => {
    const path = join(dir, 'shared.db');
    const setup = openSqliteStore({ path });
    await setup.migrate();
    await setup.close();
    const children = Array.from({ length: PROCESSES }, () => start(path));
    try {
      for (const c of children) expect(await c.next()).toBe('ready');
      for (const c of children) c.proc.stdin!.write('go\n');
      const answers = (await Promise.all(children.map((c) => c.next()))).map((l) => JSON.parse(l) as { ran: number; refused: number; other: string[] });
      expect(answers.flatMap((a) => a.other)).toEqual([]);
      const ran = answers.reduce((s, a) => s + a.ran, 0);
      expect(answers.reduce((s, a) => s + a.ran + a.refused, 0)).toBe(PROCESSES * CALLS);
      expect(ran).toBeLessThanOrEqual(LIMIT_CALLS);
      // every refusal saw a full budget: the budget was used, not refused for nothing
      expect(ran).toBe(LIMIT_CALLS);

      const store = openSqliteStore({ path });
      const spent = await store.db.selectFrom('cost_ledger').select((eb) => eb.fn.sum<number>('cost_micros').as('s')).where('kind', '=', 'settle').executeTakeFirstOrThrow();
      const period = await store.db.selectFrom('budget_periods').selectAll().executeTakeFirstOrThrow();
      const open = await store.db.selectFrom('budget_reservations').selectAll().execute();
      await store.close();
      expect(Number(spent.s)).toBeLessThanOrEqual(LIMIT_CALLS * COST);
      expect(period).toMatchObject({ spent_micros: ran * COST, reserved_micros: 0, overrun_micros: 0 });
      expect(open).toEqual([]);
    } finally {
      for (const c of children) c.proc.kill();
    }
  }, 120_000);

  it('a process killed (-9) during a call gives its reservation back: the next call finds the room', async () => {
    const path = join(dir, 'killed.db');
    const setup = openSqliteStore({ path });
    await setup.migrate();
    await setup.close();
    const holder = start(path, holderScript);
    try {
      expect(await holder.next()).toBe('reserved');
      const store = openSqliteStore({ path });
      const { BudgetGuard } = await import('../src/workflow/budget.js');
      const guard = new BudgetGuard([{ name: 'daily', scope: 'total', limitUsd: COST / 1e6, period: 'day' }], () => NOW);
      await guard.load(store);
      const labels = { workflow: 'wf', step: 'intent', plugin: 'p', model: 'm/intent' };
      // the holder is alive: its reservation holds the whole budget
      expect(() => guard.reserve(COST, labels)).toThrow(/no room/);
      holder.proc.kill('SIGKILL');
      await new Promise((r) => holder.proc.once('exit', r));
      const r = guard.reserve(COST, labels);
      guard.settle(r, COST);
      expect(await store.db.selectFrom('budget_periods').selectAll().executeTakeFirstOrThrow()).toMatchObject({ spent_micros: COST, reserved_micros: 0 });
      await store.close();
    } finally {
      holder.proc.kill('SIGKILL');
    }
  }, 60_000);
});
