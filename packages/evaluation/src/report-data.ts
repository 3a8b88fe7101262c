// Everything a run report shows, computed once: the terminal summary, the --json document and
// the HTML report all read this.
import type { Scenario } from '@revloop/sandbox';
import type { ClosedLoopResult } from './loop/closed-loop.js';
import type { ReferenceRun, ReferenceRuns } from './reference/baselines.js';
import { compareLoop, policyTotals, RUN_BOOTSTRAP, type Comparison, type MeasureKey, type PolicyName } from './report/comparison.js';
import { horizonOf, type Horizon } from './report/horizon.js';
import { ANSWER_RATE_WINDOW_DAYS, rollingAnswerRate } from './report/answer-rate.js';

export interface RunReport {
  scenario: { seed: number; days: number; accounts: number };
  /** the horizon against the market's typical sales cycle: shorter, and revenue cannot appear yet */
  horizon: Horizon;
  /** loop, rules baseline, oracle and no action on the same market: each measure's total */
  policies: Record<PolicyName, Record<MeasureKey, number>>;
  /** the loop against the rules baseline and against no action, each with a paired 95% interval over accounts */
  comparisons: Comparison[];
  bootstrap: { unit: 'account'; accounts: number; resamples: number; seed: number; level: 0.95; kind: string };
  /** how the market reached revloop: 'connectors' (vendor emulators through the connectors) or 'direct' (in-process) */
  via: ClosedLoopResult['via'];
  /** what ingest wrote into the unified model and its failed stream syncs */
  ingest: { rows: number; failures: number };
  /** wall-clock seconds: the whole loop, and its ingest (not reproducible, unlike everything else) */
  timing: { seconds: number; ingest_seconds: number };
  revenue: number;
  spend: number;
  cac: number | null;
  closed_won: number;
  opportunities: number;
  treatments: number;
  revenue_per_dollar: number;
  decisions: { total: number; per_second: number; executed: number; no_action: number; dropped: number; pending_approval: number; failed: number; deferred: number };
  by_channel: Record<string, number>;
  by_class: Record<string, number>;
  approvals: { approved: number; rejected: number };
  model_cost_usd: number;
  baseline: { revenue: number; spend: number; cac: number | null; closed_won: number; opportunities: number; revenue_per_dollar: number };
  oracle: { revenue: number; spend: number; cac: number | null; closed_won: number; opportunities: number; revenue_per_dollar: number };
  none: { revenue: number; spend: number; cac: number | null; closed_won: number; opportunities: number; revenue_per_dollar: number };
  /** closed-loop revenue per dollar vs the rules baseline's (1.3 = +30%); null while the baseline has no revenue (0/0 is no percentage) */
  lift_vs_baseline: number | null;
  /** closed-loop revenue as a share of the oracle's; null while the oracle has no revenue */
  share_of_oracle: number | null;
  daily: {
    day: number;
    date: string;
    revenue: number;
    spend: number;
    pipelineOpen: number;
    baselineRevenue: number;
    oracleRevenue: number;
    noneRevenue: number;
    executed: number;
    /** the trailing week's answer rate of each policy's treatments (hidden answer chance; null: no treatments that week) */
    answerRate: { loop: number | null; rules: number | null; oracle: number | null };
    learning: Record<string, Record<string, number>>;
  }[];
  /** days in the answer rate's trailing window */
  answer_rate_window_days: number;
}

const finite = (n: number) => (Number.isFinite(n) ? Math.round(n * 100) / 100 : null);
const perDollar = (revenue: number, spend: number) => (spend > 0 ? revenue / spend : 0);

const refFigures = (r: ReferenceRun) => {
  const rpd = perDollar(r.final.revenue, r.final.spend);
  return { revenue: Math.round(r.final.revenue), spend: Math.round(r.final.spend), cac: finite(r.final.cac), closed_won: r.final.closed_won, opportunities: r.final.opportunities, revenue_per_dollar: Math.round(rpd * 1000) / 1000 };
};

