import { describe, expect, it } from 'vitest';
import { createMarket, meanAnswerChance, noActionPolicy, oraclePolicy, rulesBaselinePolicy, simulatePolicy } from '../../src/market/index.js';
import { smallScenario } from './helpers.js';

describe('reference policies on small.json', () => {
  for (const seed of [1, 2, 3]) {
    it(`seed ${seed}: the oracle clearly beats the rules baseline with the same action budget`, () => {
      const scenario = smallScenario({ seed });
      const none = simulatePolicy(scenario, noActionPolicy);
      const rules = simulatePolicy(scenario, rulesBaselinePolicy(), { actionsPerDay: 10 });
      const oracle = simulatePolicy(scenario, oraclePolicy(), { actionsPerDay: 10 });
      expect(rules.treatments).toBeGreaterThan(0);
      expect(oracle.treatments).toBeLessThanOrEqual(10 * scenario.days);
      expect(oracle.revenue).toBeGreaterThan(rules.revenue * 1.1);
      expect(oracle.revenue).toBeGreaterThan(none.revenue);
      expect(none.treatmentSpend).toBe(0);
    });
  }
});

describe('the hidden answer chance of a policy', () => {
  it('is the mean of the chances treat() reported, and the responses follow it', () => {
    const scenario = smallScenario({ seed: 4 });
    const oracle = simulatePolicy(scenario, oraclePolicy(), { actionsPerDay: 10 });
    const rules = simulatePolicy(scenario, rulesBaselinePolicy(), { actionsPerDay: 10 });
    const none = simulatePolicy(scenario, noActionPolicy);
    expect(none.answerChance).toBe(0);
    // the oracle sends each account its best channel, hour and topic; the rules send email at 9
    expect(oracle.answerChance).toBeGreaterThan(rules.answerChance);
    const responses = Object.values(oracle.stats.responses).reduce((a, b) => a + b, 0);
    const sd = Math.sqrt(oracle.treatments * oracle.answerChance * (1 - oracle.answerChance));
    expect(Math.abs(responses - oracle.treatments * oracle.answerChance)).toBeLessThan(4 * sd);
  });

  it('meanAnswerChance reads the market after any treatments', () => {
    const market = createMarket(smallScenario({ seed: 5 }));
    market.advanceDay();
    const id = market.groundTruth().bestAction('acc_000001')!;
    const chances = [0, 1, 2].map(() => market.treat({ accountId: id.accountId, contactId: id.contactId, channel: id.channel, topic: id.topic, sendHour: id.sendHour, at: market.now() })!.probability);
    expect(meanAnswerChance(market)).toBeCloseTo(chances.reduce((a, b) => a + b, 0) / 3, 12);
    // diminishing returns: each treatment of the same account answers less often
    expect(chances[2]).toBeLessThan(chances[0]!);
  });
});
