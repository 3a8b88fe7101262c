// The workflow engine end to end over a real SQLite store, with small inline models and a
// recording executor (the connectors' own actions are tested in their packages).
import { afterEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { z } from 'zod';
import {
  createRuntime, decideApproval, learnFromOutcomes, listApprovals, parseConfig, runWorkflow,
  SimulatedClock, expireApprovals, type RevloopConfigInput,
} from '@revloop/core';
import { tempDir } from './helpers.js';
import { DAY, T0, config, recorder, seed, seen } from './workflow-fixtures.js';
import { decisionEndRows } from '@revloop/store';
import { sql } from 'kysely';

let dir: ReturnType<typeof tempDir>;
afterEach(() => dir?.cleanup());

async function setup(extra: Partial<RevloopConfigInput> = {}, modelConfig: Record<string, unknown> = {}) {
  dir = tempDir();
  const clock = new SimulatedClock(T0);
  const runtime = await createRuntime(parseConfig(config(dir.path, extra, modelConfig), { env: {} }), { clock });
  await runtime.store.migrate();
  await seed(runtime);
  return { runtime, clock };
}

describe('workflow engine', () => {
  it('decides triggered accounts step by step, regenerates failed content, gates regulated ones, executes the rest', async () => {
    const { runtime } = await setup();
    const rec = recorder();
    const summary = await runWorkflow(runtime, 'default', { executor: rec.executor });
    expect(summary).toMatchObject({ accounts: 4, executed: 2, noAction: 1, pendingApproval: 1, failed: 0 });
    expect(rec.calls.map((c) => c.input)).toEqual([
      { email: 'a1@x.test', topic: 'security', hour: 9 },
      { email: 'a4@x.test', topic: 'security', hour: 9 },
    ]);
    const steps = await runtime.store.db.selectFrom('decisions').select(['step', 'status', 'model', 'cost_micros']).where('account_id', 'like', '%A1').orderBy('step').execute();
    expect(steps.map((s) => s.step)).toEqual(['brand', 'brand#1', 'channel', 'content', 'execute', 'intent', 'message', 'message#1']);
    expect(steps.find((s) => s.step === 'execute')!.status).toBe('executed');
    // the recorded features name contacts by id and persona; emails stay in the contacts table
    const recorded = await runtime.store.db.selectFrom('decisions').select('features').where('account_id', 'like', '%A1').where('step', '=', 'intent').executeTakeFirstOrThrow();
    expect(recorded.features).not.toContain('a1@x.test');
    expect(JSON.parse(recorded.features!).contacts).toEqual([{ id: expect.stringContaining('CA1'), email: null, persona: 'champion', title: null }]);
    const ledger = await runtime.store.db.selectFrom('cost_ledger').select(['kind', 'cost_micros', 'step']).where('kind', '=', 'settle').execute();
    expect(ledger.reduce((a, r) => a + Number(r.cost_micros), 0)).toBe(summary.costMicros);
    await runtime.close();
  });

  it('executes at most maxExecutionsPerRun decisions, the most promising first, and defers the rest', async () => {
    dir = tempDir();
    const base = config(dir.path);
    const wf = (base.workflows as Record<string, { steps: unknown[] }>).default!;
    const runtime = await createRuntime(parseConfig({ ...base, workflows: { default: { ...wf, maxExecutionsPerRun: 1 } } } as RevloopConfigInput, { env: {} }), { clock: new SimulatedClock(T0) });
    await runtime.store.migrate();
    await seed(runtime);
    const rec = recorder();
    const summary = await runWorkflow(runtime, 'default', { executor: rec.executor });
    // three decisions passed every step (one of them needs approval: it competes for the budget too)
    expect(summary).toMatchObject({ executed: 1, deferred: 2, pendingApproval: 0 });
    expect(rec.calls).toHaveLength(1);
    const deferred = await runtime.store.db.selectFrom('decisions').select(['status', 'output']).where('status', '=', 'deferred').execute();
    expect(deferred).toHaveLength(2);
    // a deferred decision keeps where and when it would have run; its message is never built
    for (const d of deferred) expect(Object.keys(JSON.parse(d.output!)).sort()).toEqual(['action', 'channel', 'connector', 'sendAt']);
    await runtime.close();
  });

  it('ranks by expected value: a response to open pipeline is worth that pipeline', async () => {
    const executedFor = async (rankBy: 'expected-value' | 'intent') => {
      dir = tempDir();
      const base = config(dir.path);
      const wf = (base.workflows as Record<string, { steps: unknown[] }>).default!;
      const runtime = await createRuntime(parseConfig({ ...base, workflows: { default: { ...wf, maxExecutionsPerRun: 1, rankBy } } } as RevloopConfigInput, { env: {} }), { clock: new SimulatedClock(T0) });
      await runtime.store.migrate();
      await seed(runtime);
      // A4 has an open $80k deal; A1 lost a $10k one (history for the typical deal size)
      await runtime.store.applyBatch({
        system: 'crm', entityType: 'opportunity', syncedAt: T0,
        records: [
          { systemId: 'O4', fields: { name: 'Open', amount_micros: 80_000_000_000, is_closed: 0, is_won: 0 }, links: { account: 'A4' }, createdAt: T0 - 20 * DAY, updatedAt: T0 - 20 * DAY },
          { systemId: 'O1', fields: { name: 'Lost', amount_micros: 10_000_000_000, is_closed: 1, is_won: 0 }, links: { account: 'A1' }, createdAt: T0 - 60 * DAY, updatedAt: T0 - 40 * DAY },
        ],
      });
      const rec = recorder();
      await runWorkflow(runtime, 'default', { executor: rec.executor });
      await runtime.close();
      dir.cleanup();
      return rec.calls.map((c) => (c.input as { email: string }).email);
    };
    // intent × response chance ties A1, A2, A4 (0.9 × 0.1): the account id breaks it
    expect(await executedFor('intent')).toEqual(['a1@x.test']);
    // expected value: A4's open $80k beats a typical $45k deal × 0.9 intent
    expect(await executedFor('expected-value')).toEqual(['a4@x.test']);
  });

  it('every account decision ends in exactly one end row, and the account queries read only those', async () => {
    const { runtime } = await setup();
    await runWorkflow(runtime, 'default', { executor: recorder().executor });
    const rows = await runtime.store.db.selectFrom('decisions').select(['account_id', 'status']).execute();
    const ends = new Map<string, string[]>();
    for (const r of rows) if (r.status !== 'decided') ends.set(r.account_id!, [...(ends.get(r.account_id!) ?? []), r.status]);
    // A3's low intent stops it (no_action); A2 waits for approval; A1 and A4 executed
    expect(Object.fromEntries([...ends].map(([a, s]) => [a.slice(-2), s]))).toEqual({ A1: ['executed'], A2: ['pending_approval'], A3: ['no_action'], A4: ['executed'] });
    // the partial index is used only when a query states its condition literally (decisionEndRows)
    const plan = await sql<{ detail: string }>`explain query plan select account_id, max(created_at) from decisions where account_id in ('a', 'b') and workflow = 'default' and ${decisionEndRows} and created_at > 0 group by account_id`.execute(runtime.store.db);
    expect(plan.rows.map((r) => r.detail).join(' ')).toContain('decisions_account_end');
    const feedbackPlan = await sql<{ detail: string }>`explain query plan select id from decisions where workflow = 'default' and ${decisionEndRows} and status = 'executed' and created_at > 0`.execute(runtime.store.db);
    expect(feedbackPlan.rows.map((r) => r.detail).join(' ')).toContain('decisions_workflow_end');
    await runtime.close();
  });

  it('never decides the same trigger twice', async () => {
    const { runtime } = await setup();
    const rec = recorder();
    await runWorkflow(runtime, 'default', { executor: rec.executor });
    const again = await runWorkflow(runtime, 'default', { executor: rec.executor });
    expect(again.accounts).toBe(0);
    expect(rec.calls).toHaveLength(2);
    await runtime.close();
  });

  it('a decision that needs approval executes only when approved; a rejected or expired one never', async () => {
    const { runtime, clock } = await setup();
    const rec = recorder();
    await runWorkflow(runtime, 'default', { executor: rec.executor });
    const [pending] = await listApprovals(runtime, 'pending');
    expect(pending).toMatchObject({ decisionClass: 'regulated-industry', state: 'pending' });
    expect(rec.calls).toHaveLength(2);
    await expect(decideApproval(runtime, pending!.id, 'approve', '', 'ok', rec.executor)).rejects.toMatchObject({ code: 'APPROVAL_WHO_MISSING' });
    const approved = await decideApproval(runtime, pending!.id, 'approve', 'dana@revops', 'reviewed copy', rec.executor);
    expect(approved).toMatchObject({ state: 'approved', decidedBy: 'dana@revops', reason: 'reviewed copy' });
    expect(rec.calls).toHaveLength(3);
    expect(rec.calls[2]!.input).toMatchObject({ email: 'a2@x.test' });
    await expect(decideApproval(runtime, pending!.id, 'reject', 'x', 'y', rec.executor)).rejects.toMatchObject({ code: 'APPROVAL_NOT_PENDING' });

    // a new signal for A2, decided again: this time it expires
    await runtime.store.applyBatch({ system: 'crm', entityType: 'signal', records: [{ systemId: 's9', fields: { type: 'demo_visit', occurred_at: T0 + 8 * DAY }, links: { account: 'A2' } }], syncedAt: T0 });
    clock.set(T0 + 8 * DAY + 1);
    await runWorkflow(runtime, 'default', { executor: rec.executor });
    clock.advance(49 * 3_600_000);
    expect(await expireApprovals(runtime)).toBe(1);
    expect((await listApprovals(runtime, 'expired')).length).toBe(1);
    expect(rec.calls).toHaveLength(3);
    await runtime.close();
  });

  it('a model that fails for one account fails only that account', async () => {
    const { runtime } = await setup({}, { failFor: 'acct_crm_A1' });
    const rec = recorder();
    const summary = await runWorkflow(runtime, 'default', { executor: rec.executor });
    expect(summary).toMatchObject({ failed: 1, executed: 1, pendingApproval: 1 });
    expect(summary.errors[0]).toMatchObject({ accountId: 'acct_crm_A1', step: 'intent', error: 'model crashed' });
    await runtime.close();
  });

  it('budgets are never overshot: calls that do not fit are refused before they happen', async () => {
    const { runtime } = await setup({ budgets: [{ name: 'genai', scope: 'total', limitUsd: 0.003, period: 'month' }] }, { paidCostMicros: 1000 });
    const rec = recorder();
    const summary = await runWorkflow(runtime, 'default', { executor: rec.executor });
    const spent = await runtime.store.db.selectFrom('cost_ledger').select((eb) => eb.fn.sum<number>('cost_micros').as('s')).where('kind', '=', 'settle').executeTakeFirstOrThrow();
    expect(Number(spent.s)).toBeLessThanOrEqual(3000);
    expect(summary.byClass['budget-exhausted']).toBeGreaterThan(0);
    await runtime.close();
  });

  it('learns from outcomes joined to the decisions within the attribution window', async () => {
    const { runtime, clock } = await setup();
    await runWorkflow(runtime, 'default', { executor: recorder().executor });
    clock.advance(5 * DAY);
    await runtime.store.applyBatch({ system: 'crm', entityType: 'opportunity', records: [{ systemId: 'O1', fields: { name: 'Deal', amount_micros: 50_000_000_000, is_closed: 1, is_won: 1 }, links: { account: 'A1' }, createdAt: T0 + 2 * DAY, updatedAt: T0 + 4 * DAY }], syncedAt: clock.now() });
    // A4's contact clicked the email the day after (the channel chosen was email)
    await runtime.store.applyBatch({ system: 'crm', entityType: 'signal', records: [{ systemId: 'click-1', fields: { type: 'email_click', occurred_at: T0 + DAY }, links: { account: 'A4', contact: 'CA4' } }], syncedAt: clock.now() });
    seen.length = 0;
    const learned = await learnFromOutcomes(runtime, 'default');
    // one outcome example, and one engagement example per executed decision
    expect(learned).toMatchObject({ newOutcomes: 2, attributed: 2, examples: 3 });
    expect(seen[0]![0]).toMatchObject({ accountId: 'acct_crm_A1', reward: 1, outcome: 'opportunity_created' });
    expect(seen[0]!.slice(1).map((e) => [e.accountId, e.reward, e.outcome])).toEqual([['acct_crm_A1', 0, 'not_engaged'], ['acct_crm_A4', 1, 'engaged']]);
    expect(seen[0]![0]!.outputs.intent).toMatchObject({ label: 'high' });
    const versions = await runtime.store.db.selectFrom('model_versions').selectAll().execute();
    expect(versions).toMatchObject([{ model: 'm', version: 'v1', active: 1 }]);
    expect((await learnFromOutcomes(runtime, 'default')).newOutcomes).toBe(0);
    await runtime.close();
  });

  it('an engagement example carries the other observable channels\' answer signals of the same window as background', async () => {
    const { runtime, clock } = await setup();
    await runWorkflow(runtime, 'default', { executor: recorder().executor });
    clock.advance(5 * DAY);
    // both decisions went to email; A4 clicked it, and A1's contact clicked a LinkedIn ad anyway
    await runtime.store.applyBatch({ system: 'crm', entityType: 'signal', records: [
      { systemId: 'click-1', fields: { type: 'email_click', occurred_at: T0 + DAY }, links: { account: 'A4', contact: 'CA4' } },
      { systemId: 'ad-1', fields: { type: 'ad_click', channel: 'linkedin', occurred_at: T0 + DAY }, links: { account: 'A1', contact: 'CA1' } },
    ], syncedAt: clock.now() });
    seen.length = 0;
    await learnFromOutcomes(runtime, 'default');
    const engagement = seen[0]!.filter((e) => e.outcome === 'engaged' || e.outcome === 'not_engaged');
    expect(engagement.map((e) => [e.accountId, e.outcome, e.background])).toEqual([
      ['acct_crm_A1', 'not_engaged', { linkedin: 1 }],
      ['acct_crm_A4', 'engaged', { linkedin: 0 }],
    ]);
    await runtime.close();
  });

  it('silence teaches only on a channel whose answers reach the store person by person', async () => {
    const { runtime, clock } = await setup();
    await runWorkflow(runtime, 'default', { executor: recorder().executor });
    clock.advance(5 * DAY);
    // no email click of any contact has been stored: an unanswered email is no evidence (the
    // deployment may not see clicks per person), so no not_engaged example is made
    seen.length = 0;
    const quiet = await learnFromOutcomes(runtime, 'default');
    expect(quiet.examples).toBe(0);
    // with a click stored, the same silence is evidence: the test above ('learns from outcomes …')
    await runtime.close();
  });

  it('a re-decided account carries its treatments in the window and how long ago the last one ran', async () => {
    const { runtime, clock } = await setup();
    await runWorkflow(runtime, 'default', { executor: recorder().executor });
    clock.advance(8 * DAY); // past the default cooldown (7 days), within the feature window (14)
    await runtime.store.applyBatch({ system: 'crm', entityType: 'signal', records: [{ systemId: 's5', fields: { type: 'demo_visit', occurred_at: clock.now() - 3_600_000 }, links: { account: 'A1' } }], syncedAt: clock.now() });
    await runWorkflow(runtime, 'default', { executor: recorder().executor });
    const rows = await runtime.store.db.selectFrom('decisions').select(['features', 'created_at']).where('account_id', 'like', '%A1').where('step', '=', 'intent').orderBy('created_at').execute();
    expect(rows).toHaveLength(2);
    const [first, second] = rows.map((r) => JSON.parse(r.features!));
    expect(first.recentTreatments.email).toBe(0);
    expect(first.daysSinceLastTreatment).toBeUndefined();
    expect(second.recentTreatments.email).toBe(1);
    expect(second.daysSinceLastTreatment).toBeCloseTo(8, 5);
    await runtime.close();
  });

  it('refuses invalid workflows at load with the config path', async () => {
    dir = tempDir();
    const bad = (steps: unknown[]) => createRuntime(parseConfig({ ...config(dir.path), workflows: { w: { steps } } } as RevloopConfigInput, { env: {} }));
    await expect(bad([{ name: 'message', capability: 'generate', task: 'message' }])).rejects.toMatchObject({ code: 'WORKFLOW_INVALID', where: 'workflows.w.steps.0', message: expect.stringContaining('"content"') });
    await expect(bad([{ name: 'x', capability: 'classify', task: 'sentiment' }])).rejects.toMatchObject({ code: 'WORKFLOW_INVALID', message: expect.stringContaining('classify/sentiment') });
    await expect(
      bad([
        { name: 'intent', capability: 'classify', task: 'intent' },
        { name: 'content', capability: 'predict', task: 'content' },
        { name: 'channel', capability: 'predict', task: 'channel-time' },
        { name: 'go', execute: { email: { action: 'salesforce.create-task' } } },
      ]),
    ).rejects.toMatchObject({ where: 'workflows.w.steps.3.execute.email.action', message: expect.stringContaining('"salesforce" is not enabled') });
    expect(() => parseConfig({ workflows: { w: { steps: [{ name: 'x', capability: 'divine', task: 'y' }] } } }, { env: {} })).toThrow(/workflows\.w\.steps\.0/);
  });
});
