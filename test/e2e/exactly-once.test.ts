// Exactly-once execution into vendor systems (issue #27): an execution is recorded ('in_progress',
// with its planned input and idempotency key) before the vendor is called; a crash between intent
// and effect is resumed by the next run, which looks at the vendor first (the action's reconcile)
// and sends only what is not there. A crash is simulated by an action that never answers: the
// first runtime is abandoned mid-call, its claims on the rows rewritten to a process that is gone
// (as after a kill -9), and a second runtime on the same SQLite file runs again. A real SIGKILL of
// the production loop is test/e2e/workflow-kill-restart.test.ts.
import { spawnSync } from 'node:child_process';
import { hostname } from 'node:os';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createRuntime, decideApproval, defineAction, defineConnector, listApprovals, parseConfig, RevloopError, runAction, runWorkflow, showDecision, SimulatedClock, type Runtime } from '@revloop/core';
import { LogSink, tempDir } from './helpers.js';
import { T0, config, seed } from './workflow-fixtures.js';

type Input = { email: string; topic: string; hour: number };

/** the fake vendor: every request it received (by idempotency key) and the writes it applied */
const vendor = {
  sent: [] as string[],
  writes: new Map<string, number>(),
  /** the next call of this number (1-based) never answers: before or after the write is applied */
  hang: undefined as undefined | { call: number; when: 'before' | 'after' },
  /** the next call throws this after (or instead of) writing */
  fail: undefined as undefined | { error: Error; afterWrite: boolean },
  inspect: undefined as undefined | ((ctx: { state: { get(k: string): Promise<unknown> } }, input: Input) => Promise<void>),
  reset() {
    this.sent = [];
    this.writes = new Map();
    this.hang = undefined;
    this.fail = undefined;
    this.inspect = undefined;
  },
};
const never = () => new Promise<never>(() => {});
const reconcileCalls: Input[] = [];

function crmWith(options: { reconcile?: 'lookup' | 'partial' }) {
  return defineConnector({
    name: 'crm', version: '1.0.0', config: z.object({}).strict(), async check() { return { ok: true, message: 'ok' }; }, streams: [],
    actions: [
      defineAction({
        name: 'enroll',
        input: z.object({ email: z.string(), topic: z.string(), hour: z.number() }).strict(),
        idempotencyKey: (i: Input) => i.email,
        async run(ctx, input: Input): Promise<unknown> {
          await vendor.inspect?.(ctx, input);
          vendor.sent.push(input.email);
          const call = vendor.sent.length;
          if (vendor.hang?.call === call && vendor.hang.when === 'before') return never();
          if (vendor.fail && !vendor.fail.afterWrite) throw vendor.fail.error;
          vendor.writes.set(input.email, (vendor.writes.get(input.email) ?? 0) + 1);
          if (vendor.hang?.call === call && vendor.hang.when === 'after') return never();
          if (vendor.fail) throw vendor.fail.error;
          return { id: `V-${input.email}`, topic: input.topic, items: [input.topic] };
        },
        ...(options.reconcile
          ? {
              async reconcile(_ctx: unknown, input: Input): Promise<{ found: true; result: unknown } | { found: false } | { found: 'partial'; remaining: Input; done: unknown }> {
                reconcileCalls.push(input);
                if (options.reconcile === 'partial' && vendor.writes.has(input.email)) return { found: 'partial' as const, remaining: { ...input, topic: 'rest' }, done: { id: `V-${input.email}`, items: ['done-part'] } };
                return vendor.writes.has(input.email) ? { found: true as const, result: { id: `V-${input.email}`, found: true } } : { found: false as const };
              },
            }
          : {}),
      }),
    ],
  });
}

let dir: ReturnType<typeof tempDir>;
const open: Runtime[] = [];
afterEach(async () => {
  for (const r of open.splice(0)) await r.close().catch(() => {});
  dir?.cleanup();
  vendor.reset();
  reconcileCalls.length = 0;
});

async function runtimeOn(path: string, connector: ReturnType<typeof crmWith>, sink?: LogSink): Promise<Runtime> {
  const base = config(path, { approvals: { policies: [], regulatedIndustries: [] }, connectors: { crm: { plugin: connector } }, log: { level: sink ? 'warn' : 'silent' } });
  const runtime = await createRuntime(parseConfig(base, { env: {} }), { clock: new SimulatedClock(T0), logDestination: sink });
  open.push(runtime);
  await runtime.store.migrate();
  return runtime;
}

const endRows = (runtime: Runtime) => runtime.store.db.selectFrom('decisions').select(['id', 'account_id', 'status', 'output', 'execution']).where('step', '=', 'execute').orderBy('id').execute();

