import { describe, expect, it } from 'vitest';
import type { AccountFeatures, IntentOutput, ModelUpdate } from '@revloop/core';
import { IntentModel, evaluateIntent, localModelsConfigSchema } from '../src/index.js';
import { localRuntime, tempDir } from './helpers.js';
import { syntheticAccounts, syntheticFeedback } from './synthetic.js';

const base = syntheticAccounts(1, 7)[0]!.features;
const quiet = (): AccountFeatures => ({ ...base, counts: Object.fromEntries(Object.keys(base.counts).map((k) => [k, 0])) as AccountFeatures['counts'], topics: {}, daysSinceLastSignal: Number.POSITIVE_INFINITY, hasOpenOpportunity: false });
const withCounts = (c: Partial<AccountFeatures['counts']>): AccountFeatures => ({ ...quiet(), counts: { ...quiet().counts, ...c }, daysSinceLastSignal: 1 });
const options = localModelsConfigSchema.parse({}).intent;

describe('classify/intent prior', () => {
  it('scores demo, pricing and form-fill accounts above quiet and browsing ones', () => {
    const m = new IntentModel(options);
    const q = m.predict(quiet());
    const browse = m.predict(withCounts({ page_view: 1 }));
    const demo = m.predict(withCounts({ demo_visit: 1 }));
    const pricing = m.predict(withCounts({ pricing_visit: 2 }));
    const form = m.predict(withCounts({ form_fill: 1 }));
    expect(q.label).toBe('low');
    expect(browse.label).toBe('low');
    for (const hot of [demo, pricing, form]) {
      expect(hot.label).toBe('high');
      expect(hot.score).toBeGreaterThan(browse.score);
    }
    expect(browse.score).toBeGreaterThan(q.score);
  });

  it('uses an absolute threshold when one is configured', () => {
    const m = new IntentModel({ ...options, threshold: 0.99 });
    expect(m.predict(withCounts({ demo_visit: 3, form_fill: 2 })).label).toBe('low');
  });
});

describe('classify/intent learning', () => {
  it('lowers held-out log loss and raises AUC after SGD on feedback', () => {
    const m = new IntentModel(options);
    const heldOut = syntheticFeedback(syntheticAccounts(2000, 99), 99);
    const before = evaluateIntent(m, heldOut);
    for (let day = 0; day < 10; day++) m.train(syntheticFeedback(syntheticAccounts(300, 100 + day), 500 + day));
    const after = evaluateIntent(m, heldOut);
    expect(after.logLoss).toBeLessThan(before.logLoss * 0.9);
    expect(after.auc!).toBeGreaterThan(before.auc! + 0.02);
    expect(m.updates).toBe(10);
  });

  it('reports progressive metrics and a versioned update through the plugin, once per decision', async () => {
    const dir = tempDir();
    try {
      const { ctx, cap, runtime } = await localRuntime(dir.path);
      const batch = syntheticFeedback(syntheticAccounts(200, 3), 3);
      const u = (await cap('intent').update!(ctx, batch)) as ModelUpdate;
      expect(u.version).toBe('intent-lr@1');
      expect(u.metrics.examples).toBe(200);
      expect(u.metrics.logLoss).toBeGreaterThan(0);
      expect(u.metrics.auc).toBeGreaterThan(0.5);
      // the same decisions again (e.g. closed-won after opportunity-created) teach nothing new
      expect(await cap('intent').update!(ctx, batch)).toBeUndefined();
      await runtime.close();
    } finally {
      dir.cleanup();
    }
  });
});

describe('classify/intent persistence', () => {
  it('a new process restores the learned weights from ctx.state and continues the version', async () => {
    const dir = tempDir();
    try {
      const probe = syntheticAccounts(20, 11).map((a) => a.features);
      const first = await localRuntime(dir.path);
      const fresh = await Promise.all(probe.map(async (f) => ((await first.cap('intent').invoke(first.ctx, { features: f })).output as IntentOutput).score));
      await first.cap('intent').update!(first.ctx, syntheticFeedback(syntheticAccounts(500, 12), 12));
      const learned = await Promise.all(probe.map(async (f) => ((await first.cap('intent').invoke(first.ctx, { features: f })).output as IntentOutput).score));
      expect(learned).not.toEqual(fresh);
      await first.runtime.close();

      const second = await localRuntime(dir.path);
      const r = await second.cap('intent').invoke(second.ctx, { features: probe[0]! });
      expect(r.modelVersion).toBe('intent-lr@1');
      const restored = await Promise.all(probe.map(async (f) => ((await second.cap('intent').invoke(second.ctx, { features: f })).output as IntentOutput).score));
      expect(restored).toEqual(learned);
      const u = (await second.cap('intent').update!(second.ctx, syntheticFeedback(syntheticAccounts(100, 13), 13))) as ModelUpdate;
      expect(u.version).toBe('intent-lr@2');
      expect(u.metrics.examples).toBe(600);
      await second.runtime.close();
    } finally {
      dir.cleanup();
    }
  });
});

describe('classify/intent over registered signal kinds', () => {
  const withCategory = (event: number): AccountFeatures => ({ ...withCounts({ page_view: 1 }), categoryCounts: { web: 0, content: 0, event, email: 0, ad: 0, sales: 0 }, otherCounts: { webinar_attended: event } });

  it('a kind registered as an event raises the score through its category', () => {
    const m = new IntentModel(options);
    expect(m.score(withCategory(2))).toBeGreaterThan(m.score(withCategory(0)));
  });

  it('learns the category weight from feedback: webinar accounts that never convert lose their lift', () => {
    const m = new IntentModel(options);
    const before = m.score(withCategory(3)) - m.score(withCategory(0));
    const cold = (i: number) => ({ decisionId: `d${i}`, accountId: `a${i}`, features: withCategory(3), outputs: {}, reward: 0, valueMicros: 0, outcome: 'none' as const });
    for (let day = 0; day < 5; day++) m.train(Array.from({ length: 200 }, (_, i) => cold(day * 200 + i)));
    const after = m.score(withCategory(3)) - m.score(withCategory(0));
    expect(after).toBeLessThan(before);
  });
});
