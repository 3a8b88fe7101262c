// Reasoning models (o-series, gpt-5) and billing-quota 429s against the strict OpenAI emulator,
// which refuses what OpenAI refuses: temperature on a reasoning model, and answers
// insufficient_quota like the real API.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IntentOutput, MessageOutput } from '@revloop/core';
import { OPENAI_DEFAULT_MODELS, startOpenAIEmulator, type OpenAIEmulator } from '@revloop/sandbox';
import { syntheticAccounts } from '../../local-models/test/synthetic.js';
import { defineOpenAIModels, type ModelSpecInput } from '../src/index.js';
import { openaiRuntime } from './helpers.js';

const accounts = syntheticAccounts(20, 91);
const o4mini: ModelSpecInput = { name: 'o4-mini', task: 'intent', quality: 0.85, inputPricePerMTok: 1.1, outputPricePerMTok: 4.4 };
const gpt5miniMessage: ModelSpecInput = { name: 'gpt-5-mini', task: 'message', quality: 0.85, inputPricePerMTok: 0.25, outputPricePerMTok: 2 };
const contact = { id: 'c1', email: 'a@b.c', persona: 'champion', title: null };

let emu: OpenAIEmulator;
beforeAll(async () => {
  emu = await startOpenAIEmulator({ seed: 9, labelOracle: (id) => ({ label: id.endsWith('1') ? 'high' : 'low', difficulty: 0.2 }) });
});
afterAll(async () => {
  await emu.stop();
});

describe('reasoning models', () => {
  it('o4-mini classifies: no temperature is sent, reasoning_effort is, and the reasoning tokens are charged', async () => {
    const rt = await openaiRuntime(`${emu.url}/v1`, {}, [o4mini]);
    try {
      const before = emu.state.usageOf('o4-mini');
      const r = await rt.cap('o4-mini', 'intent').invoke(rt.ctx, { features: accounts[0]!.features });
      expect(['high', 'low']).toContain((r.output as IntentOutput).label);
      const after = emu.state.usageOf('o4-mini');
      const reasoning = after.reasoningTokens - before.reasoningTokens;
      // effort low on the emulator: 192 + prompt/2 hidden tokens, all inside the completion count
      expect(reasoning).toBeGreaterThan(192);
      expect(r.usage!.tokensOut).toBe(after.completionTokens - before.completionTokens);
      expect(r.usage!.tokensOut).toBeGreaterThan(reasoning);
      expect(r.costMicros).toBe(Math.ceil(r.usage!.tokensIn! * 1.1 + r.usage!.tokensOut! * 4.4 - 1e-9));
      // the reservation bound covers the reasoning too
      expect((rt.cap('o4-mini', 'intent') as unknown as { maxCostMicros: number }).maxCostMicros).toBeGreaterThan(r.costMicros!);
    } finally {
      await rt.close();
    }
  });

  it('gpt-5-mini writes a message at reasoningEffort minimal', async () => {
    const rt = await openaiRuntime(`${emu.url}/v1`, {}, [{ ...gpt5miniMessage, reasoningEffort: 'minimal' }]);
    try {
      const r = await rt.cap('gpt-5-mini', 'message').invoke(rt.ctx, { features: accounts[1]!.features, contact, topic: 'attribution', variant: 'a', attempt: 0 });
      expect((r.output as MessageOutput).body).toMatch(/attribution/);
    } finally {
      await rt.close();
    }
  });

  it('a completion cap used up by reasoning fails with what happened and the fix (not "not JSON")', async () => {
    const rt = await openaiRuntime(`${emu.url}/v1`, {}, [{ ...o4mini, maxOutputTokens: 150 }]);
    try {
      await expect(rt.cap('o4-mini', 'intent').invoke(rt.ctx, { features: accounts[2]!.features })).rejects.toThrow(
        /openai o4-mini classify\/intent for account acc_\d+ failed: the reply is empty because the completion cap was reached \(finish_reason length, max_completion_tokens 150, 150 spent on reasoning\)\. Fix: raise maxOutputTokens for o4-mini or lower its reasoningEffort/,
      );
    } finally {
      await rt.close();
    }
  });

  it('a reasoning model the name does not reveal: the 400 says to set reasoning: true, which then works', async () => {
    const thinker = { id: 'sim-thinker', inputPerMTok: 1, outputPerMTok: 4, accuracyEasy: 0.9, accuracyHard: 0.8, reasoning: { efforts: ['low' as const, 'medium' as const, 'high' as const], defaultEffort: 'medium' as const, baseTokens: { low: 50, medium: 200, high: 800 } } };
    const own = await startOpenAIEmulator({ seed: 2, models: [...OPENAI_DEFAULT_MODELS, thinker] });
    const spec: ModelSpecInput = { name: 'sim-thinker', task: 'intent', quality: 0.8, inputPricePerMTok: 1, outputPricePerMTok: 4 };
    const plain = await openaiRuntime(`${own.url}/v1`, {}, [spec]);
    const flagged = await openaiRuntime(`${own.url}/v1`, {}, [{ ...spec, reasoning: true }]);
    try {
      await expect(plain.cap('sim-thinker', 'intent').invoke(plain.ctx, { features: accounts[3]!.features })).rejects.toThrow(
        /HTTP 400: .*'temperature' does not support 0 with this model.*set reasoning: true on it in defineOpenAIModels/,
      );
      const r = await flagged.cap('sim-thinker', 'intent').invoke(flagged.ctx, { features: accounts[3]!.features });
      expect(['high', 'low']).toContain((r.output as IntentOutput).label);
    } finally {
      await plain.close();
      await flagged.close();
      await own.stop();
    }
  });
});