export function buildReport(loop: ClosedLoopResult, refs: ReferenceRuns, scenarioFile: Scenario, days: number): RunReport {
  const scenario = { seed: scenarioFile.seed, days, accounts: scenarioFile.accounts.count };
  const accounts = { loop: loop.market.groundTruth().byAccount(), rules: refs.baseline.accounts, oracle: refs.oracle.accounts, none: refs.none.accounts };
  const loopRate = rollingAnswerRate(loop.days);
  const rulesRate = rollingAnswerRate(refs.baseline.daily);
  const oracleRate = rollingAnswerRate(refs.oracle.daily);
  const rate = (x: number | null | undefined) => (x === null || x === undefined ? null : Math.round(x * 10000) / 10000);
  const sum = (f: (d: ClosedLoopResult['days'][number]) => number) => loop.days.reduce((a, d) => a + f(d), 0);
  const byChannel: Record<string, number> = {};
  const byClass: Record<string, number> = {};
  for (const d of loop.days) {
    for (const [k, v] of Object.entries(d.byChannel)) byChannel[k] = (byChannel[k] ?? 0) + v;
    for (const [k, v] of Object.entries(d.byClass)) byClass[k] = (byClass[k] ?? 0) + v;
  }
  const rpd = perDollar(loop.final.revenue, loop.final.spend);
  const baseRpd = perDollar(refs.baseline.final.revenue, refs.baseline.final.spend);
  return {
    scenario,
    horizon: horizonOf(scenarioFile, days),
    policies: policyTotals(accounts),
    comparisons: compareLoop(accounts, ['rules', 'none']),
    bootstrap: { unit: 'account', accounts: accounts.loop.accountIds.length, ...RUN_BOOTSTRAP, level: 0.95, kind: 'paired percentile: accounts resampled with replacement, each account\'s figures under both policies kept together' },
    via: loop.via,
    ingest: { rows: sum((d) => d.ingest.written), failures: sum((d) => d.ingest.failures.length) },
    timing: { seconds: Math.round(loop.seconds * 100) / 100, ingest_seconds: Math.round(sum((d) => d.ingest.ms) / 10) / 100 },
    revenue: Math.round(loop.final.revenue),
    spend: Math.round(loop.final.spend),
    cac: finite(loop.final.cac),
    closed_won: loop.final.closed_won,
    opportunities: loop.final.opportunities,
    treatments: loop.final.treatments,
    revenue_per_dollar: Math.round(rpd * 1000) / 1000,
    decisions: {
      total: loop.decisionsTotal,
      per_second: Math.round(loop.decisionsPerSecond),
      executed: sum((d) => d.decisions.executed),
      no_action: sum((d) => d.decisions.noAction),
      dropped: sum((d) => d.decisions.dropped),
      pending_approval: sum((d) => d.decisions.pendingApproval),
      failed: sum((d) => d.decisions.failed),
      deferred: sum((d) => d.decisions.deferred),
    },
    by_channel: byChannel,
    by_class: byClass,
    approvals: { approved: sum((d) => d.approvals.approved), rejected: sum((d) => d.approvals.rejected) },
    model_cost_usd: sum((d) => d.modelCostMicros) / 1e6,
    baseline: refFigures(refs.baseline),
    oracle: refFigures(refs.oracle),
    none: refFigures(refs.none),
    lift_vs_baseline: baseRpd > 0 ? Math.round((rpd / baseRpd) * 1000) / 1000 : null,
    share_of_oracle: refs.oracle.final.revenue > 0 ? Math.round((loop.final.revenue / refs.oracle.final.revenue) * 1000) / 1000 : null,
    daily: loop.days.map((d, i) => ({
      day: d.day,
      date: d.date,
      revenue: Math.round(d.revenue),
      spend: Math.round(d.spend),
      pipelineOpen: Math.round(d.pipelineOpen),
      baselineRevenue: Math.round(refs.baseline.daily[i]?.revenue ?? 0),
      oracleRevenue: Math.round(refs.oracle.daily[i]?.revenue ?? 0),
      noneRevenue: Math.round(refs.none.daily[i]?.revenue ?? 0),
      executed: d.decisions.executed,
      answerRate: { loop: rate(loopRate[i]), rules: rate(rulesRate[i]), oracle: rate(oracleRate[i]) },
      learning: d.learning.metrics,
    })),
    answer_rate_window_days: ANSWER_RATE_WINDOW_DAYS,
  };
}
