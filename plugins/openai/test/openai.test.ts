import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { candidates, route, type IntentOutput, type MessageOutput } from '@revloop/core';
import { startOpenAIEmulator, type OpenAIEmulator } from '@revloop/sandbox';
import { syntheticAccounts } from '../../local-models/test/synthetic.js';
import { connectionSchema, defineOpenAIModels, openaiModels } from '../src/index.js';
import { openaiRuntime, simModels } from './helpers.js';

const accounts = syntheticAccounts(200, 77);
// ground truth for the emulator: a label per account and a difficulty spread over [0, 1]
const truth = new Map(accounts.map((a, i) => [a.features.accountId, { label: a.truth > 0.3 ? 'high' : 'low', difficulty: (i % 10) / 9 }]));

let emu: OpenAIEmulator;
beforeAll(async () => {
  emu = await startOpenAIEmulator({ seed: 5, labelOracle: (id) => truth.get(id) });
});
afterAll(async () => {
  await emu.stop();
});

describe('classify/intent through the OpenAI emulator', () => {
  it('sim-large is more accurate than sim-small over 200 accounts, and costs what the endpoint recorded', async () => {
    const rt = await openaiRuntime(`${emu.url}/v1`);
    try {
      const result: Record<string, { correct: number; cost: number; tokensIn: number }> = {};
      for (const model of ['sim-small', 'sim-large']) {
        const cap = rt.cap(model, 'intent');
        const r = (result[model] = { correct: 0, cost: 0, tokensIn: 0 });
        for (const a of accounts) {
          const out = await cap.invoke(rt.ctx, { features: a.features });
          const o = out.output as IntentOutput;
          expect(o.score).toBeGreaterThanOrEqual(0);
          expect(o.score).toBeLessThanOrEqual(1);
          if (o.label === truth.get(a.features.accountId)!.label) r.correct++;
          r.cost += out.costMicros!;
          r.tokensIn += out.usage!.tokensIn!;
        }
        const recorded = emu.state.usageOf(model);
        expect(recorded.calls).toBe(200);
        expect(r.tokensIn).toBe(recorded.promptTokens);
        // whole micros rounded up per call: at most 1 micro per call above the endpoint's figure
        expect(r.cost).toBeGreaterThanOrEqual(recorded.costUsd * 1e6 - 1e-6);
        expect(r.cost).toBeLessThanOrEqual(recorded.costUsd * 1e6 + 200);
      }
      const small = result['sim-small']!;
      const large = result['sim-large']!;
      expect(large.correct).toBeGreaterThan(small.correct + 10);
      expect(small.correct / 200).toBeGreaterThan(0.6);
      expect(large.cost).toBeGreaterThan(small.cost * 20);
      // expected cost per call (what the router sorts by) is in the right range of the actual mean
      expect(rt.cap('sim-small', 'intent').costMicros).toBeGreaterThan((small.cost / 200) * 0.5);
      expect(rt.cap('sim-small', 'intent').costMicros).toBeLessThan((small.cost / 200) * 2);
      // the reservation bound covers every actual call
      expect((rt.cap('sim-large', 'intent') as unknown as { maxCostMicros: number }).maxCostMicros).toBeGreaterThan(large.cost / 200);
      process.stderr.write(`intent accuracy: sim-small ${small.correct}/200 (${small.cost} µ$), sim-large ${large.correct}/200 (${large.cost} µ$)\n`);
    } finally {
      await rt.close();
    }
  });

  it('the router picks the cheapest model good enough for the step', async () => {
    const rt = await openaiRuntime(`${emu.url}/v1`);
    try {
      expect(candidates(rt.runtime.registry, 'classify', 'intent', 0).map((c) => (c.capability as unknown as { model: string }).model)).toEqual(['sim-small', 'sim-large']);
      expect((route(rt.runtime.registry, 'classify', 'intent', 0.5, 'test').capability as unknown as { model: string }).model).toBe('sim-small');
      expect((route(rt.runtime.registry, 'classify', 'intent', 0.8, 'test').capability as unknown as { model: string }).model).toBe('sim-large');
    } finally {
      await rt.close();
    }
  });
});

describe('generate/message through the OpenAI emulator', () => {
  it('returns subject, body and offer, with usage and cost', async () => {
    const rt = await openaiRuntime(`${emu.url}/v1`);
    try {
      const f = accounts[0]!.features;
      const contact = { id: 'c1', email: 'a@b.c', persona: 'technical_evaluator', title: null };
      const r = await rt.cap('sim-small', 'message').invoke(rt.ctx, { features: f, contact, topic: 'data-quality', variant: 'discount', attempt: 1, feedback: ['banned-claim: "guaranteed" in body'] });
      const m = r.output as MessageOutput;
      expect(m.subject.length).toBeGreaterThan(5);
      expect(m.body).toMatch(/data quality/);
      expect(m.offer).toBe(true);
      expect(r.usage!.tokensOut).toBeGreaterThan(0);
      expect(r.costMicros).toBeGreaterThan(0);
      const plain = await rt.cap('sim-small', 'message').invoke(rt.ctx, { features: f, contact, topic: 'x', variant: 'a', attempt: 0 });
      expect((plain.output as MessageOutput).offer).toBe(false);
    } finally {
      await rt.close();
    }
  });
});

