import { describe, expect, it } from 'vitest';
import { oraclePolicy, simulatePolicy, SIZES, type SimMarket } from '../../src/market/index.js';
import { smallScenario } from './helpers.js';

// bySize says where a policy's treatments went and where its revenue came from, per company size.
describe('ground truth: breakdown by company size', () => {
  const scenario = smallScenario({ seed: 5, days: 60 });
  let market: SimMarket | undefined;
  const oracle = oraclePolicy();
  const run = simulatePolicy(scenario, (ctx) => ((market = ctx.market as SimMarket), oracle(ctx)), { days: 60, actionsPerDay: 20 });
  const rows = SIZES.map((s) => run.bySize[s]);
  const sum = (pick: (r: (typeof rows)[number]) => number) => rows.reduce((a, r) => a + pick(r), 0);

  it('adds up to the run’s totals: treatments, opportunities, deals and revenue', () => {
    expect(run.closedWon).toBeGreaterThan(0); // otherwise the sums below prove little
    expect(sum((r) => r.treatments)).toBe(run.treatments);
    expect(sum((r) => r.opportunities)).toBe(run.opportunities);
    expect(sum((r) => r.closedWon)).toBe(run.closedWon);
    expect(sum((r) => r.revenue)).toBeCloseTo(run.revenue, 6);
  });

  it('weights back to the run’s mean answer chance', () => {
    const weighted = sum((r) => r.answerChance * r.treatments) / sum((r) => r.treatments);
    expect(weighted).toBeCloseTo(run.answerChance, 12);
  });

  it('files accounts and opportunities under the size of their own account', () => {
    const pop = market!.population;
    const sizeOf = (accountId: string) => SIZES[pop.states[pop.accountIndex.get(accountId)!]!.size]!;
    const accounts = Object.fromEntries(SIZES.map((s) => [s, 0]));
    const opportunities = Object.fromEntries(SIZES.map((s) => [s, 0]));
    for (const s of pop.states) if (!s.deleted) accounts[SIZES[s.size]!]!++;
    for (const o of market!.opportunities) opportunities[sizeOf(o.accountId)]!++;
    for (const s of SIZES) {
      expect(run.bySize[s].accounts).toBe(accounts[s]);
      expect(run.bySize[s].opportunities).toBe(opportunities[s]);
    }
    // the default mix has every size: the per-size rows are not all in one place
    expect(SIZES.filter((s) => run.bySize[s].treatments > 0).length).toBeGreaterThan(1);
  });
});
