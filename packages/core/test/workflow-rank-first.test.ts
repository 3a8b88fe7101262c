// Rank first, then decide (src/workflow/rank-first.ts): with a per-run cap, every triggered account
// gets the steps its score reads, and only the best get the others, until the cap is filled. The
// decisions executed are those of deciding every account in full; the rest end deferred with one
// row each, and are decided again by a later run.
import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { createRuntime, defineAction, defineConnector, defineModel, parseConfig, runWorkflow, SimulatedClock, type RevloopConfigInput, type Runtime, type WorkflowInput } from '../src/index.js';
import { workflowSchema } from '../src/workflow/schema.js';
import { rankFirstPlan } from '../src/workflow/rank-first.js';
import { accountsToDecide } from '../src/workflow/triggers.js';

const DAY = 86_400_000;
const T0 = Date.UTC(2024, 0, 10);
/** each account's intent score: its rank (A6 best); the brand check fails A6's every message */
const SCORE: Record<string, number> = { A1: 0.1, A2: 0.2, A3: 0.3, A4: 0.4, A5: 0.5, A6: 0.6 };
const calls: Record<string, string[]> = {};
const called = (task: string, account: string) => (calls[task] ??= []).push(account);
const accountOf = (features: { accountId: string }) => features.accountId.replace(/^.*_/, '');

const models = defineModel({
  name: 'rank-models',
  version: '1.0.0',
  config: z.object({ intentCostMicros: z.number().default(0) }).strict(),
  capabilities: [
    {
      capability: 'classify', task: 'intent', quality: 0.5, costMicros: 0, maxCostMicros: 10,
      async invoke(ctx: { config: unknown }, input: { features: { accountId: string } }) {
        const a = input.features.accountId;
        called('intent', a);
        return { output: { label: 'high', score: SCORE[Object.keys(SCORE).find((k) => a.endsWith(k))!] ?? 0 }, costMicros: (ctx.config as { intentCostMicros: number }).intentCostMicros };
      },
    } as never,
    { capability: 'predict', task: 'content', quality: 0.5, costMicros: 0, async invoke(_ctx, input: { features: { accountId: string } }) { called('content', input.features.accountId); return { output: { topic: 'security', variant: 'a' } }; } },
    {
      capability: 'generate', task: 'message', quality: 0.5, costMicros: 0,
      async invoke(_ctx, input: { features: { accountId: string } }) {
        called('message', input.features.accountId);
        return { output: { subject: 'Hi', body: input.features.accountId.endsWith('A6') ? 'Guaranteed!' : 'Hello', offer: false } };
      },
    },
    {
      capability: 'evaluate', task: 'brand', quality: 0.5, costMicros: 0,
      async invoke(_ctx, input: { message: { body: string } }) {
        const bad = /guaranteed/i.test(input.message.body);
        return { output: { pass: !bad, reasons: bad ? ['banned claim'] : [] } };
      },
    },
    { capability: 'predict', task: 'channel-time', quality: 0.5, costMicros: 0, async invoke(_ctx, input: { features: { accountId: string } }) { called('channel', input.features.accountId); return { output: { channel: 'email', sendHour: 9, expectedReward: 0.1 } }; } },
  ],
});

const crm = defineConnector({
  name: 'crm', version: '1.0.0', config: z.object({}).strict(), async check() { return { ok: true, message: 'ok' }; }, streams: [],
  actions: [defineAction({ name: 'enroll', input: z.object({ email: z.string() }).strict(), idempotencyKey: (i: { email: string }) => i.email, async run() { return {}; } })],
});

const steps: WorkflowInput['steps'] = [
  { name: 'intent', capability: 'classify', task: 'intent' },
  { name: 'content', capability: 'predict', task: 'content' },
  { name: 'message', capability: 'generate', task: 'message' },
  { name: 'brand', capability: 'evaluate', task: 'brand', retryStep: 'message', maxRetries: 1 },
  { name: 'channel', capability: 'predict', task: 'channel-time' },
  { name: 'approval', gate: 'approval' },
  { name: 'execute', execute: { email: { action: 'crm.enroll', input: { email: '{{contact.email}}' } } } },
];

