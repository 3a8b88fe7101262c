// The run report's comparisons: paired intervals over accounts, verdicts only where an interval
// clears zero, no percentage of 0, the horizon against the sales cycle, the rolling answer rate.
import { describe, expect, it } from 'vitest';
import { ACCOUNT_FIGURES, defaultScenario, type AccountOutcomes } from '@revloop/sandbox';
import { compareLoop, horizonOf, policyTotals, rollingAnswerRate, seededRandom, typicalSalesCycleDays, verdictOf, type PolicyName } from '../src/index.js';

/** n accounts whose every figure is drawn by `f(account)` */
function outcomes(n: number, f: (i: number) => number): AccountOutcomes {
  const cols = Object.fromEntries(ACCOUNT_FIGURES.map((k) => [k, Float64Array.from({ length: n }, (_, i) => f(i))]));
  return { ...(cols as unknown as Omit<AccountOutcomes, 'accountIds'>), accountIds: Array.from({ length: n }, (_, i) => `acc_${i}`) };
}

function runs(loop: AccountOutcomes, rules: AccountOutcomes, none = outcomes(loop.accountIds.length, () => 0)): Record<PolicyName, AccountOutcomes> {
  return { loop, rules, oracle: loop, none };
}

describe('paired comparisons over accounts', () => {
  const rand = seededRandom(5);
  const noise = Array.from({ length: 400 }, () => rand() * 100);

  it('names a winner only where the interval clears zero', () => {
    expect(verdictOf([1, 5])).toBe('loop ahead');
    expect(verdictOf([-5, -1])).toBe('loop behind');
    expect(verdictOf([-1, 5])).toBe('no clear difference');
    expect(verdictOf([0, 5])).toBe('no clear difference');
    expect(verdictOf(null)).toBe('no clear difference');
  });

  it('a clear lead on every account: loop ahead, the interval around the true difference', () => {
    const loop = outcomes(400, (i) => noise[i]! + 10);
    const rules = outcomes(400, (i) => noise[i]!);
    const [c] = compareLoop(runs(loop, rules), ['rules']);
    // paired: the account noise cancels, each account is exactly 10 ahead
    expect(c!.difference).toBe(4000);
    expect(c!.ci95).toEqual([4000, 4000]);
    expect(c!.verdict).toBe('loop ahead');
    expect(c!.relative).toBeCloseTo(4000 / noise.reduce((a, b) => a + b, 0), 4);
  });

  it('differences that go either way: no clear difference, although the totals differ', () => {
    const r = seededRandom(9);
    const raw = Array.from({ length: 400 }, () => (r() - 0.5) * 200);
    const mean = raw.reduce((a, b) => a + b, 0) / raw.length;
    const swing = raw.map((x) => x - mean); // sums to 0: the loop's lead is exactly the +1 per account
    const loop = outcomes(400, (i) => 1000 + swing[i]! + 1); // +400 in total under noise of ±100 per account
    const rules = outcomes(400, () => 1000);
    const [c] = compareLoop(runs(loop, rules), ['rules']);
    expect(c!.difference).toBeCloseTo(400, 6);
    expect(c!.ci95![0]).toBeLessThan(0);
    expect(c!.ci95![1]).toBeGreaterThan(0);
    expect(c!.verdict).toBe('no clear difference');
  });

  it('against a policy whose total is 0, the share is no number (never x/0 or 0/0)', () => {
    const zero = outcomes(50, () => 0);
    const cs = compareLoop(runs(zero, zero), ['rules', 'none']);
    for (const c of cs) {
      expect(c.relative).toBeNull();
      expect(c.difference).toBe(0);
      expect(c.verdict).toBe('no clear difference');
    }
    expect(cs.map((c) => `${c.against}/${c.measure}`)).toContain('none/revenue');
  });

  it('refuses runs that are not of the same market', () => {
    expect(() => compareLoop(runs(outcomes(10, () => 1), outcomes(11, () => 1)), ['rules'])).toThrow(/not of the same market/);
  });

  it('totals every measure per policy', () => {
    const t = policyTotals(runs(outcomes(4, (i) => i), outcomes(4, () => 2)));
    expect(t.loop.pipeline_created).toBe(6);
    expect(t.rules.revenue).toBe(8);
    expect(t.none.responses).toBe(0);
  });
});

describe('the horizon against the sales cycle', () => {
  const scenario = defaultScenario();
  it('a typical deal takes the four stages (× the mid-size multiplier) to close', () => {
    const st = scenario.funnel.stageDays;
    expect(typicalSalesCycleDays(scenario)).toBe(Math.round((st.qualification + st.discovery + st.proposal + st.negotiation) * scenario.funnel.cycleMultiplier.mid));
  });
  it('30 days on the default market is too short for revenue; 90 days is not', () => {
    expect(horizonOf(scenario, 30).revenue_can_appear).toBe(false);
    expect(horizonOf(scenario, 90).revenue_can_appear).toBe(true);
  });
});

describe('the answer rate over a trailing week', () => {
  it('divides the week\'s answer chances by its treatments, and is null for a week without any', () => {
    const daily = [
      { treatments: 0, expectedResponses: 0 },
      { treatments: 10, expectedResponses: 1 },
      { treatments: 20, expectedResponses: 3 },
      { treatments: 20, expectedResponses: 3 },
    ];
    expect(rollingAnswerRate(daily, 2)).toEqual([null, 0.1, 0.15, 0.2]);
    expect(rollingAnswerRate([{ treatments: 5, expectedResponses: 1 }, { treatments: 5, expectedResponses: 1 }, { treatments: 5, expectedResponses: 1 }], 1)).toEqual([0.2, null, null]);
  });
});