/** the first runtime's process "died": the claims on its rows in progress name a pid that is gone */
async function processDied(runtime: Runtime): Promise<void> {
  const pid = spawnSync(process.execPath, ['-e', '0']).pid!;
  const claim = JSON.stringify({ _claim: { owner: `dead/${pid}/0/x`, pid, host: hostname(), at: Date.now() } });
  await runtime.store.db.updateTable('decisions').set({ execution: claim }).where('status', '=', 'in_progress').execute();
}

async function until(what: () => boolean): Promise<void> {
  for (let i = 0; i < 500 && !what(); i++) await new Promise((r) => setTimeout(r, 10));
  if (!what()) throw new Error('timed out');
}

/** a first run that "crashes" in its first vendor call, then a second runtime on the same store */
async function crashThenRunAgain(connector: ReturnType<typeof crmWith>, when: 'before' | 'after', sink?: LogSink) {
  dir = tempDir();
  const first = await runtimeOn(dir.path, connector);
  await seed(first);
  vendor.hang = { call: 1, when };
  void runWorkflow(first, 'default'); // never ends: its process "died" in the vendor call
  await until(() => vendor.sent.length === 1);
  const crashed = await endRows(first);
  await processDied(first);
  vendor.hang = undefined;
  const second = await runtimeOn(dir.path, connector, sink);
  const summary = await runWorkflow(second, 'default');
  return { crashed, summary, rows: await endRows(second), second };
}

