// Contract test: the emulator's responses, as raw JSON on the wire, conform to the response types
// the openai 6.49.0 client declares (read from node_modules/openai/**/*.d.ts by the TypeScript
// compiler), so the emulator cannot drift from what the real client expects unnoticed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startOpenAIEmulator, type OpenAIEmulator } from '../../src/emulators/openai/index.js';
import { loadSdkShapes, type ShapeChecker } from './contract/sdk-shape.js';

let emu: OpenAIEmulator;
let sdk: ShapeChecker;
beforeAll(async () => {
  emu = await startOpenAIEmulator({ labelOracle: () => ({ label: 'high', difficulty: 0 }) });
  sdk = loadSdkShapes();
}, 60_000);
afterAll(async () => {
  await emu.stop();
});

const ask = [{ role: 'user', content: 'Write a short outreach note.\nTOPIC: intent data\nPERSONA: champion' }];
const post = async (body: object) => {
  const r = await fetch(`${emu.url}/v1/chat/completions`, { method: 'POST', headers: { authorization: `Bearer ${emu.apiKey}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  expect(r.status).toBe(200);
  return r;
};

describe("the emulator's responses against the openai SDK's types", () => {
  it('the checker finds a missing field, an unknown field and an undeclared literal (it can fail)', async () => {
    const good = (await (await post({ model: 'sim-small', messages: ask })).json()) as Record<string, unknown> & { choices: Record<string, unknown>[] };
    expect(sdk.check('completion', good)).toEqual([]);
    const { created: _created, ...noCreated } = good;
    expect(sdk.check('completion', noCreated)).toEqual([expect.stringMatching(/^completion\.created: required by the SDK's ChatCompletion, missing$/)]);
    expect(sdk.check('completion', { ...good, tokens: 3 })).toEqual(['completion.tokens: not a field of the SDK\'s ChatCompletion']);
    const badFinish = { ...good, choices: [{ ...good.choices[0], finish_reason: 'done' }] };
    expect(sdk.check('completion', badFinish).join('\n')).toMatch(/completion\.choices\[0\]\.finish_reason: "done" is not/);
    expect(sdk.check('completion', { ...good, object: 'chat.completions' }).join('\n')).toMatch(/completion\.object: expected 'chat\.completion'/);
  });

  it('chat completions conform: generation, JSON classification, a cut reply, reasoning models', async () => {
    const bodies = [
      { model: 'sim-medium', messages: ask },
      { model: 'sim-large', messages: [{ role: 'user', content: 'ITEM: {"item_id":"acc_1","labels":["high","low"]}' }], response_format: { type: 'json_object' } },
      { model: 'sim-small', messages: ask, max_completion_tokens: 4 },
      { model: 'o4-mini', messages: ask, reasoning_effort: 'low' },
      { model: 'o4-mini', messages: ask, max_completion_tokens: 50 }, // all reasoning: content ''
      { model: 'gpt-5-mini', messages: ask, reasoning_effort: 'minimal', temperature: 1 },
    ];
    for (const body of bodies) {
      const json = await (await post(body)).json();
      expect(sdk.check('completion', json), JSON.stringify(body)).toEqual([]);
    }
  });

  it('stream chunks conform, with and without usage', async () => {
    for (const body of [
      { model: 'sim-small', messages: ask, stream: true },
      { model: 'o4-mini', messages: ask, stream: true, stream_options: { include_usage: true } },
    ]) {
      const text = await (await post(body)).text();
      const chunks = text
        .split('\n\n')
        .filter((l) => l.startsWith('data: ') && l !== 'data: [DONE]')
        .map((l) => JSON.parse(l.slice(6)) as unknown);
      expect(chunks.length).toBeGreaterThan(3);
      for (const [i, c] of chunks.entries()) expect(sdk.check('chunk', c), `${JSON.stringify(body)} chunk ${i}`).toEqual([]);
    }
  });

  it('models conform', async () => {
    const list = (await (await fetch(`${emu.url}/v1/models`, { headers: { authorization: `Bearer ${emu.apiKey}` } })).json()) as { object: string; data: unknown[] };
    expect(list.object).toBe('list');
    for (const m of list.data) expect(sdk.check('model', m)).toEqual([]);
    const one = await (await fetch(`${emu.url}/v1/models/o4-mini`, { headers: { authorization: `Bearer ${emu.apiKey}` } })).json();
    expect(sdk.check('model', one)).toEqual([]);
  });
});