describe('failures', () => {
  it('retries 429s (honouring retry-after-ms) and succeeds within maxRetries', async () => {
    const rt = await openaiRuntime(`${emu.url}/v1`, { maxRetries: 3 });
    try {
      const before = emu.state.rateLimited;
      emu.state.rateLimitNext(2);
      const r = await rt.cap('sim-small', 'intent').invoke(rt.ctx, { features: accounts[1]!.features });
      expect(['high', 'low']).toContain((r.output as IntentOutput).label);
      expect(emu.state.rateLimited - before).toBe(2);
    } finally {
      await rt.close();
    }
  });

  it('gives up on 429s beyond maxRetries with a clear error', async () => {
    const rt = await openaiRuntime(`${emu.url}/v1`, { maxRetries: 1 });
    try {
      emu.state.rateLimitNext(2);
      await expect(rt.cap('sim-small', 'intent').invoke(rt.ctx, { features: accounts[2]!.features })).rejects.toThrow(/openai sim-small classify\/intent for account acc_\d+ failed: rate limited \(HTTP 429\) after 1 retries/);
    } finally {
      await rt.close();
    }
  });

  it('times out a slow endpoint', async () => {
    const slow = await startOpenAIEmulator({ seed: 1, faults: { latencyMs: 400 } });
    const rt = await openaiRuntime(`${slow.url}/v1`, { timeoutMs: 100, maxRetries: 0 });
    try {
      await expect(rt.cap('sim-small', 'intent').invoke(rt.ctx, { features: accounts[3]!.features })).rejects.toThrow(/failed: timed out after 100 ms per attempt \(0 retries\)/);
    } finally {
      await rt.close();
      await slow.stop();
    }
  });

  it('a wrong key, an unknown model and a malformed reply fail with what went wrong', async () => {
    const bad = await openaiRuntime(`${emu.url}/v1`, { apiKey: 'sk-wrong' });
    try {
      await expect(bad.cap('sim-small', 'intent').invoke(bad.ctx, { features: accounts[4]!.features })).rejects.toThrow(/refused the API key \(HTTP 401\)/);
    } finally {
      await bad.close();
    }
    const unknown = await openaiRuntime(`${emu.url}/v1`, {}, [{ name: 'no-such-model', task: 'intent', quality: 0.5, inputPricePerMTok: 1, outputPricePerMTok: 1 }]);
    try {
      await expect(unknown.cap('no-such-model', 'intent').invoke(unknown.ctx, { features: accounts[4]!.features })).rejects.toThrow(/HTTP 404/);
    } finally {
      await unknown.close();
    }
    // an endpoint that answers prose instead of JSON
    const server: Server = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ id: 'x', object: 'chat.completion', created: 0, model: 'sim-small', choices: [{ index: 0, finish_reason: 'stop', message: { role: 'assistant', content: 'I think it is high' } }], usage: { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 } }));
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const prose = await openaiRuntime(`http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`);
    try {
      await expect(prose.cap('sim-small', 'intent').invoke(prose.ctx, { features: accounts[5]!.features })).rejects.toThrow(/classify\/intent for account acc_\d+: the reply is not JSON: "I think it is high"/);
    } finally {
      await prose.close();
      await new Promise((r) => server.close(r));
    }
  });
});

describe('config', () => {
  it('refuses unknown keys, a missing key, and a model list that differs from the definition', () => {
    expect(connectionSchema.safeParse({ apiKey: 'k', baseUrl: 'http://x' }).success).toBe(false);
    expect(connectionSchema.safeParse({}).success).toBe(false);
    const def = defineOpenAIModels(simModels);
    expect(def.config.safeParse({ apiKey: 'k', models: simModels }).success).toBe(true);
    const r = def.config.safeParse({ apiKey: 'k', models: [simModels[0]] });
    expect(r.success).toBe(false);
    expect(JSON.stringify(r.error)).toMatch(/defineOpenAIModels/);
    expect(() => defineOpenAIModels([{ name: 'x', task: 'summarize' as 'intent', quality: 1, inputPricePerMTok: 0, outputPricePerMTok: 0 }])).toThrow(/model #0 \(x\) is invalid/);
  });

  it('the default definition offers gpt-4o-mini for intent and message at list prices', () => {
    expect(openaiModels.capabilities.map((c) => `${c.capability}/${c.task}`)).toEqual(['classify/intent', 'generate/message']);
    for (const c of openaiModels.capabilities) expect(c.costMicros).toBeGreaterThan(0);
  });
});
