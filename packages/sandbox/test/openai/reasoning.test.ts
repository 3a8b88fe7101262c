// The emulator is as strict as OpenAI for reasoning models (o-series, gpt-5) and billing quota.
import OpenAI from 'openai';
import { afterEach, describe, expect, it } from 'vitest';
import { startOpenAIEmulator } from '../../src/emulators/openai/index.js';

let stops: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(stops.map((s) => s()));
  stops = [];
});

async function start(maxRetries = 0) {
  const emu = await startOpenAIEmulator({ retryAfterMs: 1 });
  stops.push(emu.stop);
  return { emu, client: new OpenAI({ apiKey: emu.apiKey, baseURL: `${emu.url}/v1`, maxRetries }) };
}

const ask = [{ role: 'user' as const, content: 'Write a short outreach note.\nTOPIC: intent data\nPERSONA: champion' }];
const failure = (p: Promise<unknown>) => p.then(() => undefined, (e: unknown) => e as InstanceType<typeof OpenAI.APIError>);

describe('reasoning models', () => {
  it('refuse a temperature other than 1 with OpenAI 400 unsupported_value; accept 1 and none', async () => {
    const { client } = await start();
    for (const model of ['o4-mini', 'gpt-5-mini']) {
      const e = await failure(client.chat.completions.create({ model, messages: ask, temperature: 0 }));
      expect(e).toBeInstanceOf(OpenAI.BadRequestError);
      expect(e).toMatchObject({ status: 400, code: 'unsupported_value', param: 'temperature', type: 'invalid_request_error' });
      expect(e!.message).toMatch(/Unsupported value: 'temperature' does not support 0 with this model\. Only the default \(1\) value is supported\./);
      await expect(client.chat.completions.create({ model, messages: ask, temperature: 1 })).resolves.toBeTruthy();
      await expect(client.chat.completions.create({ model, messages: ask })).resolves.toBeTruthy();
    }
    // a non-reasoning model still takes any temperature
    await expect(client.chat.completions.create({ model: 'sim-small', messages: ask, temperature: 0 })).resolves.toBeTruthy();
  });

  it('refuse max_tokens, and an effort the model does not take; non-reasoning models refuse reasoning_effort', async () => {
    const { client } = await start();
    expect(await failure(client.chat.completions.create({ model: 'o4-mini', messages: ask, max_tokens: 500 }))).toMatchObject({ status: 400, code: 'unsupported_parameter', param: 'max_tokens' });
    const effort = await failure(client.chat.completions.create({ model: 'o4-mini', messages: ask, reasoning_effort: 'minimal' }));
    expect(effort).toMatchObject({ status: 400, code: 'unsupported_value', param: 'reasoning_effort' });
    expect(effort!.message).toMatch(/Supported values are: 'low', 'medium', 'high'/);
    await expect(client.chat.completions.create({ model: 'gpt-5-mini', messages: ask, reasoning_effort: 'minimal' })).resolves.toBeTruthy();
    expect(await failure(client.chat.completions.create({ model: 'sim-small', messages: ask, reasoning_effort: 'low' }))).toMatchObject({ status: 400, code: 'unsupported_parameter', param: 'reasoning_effort' });
  });

  it('spend hidden reasoning tokens out of max_completion_tokens first: a small cap returns empty content, finish_reason length', async () => {
    const { emu, client } = await start();
    const full = await client.chat.completions.create({ model: 'o4-mini', messages: ask, reasoning_effort: 'low' });
    const reasoning = full.usage!.completion_tokens_details!.reasoning_tokens!;
    const visible = Math.ceil(full.choices[0]!.message.content!.length / 4);
    expect(reasoning).toBe(192 + Math.ceil(full.usage!.prompt_tokens / 2));
    expect(full.usage!.completion_tokens).toBe(reasoning + visible);
    expect(full.choices[0]!.finish_reason).toBe('stop');

    const starved = await client.chat.completions.create({ model: 'o4-mini', messages: ask, reasoning_effort: 'low', max_completion_tokens: 100 });
    expect(starved.choices[0]!.message.content).toBe('');
    expect(starved.choices[0]!.finish_reason).toBe('length');
    expect(starved.usage!.completion_tokens).toBe(100);
    expect(starved.usage!.completion_tokens_details!.reasoning_tokens).toBe(100);

    const cut = await client.chat.completions.create({ model: 'o4-mini', messages: ask, reasoning_effort: 'low', max_completion_tokens: reasoning + 3 });
    expect(cut.choices[0]!.message.content!.length).toBe(12);
    expect(cut.choices[0]!.finish_reason).toBe('length');
    // more effort, more reasoning; gpt-5 at minimal reasons not at all
    const high = await client.chat.completions.create({ model: 'o4-mini', messages: ask, reasoning_effort: 'high' });
    expect(high.usage!.completion_tokens_details!.reasoning_tokens).toBe(3072 + Math.ceil(full.usage!.prompt_tokens / 2));
    const minimal = await client.chat.completions.create({ model: 'gpt-5-mini', messages: ask, reasoning_effort: 'minimal' });
    expect(minimal.usage!.completion_tokens_details!.reasoning_tokens).toBe(0);
    // billed: reasoning tokens are completion tokens
    expect(emu.state.usageOf('o4-mini').reasoningTokens).toBe(reasoning + 100 + reasoning + high.usage!.completion_tokens_details!.reasoning_tokens!);
  });
});

describe('insufficient_quota', () => {
  it('answers 429 with OpenAI type and code insufficient_quota and no retry-after', async () => {
    const { emu, client } = await start();
    emu.state.quotaExhausted = true;
    const e = await failure(client.chat.completions.create({ model: 'sim-small', messages: ask }));
    expect(e).toBeInstanceOf(OpenAI.RateLimitError);
    expect(e).toMatchObject({ status: 429, code: 'insufficient_quota', type: 'insufficient_quota', param: null });
    expect(e!.message).toMatch(/You exceeded your current quota, please check your plan and billing details/);
    expect(e!.headers?.get('retry-after')).toBeNull();
    expect(e!.headers?.get('retry-after-ms')).toBeNull();
    expect(emu.state.quotaRefused).toBe(1);
    expect(emu.state.usageOf('sim-small').calls).toBe(0);
  });

  it('is retried by the bare client like any 429 (why the plugin marks it not retryable)', async () => {
    const { emu, client } = await start(2);
    emu.state.quotaExhausted = true;
    await failure(client.chat.completions.create({ model: 'sim-small', messages: ask }));
    expect(emu.state.quotaRefused).toBe(3);
  });
});
