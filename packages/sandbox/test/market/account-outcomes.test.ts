import { describe, expect, it } from 'vitest';
import { ACCOUNT_FIGURES, oraclePolicy, simulatePolicy, type MarketEvent, type Policy } from '../../src/market/index.js';
import { smallScenario } from './helpers.js';

// byAccount says, per account, what a policy's treatments and the funnel did: the run reports'
// paired intervals resample these rows, so each must hold the account's own figures.
describe('ground truth: outcomes per account', () => {
  const scenario = smallScenario({ seed: 9, days: 75 });
  const oracle = oraclePolicy();
  // independent counts: what the oracle chose (its own answer chance and value of an answer) and
  // the opportunities the market emitted, per account
  const treated = new Map<string, { n: number; chance: number; value: number }>();
  const opps = new Map<string, { amount: number; accountId: string; won: boolean }>();
  let subscribed = false;
  const counting: Policy = (ctx) => {
    if (!subscribed) {
      subscribed = true;
      ctx.market.subscribe({ apply: (e: MarketEvent) => void (e.kind === 'opportunity' && opps.set(e.opportunity.id, { amount: e.opportunity.amount, accountId: e.opportunity.accountId, won: e.opportunity.isWon })) });
    }
    const out = oracle(ctx).slice(0, ctx.budget);
    const truth = ctx.market.groundTruth();
    for (const t of out) {
      const best = truth.bestAction(t.accountId)!;
      const row = treated.get(t.accountId) ?? { n: 0, chance: 0, value: 0 };
      row.n++;
      row.chance += best.probability;
      row.value += best.probability * best.responseValue;
      treated.set(t.accountId, row);
    }
    return out;
  };
  const run = simulatePolicy(scenario, counting, { days: 75, actionsPerDay: 15 });
  const acc = run.accounts;
  const sum = (f: (typeof ACCOUNT_FIGURES)[number]) => acc[f].reduce((a, b) => a + b, 0);

  it('has one row per account of the scenario, and adds up to the run totals', () => {
    expect(acc.accountIds).toHaveLength(scenario.accounts.count);
    expect(acc.accountIds[0]).toBe('acc_000001');
    expect(sum('treatments')).toBe(run.treatments);
    expect(sum('expectedResponses') / run.treatments).toBeCloseTo(run.answerChance, 10);
    expect(sum('opportunities')).toBe(run.opportunities);
    expect(sum('revenue')).toBeCloseTo(run.revenue, 6);
    expect(sum('expectedRevenue')).toBeCloseTo(run.stats.expectedRevenueClosedWon, 6);
    expect(sum('responses')).toBe(Object.values(run.stats.responses).reduce((a, b) => a + b, 0));
    expect(run.revenue).toBeGreaterThan(0); // the run is long enough to close deals
  });

  it('files each treatment, answer chance and value of an answer under the treated account', () => {
    for (const [i, id] of acc.accountIds.entries()) {
      const mine = treated.get(id) ?? { n: 0, chance: 0, value: 0 };
      expect(acc.treatments[i], id).toBe(mine.n);
      expect(acc.expectedResponses[i]!, id).toBeCloseTo(mine.chance, 10);
      expect(acc.expectedValue[i]!, id).toBeCloseTo(mine.value, 6);
    }
    expect(sum('expectedValue')).toBeGreaterThan(0);
  });

  it('files each opportunity (created, amount, won) under its account', () => {
    const byAccount = new Map<string, { n: number; pipeline: number; won: number }>();
    for (const o of opps.values()) {
      const row = byAccount.get(o.accountId) ?? { n: 0, pipeline: 0, won: 0 };
      row.n++;
      row.pipeline += o.amount;
      if (o.won) row.won += o.amount;
      byAccount.set(o.accountId, row);
    }
    for (const [i, id] of acc.accountIds.entries()) {
      const mine = byAccount.get(id) ?? { n: 0, pipeline: 0, won: 0 };
      expect(acc.opportunities[i], id).toBe(mine.n);
      expect(acc.pipelineCreated[i]!, id).toBeCloseTo(mine.pipeline, 6);
      expect(acc.revenue[i]!, id).toBeCloseTo(mine.won, 6);
    }
  });
});