describe('exactly-once execution: intent before effect', () => {
  it('a crash after the vendor write: the next run reconciles, finds the write and does not send it again', async () => {
    const { crashed, summary, rows } = await crashThenRunAgain(crmWith({ reconcile: 'lookup' }), 'after');
    // every execution was recorded before the first vendor call: the crash lost none of them
    expect(crashed.map((r) => r.status)).toEqual(['in_progress', 'in_progress', 'in_progress']);
    expect(summary).toMatchObject({ accounts: 0, retried: 3, executed: 3, reconciled: 1, failed: 0 });
    expect(rows.map((r) => r.status)).toEqual(['executed', 'executed', 'executed']);
    // each account's write happened exactly once; the crashed one was looked up, not resent
    expect([...vendor.writes.values()]).toEqual([1, 1, 1]);
    expect(vendor.sent).toHaveLength(3);
    expect(new Set(vendor.sent).size).toBe(3);
    const found = rows.map((r) => JSON.parse(r.execution!).crm).find((e) => e.reconciled === 'found');
    expect(found).toMatchObject({ ok: true, retried: true, replayed: true, result: { found: true } });
  });

  it('a crash before the vendor write: reconcile finds nothing and the write is sent once', async () => {
    const { summary, rows } = await crashThenRunAgain(crmWith({ reconcile: 'lookup' }), 'before');
    expect(summary).toMatchObject({ retried: 3, executed: 3, reconciled: 0 });
    expect(rows.map((r) => r.status)).toEqual(['executed', 'executed', 'executed']);
    expect([...vendor.writes.values()]).toEqual([1, 1, 1]);
    expect(reconcileCalls).toHaveLength(3);
  });

  it('without reconcile the write is sent again with the same idempotency key, and a warning says so', async () => {
    const sink = new LogSink();
    const { summary, rows, crashed } = await crashThenRunAgain(crmWith({}), 'after', sink);
    expect(summary).toMatchObject({ retried: 3, executed: 3, reconciled: 0 });
    expect(rows.map((r) => r.status)).toEqual(['executed', 'executed', 'executed']);
    // the crashed one went out twice, with the key recorded in its intent
    const twice = vendor.sent.find((k, i) => vendor.sent.indexOf(k) !== i)!;
    expect(vendor.sent.filter((k) => k === twice)).toHaveLength(2);
    const intent = crashed.map((r) => JSON.parse(r.output!)).find((o) => o.input.email === twice);
    expect(intent).toMatchObject({ connector: 'crm', action: 'enroll', idempotencyKey: `enroll:${twice}`, input: { email: twice } });
    expect(sink.text()).toMatch(/cannot look first/);
  });

  it('a run leaves the executions a live process is sending, and takes them over once it is gone', async () => {
    dir = tempDir();
    const connector = crmWith({ reconcile: 'lookup' });
    const first = await runtimeOn(dir.path, connector);
    await seed(first);
    vendor.hang = { call: 1, when: 'after' };
    void runWorkflow(first, 'default'); // still running: its first vendor call has not answered
    await until(() => vendor.sent.length === 1);
    const second = await runtimeOn(dir.path, connector);
    // the rows carry the first run's claim, and its process (this one) still holds them
    const busy = await runWorkflow(second, 'default');
    expect(busy).toMatchObject({ retried: 0, heldElsewhere: 3, executed: 0 });
    expect(vendor.sent).toHaveLength(1);
    const [row] = await endRows(second);
    expect((await showDecision(second, row!.id)).note).toMatch(new RegExp(`^being executed by pid ${process.pid} on `));
    expect((await showDecision(second, row!.id)).execution).toBeNull();
    await processDied(first);
    vendor.hang = undefined;
    const after = await runWorkflow(second, 'default');
    expect(after).toMatchObject({ retried: 3, heldElsewhere: 0, executed: 3, reconciled: 1 });
    expect([...vendor.writes.values()]).toEqual([1, 1, 1]);
  });

  it('the decision row is in progress, with its planned input and key, while the executor runs', async () => {
    dir = tempDir();
    const runtime = await runtimeOn(dir.path, crmWith({}));
    await seed(runtime);
    const seen: { status: string; key: string; input: unknown }[] = [];
    await runWorkflow(runtime, 'default', {
      executor: async (_c, _a, input) => {
        const row = (await endRows(runtime)).find((r) => JSON.parse(r.output ?? '{}').input?.email === (input as Input).email);
        const output = JSON.parse(row?.output ?? '{}');
        seen.push({ status: row?.status ?? 'missing', key: output.idempotencyKey, input: output.input });
        return { ok: true };
      },
    });
    expect(seen).toHaveLength(3);
    for (const s of seen) expect(s).toMatchObject({ status: 'in_progress', key: `enroll:${(s.input as Input).email}` });
    expect((await endRows(runtime)).map((r) => r.status)).toEqual(['executed', 'executed', 'executed']);
  });

  it('two people approving at once: one execution, the other is told it is no longer pending', async () => {
    dir = tempDir();
    const runtime = await createRuntime(parseConfig(config(dir.path, { connectors: { crm: { plugin: crmWith({}) } } }), { env: {} }), { clock: new SimulatedClock(T0) });
    open.push(runtime);
    await runtime.store.migrate();
    await seed(runtime);
    await runWorkflow(runtime, 'default', { executor: async () => ({ ok: true }) });
    const [pending] = await listApprovals(runtime, 'pending');
    const calls: string[] = [];
    const executor = (who: string) => async () => {
      calls.push(who);
      return { ok: true };
    };
    // both read the approval as pending before either writes (the awaits interleave); the
    // verdict's conditional update lets one through
    const results = await Promise.allSettled([decideApproval(runtime, pending!.id, 'approve', 'dana', 'ok', executor('dana')), decideApproval(runtime, pending!.id, 'approve', 'lee', 'ok', executor('lee'))]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const refused = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect(refused.reason).toMatchObject({ code: 'APPROVAL_NOT_PENDING', message: expect.stringMatching(/decided by someone else meanwhile/) });
    expect(calls).toHaveLength(1);
    const approval = await runtime.store.db.selectFrom('approvals').select(['state', 'decided_by']).where('id', '=', pending!.id).executeTakeFirstOrThrow();
    expect(approval).toEqual({ state: 'approved', decided_by: calls[0] });
  });

  it('an approved decision is in progress while its execution runs', async () => {
    dir = tempDir();
    const runtime = await createRuntime(parseConfig(config(dir.path, { connectors: { crm: { plugin: crmWith({}) } } }), { env: {} }), { clock: new SimulatedClock(T0) });
    open.push(runtime);
    await runtime.store.migrate();
    await seed(runtime);
    await runWorkflow(runtime, 'default', { executor: async () => ({ ok: true }) });
    const [pending] = await listApprovals(runtime, 'pending');
    let during: string | undefined;
    const decided = await decideApproval(runtime, pending!.id, 'approve', 'dana@revops', 'ok', async () => {
      during = (await runtime.store.db.selectFrom('decisions').select('status').where('id', '=', pending!.decisionId).executeTakeFirst())?.status;
      return { ok: true };
    });
    expect(during).toBe('in_progress');
    expect(decided.execution).toMatchObject({ ok: true });
    expect((await runtime.store.db.selectFrom('decisions').select('status').where('id', '=', pending!.decisionId).executeTakeFirst())?.status).toBe('executed');
  });
});

describe("runAction's idempotency record", () => {
  const input = { email: 'a@x.test', topic: 'security', hour: 9 };
  const key = 'action:enroll:a@x.test';

  it('is in progress during the vendor call and done after; an old-format record counts as done', async () => {
    dir = tempDir();
    const runtime = await runtimeOn(dir.path, crmWith({ reconcile: 'lookup' }));
    const during: unknown[] = [];
    vendor.inspect = async (ctx) => void during.push(await ctx.state.get(key));
    const first = await runAction(runtime, 'crm', 'enroll', input);
    expect(during).toEqual([{ state: 'in_progress', at: T0 }]);
    expect(first).toMatchObject({ replayed: false, result: { id: 'V-a@x.test' } });
    const ctx = runtime.contextFor(runtime.connector('crm'));
    expect(await ctx.state.get(key)).toMatchObject({ state: 'done', result: { id: 'V-a@x.test' } });
    expect(await runAction(runtime, 'crm', 'enroll', input)).toMatchObject({ replayed: true, result: { id: 'V-a@x.test' } });
    // a record written before the marker existed: { result, at }
    await ctx.state.set('action:enroll:b@x.test', { result: { id: 'old' }, at: 1 });
    expect(await runAction(runtime, 'crm', 'enroll', { ...input, email: 'b@x.test' })).toMatchObject({ replayed: true, result: { id: 'old' } });
    expect(vendor.sent).toEqual(['a@x.test']);
    expect(reconcileCalls).toHaveLength(0);
  });

  it('a failure with an unknown outcome leaves the record in progress: the retry reconciles and does not write twice', async () => {
    dir = tempDir();
    const runtime = await runtimeOn(dir.path, crmWith({ reconcile: 'lookup' }));
    vendor.fail = { error: new Error('socket hang up'), afterWrite: true };
    await expect(runAction(runtime, 'crm', 'enroll', input)).rejects.toThrow('socket hang up');
    const ctx = runtime.contextFor(runtime.connector('crm'));
    expect(await ctx.state.get(key)).toMatchObject({ state: 'in_progress' });
    vendor.fail = undefined;
    const retry = await runAction(runtime, 'crm', 'enroll', input);
    expect(retry).toMatchObject({ replayed: true, reconciled: 'found', result: { found: true } });
    expect(vendor.writes.get('a@x.test')).toBe(1);
    expect(vendor.sent).toHaveLength(1);
    expect(await ctx.state.get(key)).toMatchObject({ state: 'done', result: { found: true } });
  });

  it('a failure that proves nothing was written (bad input, notApplied) removes the record: the retry just sends', async () => {
    dir = tempDir();
    const runtime = await runtimeOn(dir.path, crmWith({ reconcile: 'lookup' }));
    const ctx = runtime.contextFor(runtime.connector('crm'));
    vendor.fail = { error: new RevloopError('VENDOR_REFUSED', 'HTTP 400: property unknown', { kind: 'bad_input' }), afterWrite: false };
    await expect(runAction(runtime, 'crm', 'enroll', input)).rejects.toMatchObject({ code: 'VENDOR_REFUSED' });
    expect(await ctx.state.get(key)).toBeUndefined();
    vendor.fail = { error: Object.assign(new Error('refused before sending'), { notApplied: true }), afterWrite: false };
    await expect(runAction(runtime, 'crm', 'enroll', input)).rejects.toThrow('refused');
    expect(await ctx.state.get(key)).toBeUndefined();
    vendor.fail = undefined;
    expect(await runAction(runtime, 'crm', 'enroll', input)).toMatchObject({ replayed: false });
    expect(reconcileCalls).toHaveLength(0);
    expect(vendor.writes.get('a@x.test')).toBe(1);
  });

  it('a half-done batch: only the remaining part is sent, and the results are merged', async () => {
    dir = tempDir();
    const runtime = await runtimeOn(dir.path, crmWith({ reconcile: 'partial' }));
    vendor.fail = { error: new Error('502 after the first half'), afterWrite: true };
    await expect(runAction(runtime, 'crm', 'enroll', input)).rejects.toThrow('502');
    vendor.fail = undefined;
    const retry = await runAction(runtime, 'crm', 'enroll', input);
    expect(retry).toMatchObject({ replayed: false, reconciled: 'partial', result: { id: 'V-a@x.test', topic: 'rest', items: ['done-part', 'rest'] } });
    expect(vendor.sent).toEqual(['a@x.test', 'a@x.test']);
  });

  it('resume: an execution whose outcome is unknown without any record is looked up first', async () => {
    dir = tempDir();
    const runtime = await runtimeOn(dir.path, crmWith({ reconcile: 'lookup' }));
    vendor.writes.set('a@x.test', 1); // written by a process that crashed before runAction's record
    expect(await runAction(runtime, 'crm', 'enroll', input, { resume: true })).toMatchObject({ replayed: true, reconciled: 'found' });
    expect(vendor.sent).toHaveLength(0);
  });
});
