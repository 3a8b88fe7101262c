import { describe, expect, it } from 'vitest';
import type { ContactBrief, FeedbackExample } from '@revloop/core';
import { ChannelModel, localModelsConfigSchema } from '../src/index.js';
import { winProbabilities } from '../src/propensity.js';
import { Rng } from '../src/random.js';
import { prng, syntheticAccounts } from './synthetic.js';

/** how often each arm's Beta draw is the highest, over `draws` Thompson draws */
function sampledShares(params: number[], draws: number, seed: number): number[] {
  const rng = new Rng().reseed(seed);
  const arms = params.length / 2;
  const wins = new Array<number>(arms).fill(0);
  for (let k = 0; k < draws; k++) {
    let best = 0;
    let top = -1;
    for (let a = 0; a < arms; a++) {
      const d = rng.beta(params[a * 2]!, params[a * 2 + 1]!);
      if (d > top) [top, best] = [d, a];
    }
    wins[best]!++;
  }
  return wins.map((w) => w / draws);
}

describe('winProbabilities (the chance a Thompson draw picks each arm)', () => {
  // posteriors as the channel sampler holds them: a prior of 20 pseudo-observations around a small
  // rate, young (alpha < 1), evidence-heavy (thousands of observations), and one clear winner
  const cases: Record<string, number[]> = {
    'prior only, equal arms': [1, 19, 1, 19, 1, 19, 1, 19],
    'young, alpha below 1': [0.3, 25, 0.6, 19, 2, 30, 0.9, 12],
    'evidence-heavy, close rates': [120, 1880, 130, 1870, 95, 1905, 128, 1900],
    'one clear winner': [60, 140, 5, 195, 4, 196, 8, 192],
    'wide beside narrow': [1.2, 18.8, 400, 7600, 2, 38, 30, 570],
    'nine hours': [3, 40, 5, 38, 9, 35, 12, 31, 10, 33, 6, 37, 3, 40, 2, 41, 1, 42],
  };
  for (const [name, params] of Object.entries(cases)) {
    it(`matches 200,000 sampled draws: ${name}`, () => {
      const exact = Array.from(winProbabilities(params));
      const sampled = sampledShares(params, 200_000, 11);
      expect(exact.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 9);
      // 200,000 draws: a share's standard error is at most 0.0011; 0.006 is > 5 of them
      for (let a = 0; a < exact.length; a++) expect(Math.abs(exact[a]! - sampled[a]!), `arm ${a}: ${exact[a]} vs ${sampled[a]}`).toBeLessThan(0.006);
    });
  }

  it('gives an arm far behind a small but positive chance, never 0 where a draw could win', () => {
    const p = winProbabilities([200, 800, 2, 38]);
    expect(p[1]).toBeGreaterThan(0);
    expect(p[1]).toBeLessThan(0.01);
  });
});

describe('ChannelModel logs the propensity of its choice', () => {
  const config = localModelsConfigSchema.parse({});
  const contact: ContactBrief = { id: 'c1', email: 'a@b.c', persona: 'champion', title: null };
  const accounts = syntheticAccounts(200, 3);

  /** a model that learned champions answer linkedin more often, from 600 decisions */
  function trained(): ChannelModel {
    const model = new ChannelModel(config);
    const r = prng(4);
    const rng = new Rng();
    for (let round = 0; round < 6; round++) {
      const batch: FeedbackExample[] = [];
      for (let i = 0; i < 100; i++) {
        const features = { ...accounts[i % 200]!.features, at: 1_700_000_000_000 + round * 86_400_000 };
        const out = model.choose({ features, contact, topic: 'x' }, rng.reseed(round * 1000 + i + 1));
        const reward = r() < (out.channel === 'linkedin' ? 0.2 : 0.04) ? 1 : 0;
        batch.push({ decisionId: `d${round}_${i}`, accountId: features.accountId, features, outputs: { 'channel-time': out }, reward, valueMicros: 0, outcome: reward ? 'engaged' : 'not_engaged' });
      }
      model.learn(batch);
    }
    return model;
  }

  it('the logged channel and hour chances are how often the model picks them in that context', () => {
    const model = trained();
    const features = { ...accounts[0]!.features, at: 1_700_000_000_000 + 7 * 86_400_000 };
    const rng = new Rng();
    const draws = 20_000;
    const channels: Record<string, number> = {};
    const hours: Record<string, number> = {};
    let logged;
    const hourChance: Record<string, number> = {};
    for (let k = 0; k < draws; k++) {
      const out = model.choose({ features, contact, topic: 'x' }, rng.reseed(k + 1));
      channels[out.channel] = (channels[out.channel] ?? 0) + 1 / draws;
      hours[out.sendHour] = (hours[out.sendHour] ?? 0) + 1 / draws;
      logged = out.propensity!;
      // the choice's own chance is the one recorded for its arm; the pair's is their product
      expect(out.propensity!.channel).toBe(out.propensity!.channels![out.channel]);
      expect(out.propensity!.joint).toBeCloseTo(out.propensity!.channel * out.propensity!.hour, 3);
      hourChance[out.sendHour] = out.propensity!.hour;
    }
    // the trained model prefers linkedin, but not so surely that the test is trivial
    expect(logged!.channels!.linkedin!).toBeGreaterThan(0.4);
    expect(logged!.channels!.linkedin!).toBeLessThan(0.999);
    // 20,000 choices: a share's standard error is at most 0.0036
    for (const [c, p] of Object.entries(logged!.channels!)) expect(Math.abs((channels[c] ?? 0) - p!), c).toBeLessThan(0.015);
    expect(Object.keys(hourChance).length).toBeGreaterThan(3);
    for (const [h, p] of Object.entries(hourChance)) expect(Math.abs((hours[h] ?? 0) - p), `hour ${h}`).toBeLessThan(0.015);
  });
});