let dir: string | undefined;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
  for (const k of Object.keys(calls)) delete calls[k];
});

async function setup(workflow: Partial<WorkflowInput>, modelConfig: Record<string, unknown> = {}): Promise<{ runtime: Runtime; clock: SimulatedClock }> {
  dir = mkdtempSync(join(tmpdir(), 'revloop-rank-first-'));
  const config: RevloopConfigInput = {
    store: { kind: 'sqlite', path: join(dir, 'r.db') },
    log: { level: 'silent' },
    connectors: { crm: { plugin: crm } },
    models: { m: { plugin: models, ...modelConfig } },
    approvals: { policies: [], regulatedIndustries: [] },
    workflows: { default: { steps, ...workflow } },
  };
  const clock = new SimulatedClock(T0);
  const runtime = await createRuntime(parseConfig(config, { env: {} }), { clock });
  await runtime.store.migrate();
  const ids = Object.keys(SCORE);
  await runtime.store.applyBatch({ system: 'crm', entityType: 'account', records: ids.map((id) => ({ systemId: id, fields: { name: id, industry: 'fintech' } })), syncedAt: T0 });
  await runtime.store.applyBatch({ system: 'crm', entityType: 'contact', records: ids.map((a) => ({ systemId: `C${a}`, fields: { email: `${a.toLowerCase()}@x.test`, persona: 'champion' }, links: { account: a } })), syncedAt: T0 });
  await runtime.store.applyBatch({ system: 'crm', entityType: 'signal', syncedAt: T0, records: ids.map((a) => ({ systemId: `s${a}`, fields: { type: 'demo_visit', occurred_at: T0 - DAY }, links: { account: a } })) });
  return { runtime, clock };
}

async function endRows(runtime: Runtime) {
  return runtime.store.db.selectFrom('decisions').select(['account_id', 'step', 'status', 'features', 'input_hash']).where('status', '<>', 'decided').orderBy('account_id').execute();
}

