// Common random numbers: the draws that decide a funnel episode are keyed by (account, episode,
// stage), not by day, so that a treatment which moves a stage forward meets the same luck at the
// stage's exit. Without it a policy comparison on one seed measures reshuffled luck, not policy.
import { describe, expect, it } from 'vitest';
import { Funnel, type AccountState } from '../../src/market/account-state.js';
import { stepFunnel } from '../../src/market/account-step.js';
import { createStepParams } from '../../src/market/step-params.js';
import { Rng } from '../../src/market/random.js';
import { noActionPolicy, rulesBaselinePolicy, simulatePolicy } from '../../src/market/policies.js';
import { scenarioFile } from './helpers.js';

const scenario = scenarioFile('default');
const params = createStepParams(scenario);

function inStage(index: number, stage: number, until: number, intent: number): AccountState {
  return {
    index, industry: 0, size: 1, region: 0, segment: 1, inMarket: true, baseIntent: intent, intent, interestTopic: 0, score: 0, fatigue: 0,
    funnel: Funnel.opportunity, funnelUntil: until, stage, dealAmount: 50_000, amount: 50_000, salesAccepted: false, deleted: false,
    contactFirst: 0, contactCount: 1, leadContact: 0, opportunity: -1, treatments: 0, episode: 1,
  };
}

describe('common random numbers in the funnel', () => {
  it('a stage exit reached 3 days earlier draws the same fate (won, lost, or next stage and its length)', () => {
    const rng = new Rng();
    for (let a = 0; a < 400; a++) {
      for (const stage of [1, 3]) {
        const onTime = inStage(a, stage, 40, 0.5);
        const early = inStage(a, stage, 37, 0.5);
        const t1 = stepFunnel(onTime, params, 40, rng, 7);
        const t2 = stepFunnel(early, params, 37, rng, 7);
        expect(t2).toBe(t1);
        expect(early.funnel).toBe(onTime.funnel);
        expect(early.stage).toBe(onTime.stage);
        // the next stage lasts as long, counted from the earlier exit
        if (onTime.funnel === Funnel.opportunity) expect(early.funnelUntil - 37).toBe(onTime.funnelUntil - 40);
      }
    }
  });

  it('higher intent never turns a won exit into a lost one (same draws)', () => {
    const rng = new Rng();
    let wonLow = 0;
    let wonHigh = 0;
    for (let a = 0; a < 2000; a++) {
      const low = inStage(a, 3, 10, 0.2);
      const high = inStage(a, 3, 10, 0.8);
      stepFunnel(low, params, 10, rng, 3);
      stepFunnel(high, params, 10, rng, 3);
      if (low.funnel === Funnel.won) {
        wonLow++;
        expect(high.funnel).toBe(Funnel.won);
      }
      if (high.funnel === Funnel.won) wonHigh++;
    }
    expect(wonHigh).toBeGreaterThan(wonLow);
  });

  it('at 50 actions a day the rules baseline never ends below the market on its own (5 seeds)', () => {
    for (const seed of [1, 2, 3, 4, 5]) {
      const s = { ...scenario, seed, days: 60 };
      const none = simulatePolicy(s, noActionPolicy, { actionsPerDay: 50 }).revenue;
      const baseline = simulatePolicy(s, rulesBaselinePolicy(), { actionsPerDay: 50 }).revenue;
      expect(baseline, `seed ${seed}`).toBeGreaterThanOrEqual(none);
    }
  });
});
