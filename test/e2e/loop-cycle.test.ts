// Core's loop cycle (sync → learn → decide → execute) and the engine's promises around it:
// decisions over the per-run cap are decided again later, executions a shutdown stopped are sent
// again as they were, and a cycle learns from outcomes before it decides.
import { afterEach, describe, expect, it } from 'vitest';
import { createRuntime, parseConfig, runLoopCycle, runWorkflow, SimulatedClock, type RevloopConfigInput } from '@revloop/core';
import { tempDir } from './helpers.js';
import { DAY, T0, config, recorder, seed, seen } from './workflow-fixtures.js';

const HOUR = 3_600_000;
let dir: ReturnType<typeof tempDir>;
afterEach(() => dir?.cleanup());

async function setup(workflowPatch: Record<string, unknown> = {}, seedStore = true) {
  dir = tempDir();
  const base = config(dir.path, { approvals: { policies: [], regulatedIndustries: [] } });
  const wf = (base.workflows as Record<string, Record<string, unknown>>).default!;
  const clock = new SimulatedClock(T0);
  const runtime = await createRuntime(parseConfig({ ...base, workflows: { default: { ...wf, ...workflowPatch } } } as unknown as RevloopConfigInput, { env: {} }), { clock });
  await runtime.store.migrate();
  if (seedStore) await seed(runtime);
  return { runtime, clock };
}

const endRows = (runtime: Awaited<ReturnType<typeof setup>>['runtime'], status: string) =>
  runtime.store.db.selectFrom('decisions').select(['id', 'account_id', 'output', 'execution']).where('step', '=', 'execute').where('status', '=', status).execute();