describe('rank first, then decide', () => {
  it('splits the default workflow into the steps the ranking reads and the rest', () => {
    const plan = rankFirstPlan(workflowSchema.parse({ steps, maxExecutionsPerRun: 2 }))!;
    expect(plan.rank.map((s) => s.name)).toEqual(['intent', 'content', 'channel']);
    expect(plan.rest.map((s) => s.name)).toEqual(['message', 'brand', 'approval', 'execute']);
  });

  it('decides every account in full where ranking first could change a decision', () => {
    const parse = (s: unknown[], extra: Record<string, unknown> = { maxExecutionsPerRun: 2 }) => rankFirstPlan(workflowSchema.parse({ steps: s, ...extra }));
    // no cap: every ready decision executes, nothing to rank
    expect(parse(steps, {})).toBeUndefined();
    // a custom step reads every earlier output
    expect(parse([{ name: 'score', capability: 'predict', task: 'lead-score' }, ...steps])).toBeUndefined();
    // a ranking step that stops the decision after the brand check could have dropped it
    expect(parse(steps.map((s) => (s.name === 'channel' ? { ...s, stopWhen: { channel: 'email' } } : s)))).toBeUndefined();
    // the brand check sending the content step back
    expect(parse(steps.map((s) => (s.name === 'brand' ? { ...s, retryStep: 'content' } : s)))).toBeUndefined();
    // a stop on intent, the first step, stops before anything else either way
    expect(parse(steps.map((s) => (s.name === 'intent' ? { ...s, stopWhen: { label: 'low' } } : s)))).toBeDefined();
  });

  it('builds messages only for the best accounts until the cap is filled, and executes the same ones', async () => {
    const { runtime } = await setup({ maxExecutionsPerRun: 2 });
    const sent: unknown[] = [];
    const summary = await runWorkflow(runtime, 'default', { executor: async (_c, _a, input) => (sent.push(input), { ok: true }) });
    // A6 ranks first but its message fails the brand check: A5 and A4 execute, as when all six are decided in full
    expect(sent).toEqual([{ email: 'a5@x.test' }, { email: 'a4@x.test' }]);
    expect(summary).toMatchObject({ accounts: 6, executed: 2, dropped: 1, deferred: 3, failed: 0, skipped: 0 });
    // every account was ranked; only the three best got a message (A6 twice: its retry)
    expect(calls.intent).toHaveLength(6);
    expect(calls.channel).toHaveLength(6);
    expect(calls.message!.map((a) => a.slice(-2)).sort()).toEqual(['A4', 'A5', 'A6', 'A6']);
    const ends = await endRows(runtime);
    expect(ends.map((r) => `${r.account_id!.slice(-2)}:${r.status}`)).toEqual(['A1:deferred', 'A2:deferred', 'A3:deferred', 'A4:executed', 'A5:executed', 'A6:dropped']);
    // a deferred decision is one row: no step rows, no features, its input hash kept
    for (const a of ['A1', 'A2', 'A3']) {
      const rows = await runtime.store.db.selectFrom('decisions').select(['step', 'features', 'input_hash']).where('account_id', 'like', `%${a}`).execute();
      expect(rows).toEqual([{ step: 'execute', features: null, input_hash: expect.stringMatching(/^[0-9a-f]{16}$/) }]);
    }
    // a decision in full keeps every step, the first with the features
    const full = await runtime.store.db.selectFrom('decisions').select(['step', 'features']).where('account_id', 'like', '%A5').orderBy('step').execute();
    expect(full.map((r) => r.step)).toEqual(['brand', 'channel', 'content', 'execute', 'intent', 'message']);
    expect(full.find((r) => r.step === 'intent')!.features).toContain('"accountId"');
    await runtime.close();
  });

  it('keeps the ranking steps of a deferred decision when they cost something (the ledger names them)', async () => {
    const { runtime } = await setup({ maxExecutionsPerRun: 1 }, { intentCostMicros: 5 });
    await runWorkflow(runtime, 'default', { executor: async () => ({ ok: true }) });
    const a1 = await runtime.store.db.selectFrom('decisions').select(['id', 'step', 'cost_micros']).where('account_id', 'like', '%A1').orderBy('step').execute();
    expect(a1.map((r) => r.step)).toEqual(['channel', 'content', 'execute', 'intent']);
    const ledger = await runtime.store.db.selectFrom('cost_ledger').select('decision_id').where('kind', '=', 'settle').execute();
    const ids = new Set((await runtime.store.db.selectFrom('decisions').select('id').execute()).map((r) => r.id));
    expect(ledger.length).toBeGreaterThan(0);
    for (const l of ledger) expect(ids.has(l.decision_id!)).toBe(true);
    await runtime.close();
  });

  it('decides the deferred accounts again in the next run, and a retried run at the same time decides none twice', async () => {
    const { runtime, clock } = await setup({ maxExecutionsPerRun: 2, cooldownDays: 0 });
    const executor = async () => ({ ok: true });
    await runWorkflow(runtime, 'default', { executor });
    // a retried run at the same moment: nothing decided again
    expect(await runWorkflow(runtime, 'default', { executor, triggers: await accountsToDecideAgain(runtime, clock.now()) })).toMatchObject({ executed: 0, deferred: 0 });
    clock.set(T0 + 60_000);
    const again = await accountsToDecide(runtime.store, 'default', workflowSchema.parse({ steps, maxExecutionsPerRun: 2, cooldownDays: 0 }), clock.now());
    // the three deferred accounts come back; the executed and the dropped ones do not
    expect(again.map((t) => `${t.accountId.slice(-2)}:${t.reason}`)).toEqual(['A1:deferred', 'A2:deferred', 'A3:deferred']);
    expect(await runWorkflow(runtime, 'default', { executor })).toMatchObject({ accounts: 3, executed: 2, deferred: 1 });
    await runtime.close();
  });
});

/** the first run's triggers again (the same keys): what a retried run at the same time would decide */
async function accountsToDecideAgain(runtime: Runtime, now: number) {
  const rows = await runtime.store.db.selectFrom('decisions').select(['account_id', 'idempotency_key']).where('status', '<>', 'decided').execute();
  return rows.map((r) => ({ accountId: r.account_id!, at: Number(r.idempotency_key.split(':')[1]), reason: 'signals' as const })).filter((t) => t.at <= now);
}
