import OpenAI from 'openai';
import { afterEach, describe, expect, it } from 'vitest';
import { startOpenAIEmulator, type OpenAIEmulatorOptions } from '../../src/emulators/openai/index.js';

let stops: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(stops.map((s) => s()));
  stops = [];
});

async function start(options: OpenAIEmulatorOptions = {}, clientOptions: Partial<ConstructorParameters<typeof OpenAI>[0]> = {}) {
  const emu = await startOpenAIEmulator(options);
  stops.push(emu.stop);
  const client = new OpenAI({ apiKey: emu.apiKey, baseURL: `${emu.url}/v1`, maxRetries: 0, ...clientOptions });
  return { emu, client };
}

const ask = [{ role: 'user' as const, content: 'Write a short outreach note.\nTOPIC: data warehouse migration\nPERSONA: technical_evaluator' }];

describe('OpenAI-compatible emulator with the openai client', () => {
  it('lists models and answers non-streaming generation with usage and cost counters', async () => {
    const { emu, client } = await start();
    const models = await client.models.list();
    expect(models.data.map((m) => m.id)).toEqual(['sim-small', 'sim-medium', 'sim-large', 'o4-mini', 'gpt-5-mini']);

    const r = await client.chat.completions.create({ model: 'sim-medium', messages: ask });
    const text = r.choices[0].message.content!;
    expect(text).toContain('data warehouse migration');
    expect(text).toContain('technical evaluator');
    expect(r.choices[0].finish_reason).toBe('stop');
    expect(r.usage!.completion_tokens).toBe(Math.ceil(text.length / 4));
    expect(r.usage!.total_tokens).toBe(r.usage!.prompt_tokens + r.usage!.completion_tokens);
    const again = await client.chat.completions.create({ model: 'sim-medium', messages: ask });
    expect(again.choices[0].message.content).toBe(text); // deterministic

    const u = emu.state.usageOf('sim-medium');
    expect(u.calls).toBe(2);
    expect(u.costUsd).toBeCloseTo((2 * (r.usage!.prompt_tokens * 0.8 + r.usage!.completion_tokens * 3.2)) / 1e6, 12);

    const cut = await client.chat.completions.create({ model: 'sim-small', messages: ask, max_tokens: 5 });
    expect(cut.choices[0].finish_reason).toBe('length');
    expect(cut.usage!.completion_tokens).toBe(5);
  });

  it('streams SSE chunks that reassemble into the same text, with usage in the final chunk', async () => {
    const { client } = await start();
    const full = (await client.chat.completions.create({ model: 'sim-large', messages: ask })).choices[0].message.content;
    const stream = await client.chat.completions.create({ model: 'sim-large', messages: ask, stream: true, stream_options: { include_usage: true } });
    let text = '';
    let chunks = 0;
    let usage: OpenAI.CompletionUsage | undefined | null;
    for await (const chunk of stream) {
      chunks++;
      text += chunk.choices[0]?.delta.content ?? '';
      if (chunk.usage) usage = chunk.usage;
    }
    expect(chunks).toBeGreaterThan(5);
    expect(text).toBe(full);
    expect(usage!.completion_tokens).toBe(Math.ceil(text.length / 4));
  });

  it('answers classification items, in JSON mode too', async () => {
    const { client } = await start({ labelOracle: (id) => (id === 'acc_000001' ? { label: 'high', difficulty: 0 } : undefined) });
    const item = (id: string) => `Classify the account's intent.\nITEM: {"item_id":"${id}","labels":["high","medium","low"]}`;
    const r = await client.chat.completions.create({
      model: 'sim-large',
      messages: [{ role: 'user', content: item('acc_000001') }],
      response_format: { type: 'json_object' },
    });
    const answer = JSON.parse(r.choices[0].message.content!) as { label: string; confidence: number };
    expect(['high', 'medium', 'low']).toContain(answer.label);
    expect(answer.confidence).toBe(0.98);
    const noOracle = await client.chat.completions.create({ model: 'sim-small', messages: [{ role: 'user', content: item('acc_999999') }] });
    expect(['high', 'medium', 'low']).toContain(noOracle.choices[0].message.content);
  });

  it('answers unknown models with 404 model_not_found and bad keys with 401', async () => {
    const { emu, client } = await start();
    const e404 = await client.chat.completions.create({ model: 'gpt-9', messages: ask }).catch((e: unknown) => e);
    expect(e404).toBeInstanceOf(OpenAI.NotFoundError);
    expect((e404 as InstanceType<typeof OpenAI.NotFoundError>).code).toBe('model_not_found');
    expect((e404 as InstanceType<typeof OpenAI.NotFoundError>).param).toBe('model');

    const wrongKey = new OpenAI({ apiKey: 'sk-wrong-key-1234', baseURL: `${emu.url}/v1`, maxRetries: 0 });
    const e401 = await wrongKey.chat.completions.create({ model: 'sim-small', messages: ask }).catch((e: unknown) => e);
    expect(e401).toBeInstanceOf(OpenAI.AuthenticationError);
    expect((e401 as InstanceType<typeof OpenAI.AuthenticationError>).code).toBe('invalid_api_key');
    expect((await fetch(`${emu.url}/v1/models`)).status).toBe(401);
  });

  it('answers malformed bodies with OpenAI 400s', async () => {
    const { emu } = await start();
    const post = (body: string) =>
      fetch(`${emu.url}/v1/chat/completions`, { method: 'POST', headers: { Authorization: `Bearer ${emu.apiKey}`, 'Content-Type': 'application/json' }, body });
    const notJson = await post('{"model":');
    expect(notJson.status).toBe(400);
    expect(((await notJson.json()) as { error: { type: string } }).error.type).toBe('invalid_request_error');
    const noMessages = await post('{"model":"sim-small"}');
    expect(noMessages.status).toBe(400);
    expect(((await noMessages.json()) as { error: { param: string; code: string } }).error).toMatchObject({ param: 'messages', code: 'missing_required_parameter' });
    const badRole = await post('{"model":"sim-small","messages":[{"role":"wizard","content":"hi"}]}');
    expect(badRole.status).toBe(400);
    expect(((await badRole.json()) as { error: { param: string } }).error.param).toBe('messages[0].role');
  });

  it('sends 429 with retry-after-ms, which the client retries', async () => {
    const { emu, client } = await start({}, { maxRetries: 2 });
    emu.state.rateLimitNext(2);
    const r = await client.chat.completions.create({ model: 'sim-small', messages: ask });
    expect(r.choices[0].message.content).toBeTruthy();
    expect(emu.state.rateLimited).toBe(2);
    expect(emu.state.usageOf('sim-small').calls).toBe(1);

    emu.state.rateLimitNext(3); // more than the client's retries
    const e = await client.chat.completions.create({ model: 'sim-small', messages: ask }).catch((err: unknown) => err);
    expect(e).toBeInstanceOf(OpenAI.RateLimitError);
  });

  it('enforces tokensPerMinute on the emulator clock', async () => {
    const { emu, client } = await start({ tokensPerMinute: 120 });
    await client.chat.completions.create({ model: 'sim-small', messages: ask });
    const e = await client.chat.completions.create({ model: 'sim-small', messages: ask }).catch((err: unknown) => err);
    expect(e).toBeInstanceOf(OpenAI.RateLimitError);
    const err = e as InstanceType<typeof OpenAI.RateLimitError>;
    expect(err.code).toBe('rate_limit_exceeded');
    expect(Number(err.headers?.get('retry-after-ms'))).toBe(60_000);
    emu.clock!.advance(60_000);
    await expect(client.chat.completions.create({ model: 'sim-small', messages: ask })).resolves.toBeTruthy();
  });
});
