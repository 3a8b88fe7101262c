// The two reference runs a closed-loop run is compared with, on the same scenario and action
// budget: traditional if-then automation (rules baseline) and the oracle that knows the market's
// hidden parameters (the ceiling). Both come from the simulator; revloop never sees its truth.
import { oraclePolicy, rulesBaselinePolicy, simulatePolicy, type ChoiceQuality, type MarketStats, type PolicyResult, type Scenario } from '@revloop/sandbox';

export interface ReferenceRun {
  final: { revenue: number; spend: number; cac: number; closed_won: number; treatments: number; opportunities: number };
  daily: { day: number; revenue: number; spend: number; pipelineOpen: number }[];
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
}

function run(scenario: Scenario, policy: Parameters<typeof simulatePolicy>[1], days: number, actionsPerDay: number): ReferenceRun {
  const daily: ReferenceRun['daily'] = [];
  const result = simulatePolicy(scenario, policy, {
    days,
    actionsPerDay,
    onDay: (day: number, s: MarketStats) => daily.push({ day, revenue: s.revenueClosedWon, spend: s.totalSpend, pipelineOpen: s.pipelineOpen }),
  });
  return {
    final: { revenue: result.revenue, spend: result.spend, cac: result.cac, closed_won: result.closedWon, treatments: result.treatments, opportunities: result.opportunities },
    daily,
    answerChance: result.answerChance,
    choices: result.choices,
    bySize: result.bySize,
    byFunnel: result.byFunnel,
    expectedRevenue: result.stats.expectedRevenueClosedWon,
  };
}

export function referenceRuns(scenario: Scenario, days: number, actionsPerDay: number): { baseline: ReferenceRun; oracle: ReferenceRun } {
  return { baseline: run(scenario, rulesBaselinePolicy(), days, actionsPerDay), oracle: run(scenario, oraclePolicy(), days, actionsPerDay) };
}