describe('the loop cycle', () => {
  it('decides deferred decisions again in later runs until each is executed', async () => {
    const { runtime, clock } = await setup({ maxExecutionsPerRun: 1 });
    const rec = recorder();
    const first = await runWorkflow(runtime, 'default', { executor: rec.executor });
    expect(first).toMatchObject({ executed: 1, deferred: 2 });
    // a retried run at the same time decides nothing twice, deferred ones included
    expect(await runWorkflow(runtime, 'default', { executor: rec.executor })).toMatchObject({ executed: 0, deferred: 0 });
    expect(rec.calls).toHaveLength(1);
    clock.set(T0 + HOUR);
    const second = await runWorkflow(runtime, 'default', { executor: rec.executor });
    // the two deferred accounts (and nothing else: no new signal arrived) are decided again
    expect(second).toMatchObject({ accounts: 2, executed: 1, deferred: 1 });
    clock.set(T0 + 2 * HOUR);
    const third = await runWorkflow(runtime, 'default', { executor: rec.executor });
    expect(third).toMatchObject({ accounts: 1, executed: 1, deferred: 0 });
    clock.set(T0 + 3 * HOUR);
    expect(await runWorkflow(runtime, 'default', { executor: rec.executor })).toMatchObject({ accounts: 0 });
    // three different accounts were treated, each once
    expect(new Set(rec.calls.map((c) => (c.input as { email: string }).email)).size).toBe(3);
    expect(rec.calls).toHaveLength(3);
    await runtime.close();
  });

  it('records an execution a shutdown stopped as interrupted and sends it again, unchanged, in the next run', async () => {
    const { runtime, clock } = await setup();
    const controller = new AbortController();
    const sent: unknown[] = [];
    // the vendor call is under way when the shutdown comes: it fails because the process stops
    const stopping = async (_c: string, _a: string, input: unknown) => {
      controller.abort();
      sent.push(input);
      return { ok: false, error: 'stopped before the vendor answered' };
    };
    const first = await runWorkflow(runtime, 'default', { executor: stopping, signal: controller.signal });
    expect(first).toMatchObject({ executed: 0, failed: 0, interrupted: 3 });
    const interrupted = await endRows(runtime, 'interrupted');
    expect(interrupted).toHaveLength(3);
    expect(await endRows(runtime, 'failed')).toHaveLength(0);

    clock.set(T0 + HOUR);
    const rec = recorder();
    const second = await runWorkflow(runtime, 'default', { executor: rec.executor });
    expect(second).toMatchObject({ retried: 3, executed: 3, accounts: 0 });
    // the same planned inputs: one that reached the vendor first is replayed by its idempotency key
    expect(rec.calls.map((c) => c.input)).toEqual(interrupted.map((r) => (JSON.parse(r.output!) as { input: unknown }).input));
    expect(rec.calls[0]!.input).toEqual(sent[0]);
    expect(await endRows(runtime, 'interrupted')).toHaveLength(0);
    expect((await endRows(runtime, 'executed')).map((r) => r.id).sort()).toEqual(interrupted.map((r) => r.id).sort());
    await runtime.close();
  });

  it('settles an execution left in progress or interrupted longer than the feature window as failed, never sending it', async () => {
    const { runtime, clock } = await setup();
    const controller = new AbortController();
    const stopping = async () => (controller.abort(), { ok: false, error: 'stopped' });
    expect(await runWorkflow(runtime, 'default', { executor: stopping, signal: controller.signal })).toMatchObject({ interrupted: 3 });
    // a crash between intent and effect leaves one in progress
    const [first] = await endRows(runtime, 'interrupted');
    await runtime.store.db.updateTable('decisions').set({ status: 'in_progress' }).where('id', '=', first!.id).execute();
    clock.set(T0 + 15 * DAY); // the default feature window is 14 days
    const rec = recorder();
    const later = await runWorkflow(runtime, 'default', { executor: rec.executor });
    expect(later.retried).toBe(0);
    expect(rec.calls).toHaveLength(0);
    expect(await endRows(runtime, 'interrupted')).toHaveLength(0);
    expect(await endRows(runtime, 'in_progress')).toHaveLength(0);
    const failed = await endRows(runtime, 'failed');
    expect(failed).toHaveLength(3);
    expect(failed[0]!.execution).toContain('older than featureWindowDays');
    await runtime.close();
  });

  it('runs sync, then identity resolution, then learning, then decisions: a cycle decides on what its own sync brought and learns from outcomes first', async () => {
    const { runtime, clock } = await setup({}, false);
    const order: string[] = [];
    const rec = recorder();
    seen.length = 0;
    const cycle = await runLoopCycle(runtime, {
      ingest: async (rt) => {
        order.push('ingest');
        await seed(rt);
        return { written: { accounts: 4 }, failures: [], ms: 0 };
      },
      executor: rec.executor,
      onStep: (step) => order.push(step),
    });
    expect(order).toEqual(['sync', 'ingest', 'resolve', 'learn', 'decide']);
    expect(cycle.runs.default).toMatchObject({ accounts: 4, executed: 3 });

    // an opportunity of a treated account arrives with the next sync: recorded, attributed, learned
    clock.set(T0 + 2 * DAY);
    const treated = (await endRows(runtime, 'executed'))[0]!.account_id!;
    const { system_id: systemId } = await runtime.store.db.selectFrom('external_ids').select('system_id').where('entity_id', '=', treated).executeTakeFirstOrThrow();
    const next = await runLoopCycle(runtime, {
      ingest: async (rt) => {
        await rt.store.applyBatch({ system: 'crm', entityType: 'opportunity', records: [{ systemId: 'O1', fields: { name: 'Deal', amount_micros: 5_000_000_000, is_closed: 0, is_won: 0 }, links: { account: systemId }, createdAt: T0 + DAY, updatedAt: T0 + DAY }], syncedAt: T0 + 2 * DAY });
        return { written: { opportunities: 1 }, failures: [], ms: 0 };
      },
      executor: rec.executor,
    });
    expect(next.learned.default).toMatchObject({ newOutcomes: 1, attributed: 1 });
    expect(next.learned.default!.updates.length).toBeGreaterThan(0);
    expect(seen.length).toBeGreaterThan(0);
    await runtime.close();
  });
});
