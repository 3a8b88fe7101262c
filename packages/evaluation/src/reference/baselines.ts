// The reference runs a closed-loop run is compared with, on the same scenario and action budget
// (common random numbers): traditional if-then automation (rules baseline), the oracle that knows
// the market's hidden parameters (the ceiling), and no action (the market on its own). All come
// from the simulator; revloop never sees its truth.
import {
  noActionPolicy, oraclePolicy, rulesBaselinePolicy, simulatePolicy,
  type AccountOutcomes, type ChoiceQuality, type MarketStats, type Policy, type PolicyResult, type Scenario,
} from '@revloop/sandbox';
import { expectedResponsesSoFar } from '../market-truth.js';

export interface ReferenceRun {
  final: { revenue: number; spend: number; cac: number; closed_won: number; treatments: number; opportunities: number };
  /** cumulative figures after each day; `expectedResponses`: the hidden answer chances of the treatments so far */
  daily: { day: number; revenue: number; spend: number; pipelineOpen: number; treatments: number; expectedResponses: number }[];
  /** mean hidden answer chance of the run's treatments (benchmarks; a policy never sees it) */
  answerChance: number;
  /** how good its channel, hour, topic and contact choices were (benchmarks) */
  choices: ChoiceQuality;
  /** treatments, answer chance, opportunities and revenue per company size (benchmarks) */
  bySize: PolicyResult['bySize'];
  /** treatments and answer chance per funnel state of the treated account (benchmarks) */
  byFunnel: PolicyResult['byFunnel'];
  /** closed-won revenue with each deal's final win draw replaced by its chance (MarketStats.expectedRevenueClosedWon; benchmarks) */
  expectedRevenue: number;
  /** per account: what the run did and won (the paired intervals of a run report resample these) */
  accounts: AccountOutcomes;
}

export interface ReferenceRuns {
  baseline: ReferenceRun;
  oracle: ReferenceRun;
  none: ReferenceRun;
}

function run(scenario: Scenario, policy: Policy, days: number, actionsPerDay: number): ReferenceRun {
  const daily: ReferenceRun['daily'] = [];
  // the policy is asked after each simulated day, before that day's treatments: what it sees is
  // the answer chance summed through the previous day
  const before: number[] = [];
  const watched: Policy = (ctx) => {
    before.push(expectedResponsesSoFar(ctx.market));
    return policy(ctx);
  };
  const result = simulatePolicy(scenario, watched, {
    days,
    actionsPerDay,
    onDay: (day: number, s: MarketStats) => daily.push({ day, revenue: s.revenueClosedWon, spend: s.totalSpend, pipelineOpen: s.pipelineOpen, treatments: Object.values(s.treatments).reduce((a, b) => a + b, 0), expectedResponses: 0 }),
  });
  const total = result.accounts.expectedResponses.reduce((a, b) => a + b, 0);
  daily.forEach((d, i) => (d.expectedResponses = before[i + 1] ?? total));
  return {
    final: { revenue: result.revenue, spend: result.spend, cac: result.cac, closed_won: result.closedWon, treatments: result.treatments, opportunities: result.opportunities },
    daily,
    answerChance: result.answerChance,
    choices: result.choices,
    bySize: result.bySize,
    byFunnel: result.byFunnel,
    expectedRevenue: result.stats.expectedRevenueClosedWon,
    accounts: result.accounts,
  };
}

export function referenceRuns(scenario: Scenario, days: number, actionsPerDay: number): ReferenceRuns {
  return {
    baseline: run(scenario, rulesBaselinePolicy(), days, actionsPerDay),
    oracle: run(scenario, oraclePolicy(), days, actionsPerDay),
    none: run(scenario, noActionPolicy, days, actionsPerDay),
  };
}
