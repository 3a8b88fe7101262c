import { describe, expect, it } from 'vitest';
import { noActionPolicy, oraclePolicy, rulesBaselinePolicy, simulatePolicy } from '../../src/market/index.js';
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
