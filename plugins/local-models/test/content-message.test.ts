import { describe, expect, it } from 'vitest';
import type { ContentOutput, FeedbackExample, IntentOutput, MessageInput } from '@revloop/core';
import { ContentModel, composeMessage, localModelsConfigSchema } from '../src/index.js';
import { Rng } from '../src/random.js';
import { localRuntime, tempDir } from './helpers.js';
import { syntheticAccounts } from './synthetic.js';

const config = localModelsConfigSchema.parse({});
const f = syntheticAccounts(1, 21)[0]!.features;
const intent: IntentOutput = { label: 'high', score: 0.4 };
const example = (i: number, out: ContentOutput, reward: number): FeedbackExample => ({ decisionId: `d${i}`, accountId: f.accountId, features: f, outputs: { content: out }, reward, valueMicros: 0, outcome: reward ? 'engaged' : 'not_engaged' });

describe('predict/content', () => {
  it('recommends the topic the account consumed most', () => {
    const m = new ContentModel(config);
    const rng = new Rng();
    let hits = 0;
    for (let i = 0; i < 100; i++) if (m.choose({ features: { ...f, topics: { pipeline: 9, security: 1 } }, intent }, rng.reseed(i)).topic === 'pipeline') hits++;
    expect(hits).toBeGreaterThan(90);
  });

  it('moves to the runner-up topic when the favourite keeps failing, and learns the better variant', () => {
    const m = new ContentModel(config);
    const ex: FeedbackExample[] = [];
    for (let i = 0; i < 200; i++) ex.push(example(i, { topic: 'pipeline', variant: 'a' }, 0));
    for (let i = 200; i < 300; i++) ex.push(example(i, { topic: 'security', variant: 'b' }, i % 3 === 0 ? 1 : 0));
    m.learn(ex);
    const rng = new Rng();
    let security = 0;
    let b = 0;
    for (let i = 0; i < 100; i++) {
      const out = m.choose({ features: { ...f, topics: { pipeline: 3, security: 2 } }, intent }, rng.reseed(i));
      if (out.topic === 'security') security++;
      if (out.variant === 'b') b++;
    }
    expect(security).toBeGreaterThan(80);
    expect(b).toBeGreaterThan(80);
  });

  it('falls back to the best learned topic, then to defaultTopic, for accounts with no topic signal', () => {
    const m = new ContentModel(config);
    expect(m.choose({ features: { ...f, topics: {} }, intent }, new Rng().reseed(1)).topic).toBe('product');
    m.learn([example(1, { topic: 'forecasting', variant: 'a' }, 1)]);
    expect(m.choose({ features: { ...f, topics: {} }, intent }, new Rng().reseed(1)).topic).toBe('forecasting');
  });

  it('persists through ctx.state', async () => {
    const dir = tempDir();
    try {
      const first = await localRuntime(dir.path, { variants: ['a', 'b'] });
      const u = await first.cap('content').update!(first.ctx, [example(1, { topic: 'x', variant: 'b' }, 1), example(2, { topic: 'x', variant: 'a' }, 0)]);
      expect(u).toMatchObject({ version: 'content-ts@1', metrics: { examples: 2 } });
      await first.runtime.close();
      const second = await localRuntime(dir.path, { variants: ['a', 'b'] });
      const r = await second.cap('content').invoke(second.ctx, { features: f, intent });
      expect(r.modelVersion).toBe('content-ts@1');
      await second.runtime.close();
    } finally {
      dir.cleanup();
    }
  });
});

const input = (persona: string, over: Partial<MessageInput> = {}): MessageInput => ({ features: f, contact: { id: 'c', email: 'a@b.c', persona, title: null }, topic: 'data-quality', variant: 'a', attempt: 0, ...over });

describe('generate/message', () => {
  it('writes persona-specific copy that names the topic', () => {
    const texts = Object.fromEntries(['economic_buyer', 'champion', 'technical_evaluator', 'end_user'].map((p) => [p, composeMessage(input(p), ['discount'])]));
    expect(texts.economic_buyer!.body).toMatch(/ROI|return/);
    expect(texts.champion!.body).toMatch(/enablement/i);
    expect(texts.technical_evaluator!.body).toMatch(/integration/i);
    expect(texts.technical_evaluator!.body).toMatch(/security/i);
    expect(texts.end_user!.subject).toMatch(/easier/i);
    for (const m of Object.values(texts)) {
      expect(`${m.subject} ${m.body}`).toMatch(/data quality/i);
      expect(m.offer).toBe(false);
    }
    expect(new Set(Object.values(texts).map((m) => m.body)).size).toBe(4);
  });

  it('carries an offer only for offer variants', () => {
    expect(composeMessage(input('champion', { variant: 'discount' }), ['discount']).offer).toBe(true);
    expect(composeMessage(input('champion', { variant: 'discount' }), ['discount']).body).toMatch(/20% off/);
    expect(composeMessage(input('champion', { variant: 'b' }), ['discount']).offer).toBe(false);
  });

  it('turns conservative on a retry and adds the disclaimer the brand check asked for', () => {
    const bold = composeMessage(input('economic_buyer', { variant: 'b' }), []);
    expect(bold.body).toMatch(/guaranteed/);
    const retry = composeMessage(input('economic_buyer', { variant: 'b', attempt: 1, feedback: ['banned-claim: "guaranteed" in body', 'required-disclaimer: missing "Not investment advice." (industry fintech)'] }), []);
    expect(retry.body).not.toMatch(/guaranteed/);
    expect(retry.body).toContain('Not investment advice.');
    const standard = composeMessage(input('economic_buyer'), []);
    const plainRetry = composeMessage(input('economic_buyer', { attempt: 1 }), []);
    expect(plainRetry.body.length).toBeLessThan(standard.body.length);
  });

  it('is free and versioned through the plugin', async () => {
    const dir = tempDir();
    try {
      const { ctx, cap, runtime } = await localRuntime(dir.path);
      const r = await cap('message').invoke(ctx, input('champion'));
      expect(r).toMatchObject({ costMicros: 0, modelVersion: 'message-templates@1' });
      await runtime.close();
    } finally {
      dir.cleanup();
    }
  });
});