describe('config refuses what OpenAI would refuse, at load, with the fix', () => {
  it('temperature on a reasoning model', () => {
    expect(() => defineOpenAIModels([{ ...o4mini, temperature: 0 }])).toThrow(/model #0 \(o4-mini\) is invalid: temperature: o4-mini is a reasoning model .* Fix: remove temperature from this model/);
    expect(() => defineOpenAIModels([{ ...gpt5miniMessage, temperature: 0.7 }])).toThrow(/gpt-5-mini is a reasoning model/);
    expect(() => defineOpenAIModels([{ name: 'sim-thinker', reasoning: true, task: 'intent', quality: 0.5, inputPricePerMTok: 1, outputPricePerMTok: 1, temperature: 0.2 }])).toThrow(/sim-thinker is a reasoning model/);
  });

  it('reasoningEffort on a model that does not reason; temperature where it is allowed', () => {
    expect(() => defineOpenAIModels([{ name: 'gpt-4o-mini', task: 'intent', quality: 0.7, inputPricePerMTok: 0.15, outputPricePerMTok: 0.6, reasoningEffort: 'low' }])).toThrow(
      /reasoningEffort: gpt-4o-mini is not a reasoning model: OpenAI refuses reasoning_effort/,
    );
    expect(() => defineOpenAIModels([{ name: 'gpt-5-chat-latest', task: 'message', quality: 0.7, inputPricePerMTok: 1.25, outputPricePerMTok: 10, temperature: 0.7 }])).not.toThrow();
    expect(() => defineOpenAIModels([{ ...o4mini, reasoningEffort: 'high' }])).not.toThrow();
  });

  it('the same refusal through config.models', () => {
    const def = defineOpenAIModels([o4mini]);
    const r = def.config.safeParse({ apiKey: 'k', models: [{ ...o4mini, temperature: 0 }] });
    expect(r.success).toBe(false);
    expect(JSON.stringify(r.error)).toMatch(/o4-mini is a reasoning model/);
  });

  it('a reasoning model reserves room for its reasoning (default cap 2000 / 4000 tokens)', () => {
    const [intent, message] = defineOpenAIModels([o4mini, gpt5miniMessage]).capabilities as unknown as { maxCostMicros: number; costMicros: number }[];
    // worst case = capped prompt + 2000 completion tokens at 4.4 $/M ≥ 8800 µ$
    expect(intent!.maxCostMicros).toBeGreaterThanOrEqual(2000 * 4.4);
    expect(message!.maxCostMicros).toBeGreaterThanOrEqual(4000 * 2);
    // expected cost counts typical reasoning (300 tokens at effort low), not only the visible reply
    expect(intent!.costMicros).toBeGreaterThan(300 * 4.4);
  });
});

describe('insufficient_quota', () => {
  it('is not retried and says the account is out of quota and how to fix it', async () => {
    const rt = await openaiRuntime(`${emu.url}/v1`, { maxRetries: 3 });
    try {
      emu.state.quotaExhausted = true;
      const before = emu.state.quotaRefused;
      await expect(rt.cap('sim-small', 'intent').invoke(rt.ctx, { features: accounts[4]!.features })).rejects.toThrow(
        /openai sim-small classify\/intent for account acc_\d+ failed: the OpenAI account behind this API key is out of quota \(HTTP 429 insufficient_quota; not retried.*Fix: add credits/,
      );
      expect(emu.state.quotaRefused - before).toBe(1);
    } finally {
      emu.state.quotaExhausted = false;
      await rt.close();
    }
  });

  it('a rate-limit 429 is still retried', async () => {
    const rt = await openaiRuntime(`${emu.url}/v1`, { maxRetries: 2 });
    try {
      const before = emu.state.rateLimited;
      emu.state.rateLimitNext(1);
      await expect(rt.cap('sim-small', 'intent').invoke(rt.ctx, { features: accounts[5]!.features })).resolves.toBeTruthy();
      expect(emu.state.rateLimited - before).toBe(1);
    } finally {
      await rt.close();
    }
  });
});
