import { describe, expect, it } from 'vitest';
import { FUNNEL_STATES, oraclePolicy, simulatePolicy, SIZES, type Policy, type SimMarket } from '../../src/market/index.js';
import { smallScenario } from './helpers.js';

// byFunnel says in which funnel state the treated accounts were when a policy treated them.
describe('ground truth: breakdown by funnel state', () => {
  const scenario = smallScenario({ seed: 5, days: 60 });
  const oracle = oraclePolicy();
  // an independent count: the funnel state of each account a treatment goes to, read from the
  // market when the policy returns (the harness applies the treatments right after, and a
  // treatment changes no account's funnel state)
  const counted = Object.fromEntries(FUNNEL_STATES.map((f) => [f, Object.fromEntries(SIZES.map((s) => [s, 0]))]));
  const counting: Policy = (ctx) => {
    const out = oracle(ctx).slice(0, ctx.budget);
    const pop = (ctx.market as SimMarket).population;
    for (const t of out) {
      const s = pop.states[pop.accountIndex.get(t.accountId)!]!;
      counted[FUNNEL_STATES[s.funnel]!]![SIZES[s.size]!]!++;
    }
    return out;
  };
  const run = simulatePolicy(scenario, counting, { days: 60, actionsPerDay: 20 });
  const rows = FUNNEL_STATES.map((f) => run.byFunnel[f]);

  it('files every treatment under the funnel state and size its account had when treated', () => {
    for (const f of FUNNEL_STATES) expect(run.byFunnel[f].bySize).toEqual(counted[f]);
    expect(rows.reduce((a, r) => a + r.treatments, 0)).toBe(run.treatments);
    // the oracle treats open deals and accounts outside the funnel alike: not all in one row
    expect(rows.filter((r) => r.treatments > 0).length).toBeGreaterThan(1);
    expect(run.byFunnel.opportunity.treatments).toBeGreaterThan(0);
  });

  it('weights back to the run’s mean answer chance', () => {
    const weighted = rows.reduce((a, r) => a + r.answerChance * r.treatments, 0) / run.treatments;
    expect(weighted).toBeCloseTo(run.answerChance, 12);
  });
});
