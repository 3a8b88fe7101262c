import { describe, expect, it } from 'vitest';
import { createMarket, labelOracleFor, SimMarket } from '../../src/market/index.js';
import { smallScenario } from './helpers.js';

describe('ground truth', () => {
  const market = createMarket(smallScenario({ seed: 5 })) as SimMarket;
  market.runUntil(30);
  const truth = market.groundTruth();
  const ids = market.population.accounts.map((a) => a.id);

  it('labels accounts by hidden intent, hardest near the threshold', () => {
    const oracle = labelOracleFor(market);
    const threshold = market.scenario.intent.highIntentThreshold;
    for (const id of ids) {
      const got = oracle(id)!;
      expect(got.label).toBe(truth.intent(id)! >= threshold ? 'high' : 'low');
      expect(got.difficulty).toBeGreaterThan(0);
      expect(got.difficulty).toBeLessThanOrEqual(1);
    }
    const byDistance = [...ids].sort((a, b) => Math.abs(truth.intent(a)! - threshold) - Math.abs(truth.intent(b)! - threshold));
    expect(oracle(byDistance[0])!.difficulty).toBeGreaterThan(oracle(byDistance[byDistance.length - 1])!.difficulty);
    expect(oracle('item_unknown')).toBeUndefined();
  });

  it('gives higher propensity to accounts further down the funnel', () => {
    const p = truth.propensities(16);
    const inOpp = market.population.states.filter((s) => s.funnel === 3).map((s) => p.get(market.population.accounts[s.index].id)!);
    const idle = market.population.states.filter((s) => s.funnel === 0 && !s.deleted).map((s) => p.get(market.population.accounts[s.index].id)!);
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    expect(inOpp.length).toBeGreaterThan(3);
    expect(mean(inOpp)).toBeGreaterThan(mean(idle) + 0.1);
    for (const v of p.values()) expect(v).toBeGreaterThanOrEqual(0);
  });

  it('names a best action whose value is consistent with the hidden response function', () => {
    const id = ids.find((x) => truth.bestAction(x)!.expectedValue > 0)!;
    const best = truth.bestAction(id)!;
    expect(best.probability).toBeCloseTo(market.probabilityOf({ ...best, at: market.now() })!, 12);
    expect(best.expectedValue).toBeCloseTo(best.probability * best.responseValue - best.cost, 9);
    const offHour = (best.sendHour + 12) % 24;
    expect(market.probabilityOf({ ...best, sendHour: offHour, at: market.now() })!).toBeLessThan(best.probability);
  });
});
