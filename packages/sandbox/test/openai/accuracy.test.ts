import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accuracy, DEFAULT_MODELS, startOpenAIEmulator, type OpenAIEmulator } from '../../src/emulators/openai/index.js';
import { seededRandom } from '../../src/emulators/faults.js';

// A known oracle over 500 items: labels and difficulties drawn from a fixed seed.
const LABELS = ['high', 'medium', 'low'];
const rand = seededRandom(42);
const truth = new Map<string, { label: string; difficulty: number }>();
for (let i = 0; i < 500; i++) truth.set(`acc_${String(i).padStart(6, '0')}`, { label: LABELS[Math.floor(rand() * 3)], difficulty: rand() });

let emu: OpenAIEmulator;
let client: OpenAI;
beforeAll(async () => {
  emu = await startOpenAIEmulator({ seed: 7, labelOracle: (id) => truth.get(id) });
  client = new OpenAI({ apiKey: emu.apiKey, baseURL: `${emu.url}/v1`, maxRetries: 0 });
});
afterAll(() => emu.stop());

async function score(model: string): Promise<number> {
  let right = 0;
  const ids = [...truth.keys()];
  for (let i = 0; i < ids.length; i += 50) {
    const answers = await Promise.all(
      ids.slice(i, i + 50).map((id) =>
        client.chat.completions.create({ model, messages: [{ role: 'user', content: `Intent?\nITEM: {"item_id":"${id}","labels":${JSON.stringify(LABELS)}}` }] }),
      ),
    );
    answers.forEach((a, k) => {
      if (a.choices[0].message.content === truth.get(ids[i + k])!.label) right++;
    });
  }
  return right / ids.length;
}

describe('classification accuracy by model', () => {
  it('large beats small by a clear margin, each near its expected accuracy', async () => {
    const small = await score('sim-small');
    const large = await score('sim-large');
    const expected = (id: string) => [...truth.values()].reduce((s, t) => s + accuracy(DEFAULT_MODELS.find((m) => m.id === id)!, t.difficulty), 0) / truth.size;
    // expected ≈ 0.725 vs 0.95; binomial sd over 500 items ≈ 0.02, so ±0.07 is > 3 sd
    expect(Math.abs(small - expected('sim-small'))).toBeLessThan(0.07);
    expect(Math.abs(large - expected('sim-large'))).toBeLessThan(0.07);
    expect(large - small).toBeGreaterThan(0.12);
    expect(emu.state.usageOf('sim-small').correct / emu.state.usageOf('sim-small').classifications).toBeCloseTo(small, 10);
  });
});
