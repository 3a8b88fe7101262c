// Fixtures of the workflow engine's end-to-end tests: small inline models (an intent classifier
// whose update() records what it was taught), a CRM connector with one action, a config and a
// seeded store of four accounts.
import { join } from 'node:path';
import { z } from 'zod';
import { defineAction, defineConnector, defineModel, type Executor, type FeedbackExample, type RevloopConfigInput, type Runtime } from '@revloop/core';

export const DAY = 86_400_000;
export const T0 = Date.UTC(2024, 0, 10);
export const seen: FeedbackExample[][] = [];

export const models = defineModel({
  name: 'test-models',
  version: '1.0.0',
  config: z.object({ failFor: z.string().optional(), paidCostMicros: z.number().default(0) }).strict(),
  capabilities: [
    {
      capability: 'classify', task: 'intent', quality: 0.5, costMicros: 0,
      async invoke(ctx, input: { features: { accountId: string; counts: Record<string, number> } }) {
        if (input.features.accountId === (ctx.config as { failFor?: string }).failFor) throw new Error('model crashed');
        const hot = input.features.counts.demo_visit + input.features.counts.pricing_visit > 0;
        return { output: { label: hot ? 'high' : 'low', score: hot ? 0.9 : 0.1 } };
      },
      async update(_ctx, examples: FeedbackExample[]) {
        seen.push(examples);
        return { version: `v${seen.length}`, metrics: { examples: examples.length } };
      },
    },
    { capability: 'predict', task: 'content', quality: 0.5, costMicros: 0, async invoke() { return { output: { topic: 'security', variant: 'a' } }; } },
    {
      capability: 'generate', task: 'message', quality: 0.5, costMicros: 1000, maxCostMicros: 1000,
      async invoke(ctx: { config: unknown }, input: { attempt: number; features: { industry: string | null } }) {
        const paid = (ctx.config as { paidCostMicros: number }).paidCostMicros;
        return { output: { subject: 'Hi', body: input.attempt === 0 ? 'Guaranteed results!' : 'Results vary.', offer: input.features.industry === 'retail' }, costMicros: paid || 1000 };
      },
    } as never,
    {
      capability: 'evaluate', task: 'brand', quality: 0.9, costMicros: 0,
      async invoke(_ctx, input: { message: { body: string } }) {
        const bad = /guaranteed/i.test(input.message.body);
        return { output: { pass: !bad, reasons: bad ? ['banned claim: guaranteed'] : [] } };
      },
    },
    { capability: 'predict', task: 'channel-time', quality: 0.5, costMicros: 0, async invoke() { return { output: { channel: 'email', sendHour: 9, expectedReward: 0.1 } }; } },
  ],
});

export const crm = defineConnector({
  name: 'crm', version: '1.0.0', config: z.object({}).strict(), async check() { return { ok: true, message: 'ok' }; }, streams: [],
  actions: [defineAction({ name: 'enroll', input: z.object({ email: z.string(), topic: z.string(), hour: z.number() }).strict(), idempotencyKey: (i: { email: string }) => i.email, async run() { return {}; } })],
});

export function config(dir: string, extra: Partial<RevloopConfigInput> = {}, modelConfig: Record<string, unknown> = {}): RevloopConfigInput {
  return {
    store: { kind: 'sqlite', path: join(dir, 'r.db') },
    log: { level: 'silent' },
    connectors: { crm: { plugin: crm } },
    models: { m: { plugin: models, ...modelConfig } },
    approvals: { policies: [{ name: 'regulated', decisionClasses: ['regulated-industry'], expiresAfterHours: 48 }], regulatedIndustries: ['healthcare'] },
    workflows: {
      default: {
        steps: [
          { name: 'intent', capability: 'classify', task: 'intent', stopWhen: { label: 'low' } },
          { name: 'content', capability: 'predict', task: 'content' },
          { name: 'message', capability: 'generate', task: 'message' },
          { name: 'brand', capability: 'evaluate', task: 'brand', retryStep: 'message' },
          { name: 'channel', capability: 'predict', task: 'channel-time' },
          { name: 'approval', gate: 'approval' },
          { name: 'execute', execute: { email: { action: 'crm.enroll', input: { email: '{{contact.email}}', topic: '{{topic}}', hour: '{{sendHour}}' } } } },
        ],
      },
    },
    ...extra,
  };
}

export async function seed(runtime: Runtime) {
  const industries: Record<string, string> = { A1: 'fintech', A2: 'healthcare', A3: 'fintech', A4: 'retail' };
  await runtime.store.applyBatch({ system: 'crm', entityType: 'account', records: Object.entries(industries).map(([id, industry]) => ({ systemId: id, fields: { name: id, industry } })), syncedAt: T0 });
  await runtime.store.applyBatch({ system: 'crm', entityType: 'contact', records: ['A1', 'A2', 'A3', 'A4'].map((a) => ({ systemId: `C${a}`, fields: { email: `${a.toLowerCase()}@x.test`, persona: 'champion' }, links: { account: a } })), syncedAt: T0 });
  await runtime.store.applyBatch({
    system: 'crm', entityType: 'signal', syncedAt: T0,
    records: [
      { systemId: 's1', fields: { type: 'demo_visit', occurred_at: T0 - DAY }, links: { account: 'A1' } },
      { systemId: 's2', fields: { type: 'pricing_visit', occurred_at: T0 - DAY }, links: { account: 'A2' } },
      { systemId: 's3', fields: { type: 'page_view', occurred_at: T0 - DAY }, links: { account: 'A3' } },
      { systemId: 's4', fields: { type: 'demo_visit', occurred_at: T0 - DAY }, links: { account: 'A4' } },
    ],
  });
}

export function recorder(): { executor: Executor; calls: { connector: string; action: string; input: unknown }[] } {
  const calls: { connector: string; action: string; input: unknown }[] = [];
  return { calls, executor: async (connector, action, input) => (calls.push({ connector, action, input }), { ok: true }) };
}
