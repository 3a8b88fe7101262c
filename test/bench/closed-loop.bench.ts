// Issue "closed loop" benchmark: over 5 seeds of the default scenario (90 days), closed-won
// revenue per marketing dollar of revloop's closed loop vs the rules baseline (target >= +30%),
// the share of the oracle's revenue reached by day 90 (target >= 80%), decision throughput
// excluding connector I/O (target >= 2,000 account decisions/s), and 50,000 accounts decided
// within 1 GB RSS. The baseline and the oracle run on the same scenario and action budget.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadScenario, defaultScenarioPath, meanAnswerChance, SIZES, FUNNEL_STATES, type ChoiceQuality, type FunnelBreakdown, type FunnelState, type Scenario, type SizeBreakdown } from '@revloop/sandbox';
import { runClosedLoop, referenceRuns, defaultModels } from '@revloop/evaluation';
import { figure, type BenchFigure } from './figure.js';

const SEEDS = (process.env.BENCH_SEEDS ?? '1,2,3,4,5').split(',').map(Number);
const DAYS = Number(process.env.BENCH_DAYS ?? 90);
const BIG = Number(process.env.BENCH_BIG_ACCOUNTS ?? 50_000);
// 50 actions a day (2.5% of the default market's 2,000 accounts): at 10 a day the rules baseline's
// 900 treatments change no closed-won deal within 90 days on 4 of 5 seeds, so the comparison
// would measure nothing but the market.
const ACTIONS = Number(process.env.BENCH_ACTIONS ?? 50);
// The local models' sampling seeds per scenario seed ('scenario' = the scenario's own seed, as
// `revloop run` does). One run per seed by default; a few large deals decide each run's revenue,
// so comparing two versions of a model takes more: e.g. BENCH_SAMPLING_SEEDS=scenario,7,11,13.
const SAMPLING = (process.env.BENCH_SAMPLING_SEEDS ?? 'scenario').split(',').map((x) => x.trim());

function base(): Scenario {
  return loadScenario(readFileSync(fileURLToPath(defaultScenarioPath), 'utf8'));
}

async function loop(scenario: Scenario, days: number, actionsPerDay: number, samplingSeed = scenario.seed) {
  const dir = mkdtempSync(join(tmpdir(), 'revloop-bench-loop-'));
  const models = defaultModels(scenario);
  models.local = { ...models.local!, seed: samplingSeed };
  try {
    return await runClosedLoop({ scenario, days, dir, actionsPerDay, models, reviewer: 'approve' });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export default async function (): Promise<BenchFigure[]> {
  const perSeed: { seed: number; sampling: number; rpd: number; baseRpd: number; revenue: number; baseline: number; oracle: number; expected: number; oracleExpected: number; noAction: number; dps: number; answer: number; oracleAnswer: number; choices: ChoiceQuality; oracleChoices: ChoiceQuality; bySize: Record<string, SizeBreakdown>; oracleBySize: Record<string, SizeBreakdown>; byFunnel: Record<FunnelState, FunnelBreakdown>; oracleByFunnel: Record<FunnelState, FunnelBreakdown> }[] = [];
  for (const seed of SEEDS) {
    const scenario = { ...base(), seed };
    const refs = referenceRuns(scenario, DAYS, ACTIONS);
    // the market on its own (same seed): what no policy can take credit for
    const noAction = refs.none.final.revenue;
    for (const s of SAMPLING) {
      const sampling = s === 'scenario' ? seed : Number(s);
      const result = await loop(scenario, DAYS, ACTIONS, sampling);
      perSeed.push({
        seed,
        sampling,
        rpd: result.final.revenue / result.final.spend,
        baseRpd: refs.baseline.final.revenue / refs.baseline.final.spend,
        revenue: result.final.revenue,
        baseline: refs.baseline.final.revenue,
        oracle: refs.oracle.final.revenue,
        expected: result.market.stats().expectedRevenueClosedWon,
        oracleExpected: refs.oracle.expectedRevenue,
        noAction,
        dps: result.decisionsPerSecond,
        answer: meanAnswerChance(result.market),
        oracleAnswer: refs.oracle.answerChance,
        choices: result.market.groundTruth().choiceQuality(),
        oracleChoices: refs.oracle.choices,
        bySize: result.market.groundTruth().bySize(),
        oracleBySize: refs.oracle.bySize,
        byFunnel: result.market.groundTruth().byFunnel(),
        oracleByFunnel: refs.oracle.byFunnel,
      });
      const last = perSeed[perSeed.length - 1]!;
      process.stderr.write(`seed ${seed} (sampling ${sampling}): revenue ${Math.round(last.revenue)} (baseline ${Math.round(last.baseline)}, oracle ${Math.round(last.oracle)}, no action ${Math.round(last.noAction)}; without the final win draws' luck ${Math.round(last.expected)}, oracle ${Math.round(last.oracleExpected)}), answer chance ${last.answer.toFixed(4)} (${describeChoices(last.choices)}), ${Math.round(result.decisionsPerSecond)} decisions/s\n  ${describeSizes(last.bySize, last.oracleBySize)}\n  ${describeFunnel(last.byFunnel, last.oracleByFunnel)}\n`);
    }
  }
  const mean = (f: (s: (typeof perSeed)[number]) => number) => perSeed.reduce((a, s) => a + f(s), 0) / perSeed.length;
  const rpd = mean((s) => s.rpd);
  const baseRpd = mean((s) => s.baseRpd);
  const revenue = mean((s) => s.revenue);
  const oracle = mean((s) => s.oracle);
  const noAction = mean((s) => s.noAction);
  // a few large deals decide each seed's revenue (per seed it moves by ±$250k between runs whose
  // decisions are equally good), so the share is reported with its spread over the seeds
  const shares = perSeed.map((s) => s.revenue / s.oracle);
  const answer = mean((s) => s.answer);
  const choices = (pick: (s: (typeof perSeed)[number]) => ChoiceQuality) =>
    Object.fromEntries((['channel', 'hour', 'topic', 'contact'] as const).map((k) => [k, Math.round(mean((s) => pick(s)[k]) * 1000) / 1000]));
  const shareSpread = interval95(shares);
  // per company size, the loop's and the oracle's mean over the runs: where the revenue gap is
  const bySize = Object.fromEntries(
    SIZES.map((size) => {
      const m = (pick: (s: (typeof perSeed)[number]) => Record<string, SizeBreakdown>, k: keyof SizeBreakdown) => Math.round(mean((s) => pick(s)[size]![k]) * 1000) / 1000;
      return [size, { revenue: m((s) => s.bySize, 'revenue'), oracle_revenue: m((s) => s.oracleBySize, 'revenue'), opportunities: m((s) => s.bySize, 'opportunities'), oracle_opportunities: m((s) => s.oracleBySize, 'opportunities'), treatments: m((s) => s.bySize, 'treatments'), oracle_treatments: m((s) => s.oracleBySize, 'treatments'), answer_chance: m((s) => s.bySize, 'answerChance'), oracle_answer_chance: m((s) => s.oracleBySize, 'answerChance') }];
    }),
  );
  // per funnel state of the treated account, the loop's and the oracle's mean treatments (and how
  // many went to enterprise accounts) and answer chance: whether the budget goes where an answer
  // is worth most (open deals)
  const byFunnel = Object.fromEntries(
    FUNNEL_STATES.map((f) => {
      const m = (pick: (s: (typeof perSeed)[number]) => number) => Math.round(mean(pick) * 1000) / 1000;
      return [f, { treatments: m((s) => s.byFunnel[f].treatments), oracle_treatments: m((s) => s.oracleByFunnel[f].treatments), enterprise_treatments: m((s) => s.byFunnel[f].bySize.enterprise), oracle_enterprise_treatments: m((s) => s.oracleByFunnel[f].bySize.enterprise), answer_chance: m((s) => s.byFunnel[f].answerChance), oracle_answer_chance: m((s) => s.oracleByFunnel[f].answerChance) }];
    }),
  );

  // throughput and memory at scale: one day of decisions over a 50,000-account market
  const big = { ...base(), seed: 99, accounts: { ...base().accounts, count: BIG } } as Scenario;
  global.gc?.();
  const rssBefore = process.memoryUsage().rss;
  let peak = rssBefore;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 25);
  const bigRun = await loop(big, 3, BIG);
  clearInterval(sampler);
  peak = Math.max(peak, process.memoryUsage().rss);

  return [
    figure('closed_loop_revenue_per_dollar', rpd, '$ closed-won per $ spent', baseRpd, { baseline_name: 'rules baseline (same scenario, same action budget)', seeds: SEEDS, days: DAYS, actions_per_day: ACTIONS, target_ratio: 1.3, per_seed: perSeed }),
    figure('closed_loop_share_of_oracle', revenue, '$ closed-won', oracle, { baseline_name: 'oracle policy (knows the hidden parameters)', target_ratio: 0.8, actions_per_day: ACTIONS, sampling_seeds: SAMPLING, per_seed_share: shares.map((x) => Math.round(x * 1000) / 1000), per_seed_share_ci95: shareSpread, by_size: bySize, by_funnel: byFunnel }),
    // the hidden answer chance of the loop's treatments: what its channel, hour, topic and contact
    // choices were worth, without the luck of which answers came and which deals followed. A guide
    // with far less spread than revenue when two versions are compared. The oracle's is lower than
    // it could be: it trades answer chance for value by treating its best accounts again and again.
    // `choices`: what each of the loop's choices kept of the best one for the same account (1 = the
    // best), so that the figure says where the answer chance is lost.
    figure('closed_loop_answer_chance', answer, 'mean answer chance per treatment', mean((s) => s.oracleAnswer), { baseline_name: 'oracle policy (same scenario, same action budget)', per_run: perSeed.map((s) => Math.round(s.answer * 10000) / 10000), choices: choices((s) => s.choices), oracle_choices: choices((s) => s.oracleChoices) }),
    // the same share with each deal's final win draw replaced by its chance (amount × win rate at
    // that moment): a run's revenue turns on a few large deals' coin flips, and this figure keeps
    // what the policy did to bring deals to the draw, and with how much intent, without the flip
    figure('closed_loop_share_of_oracle_expected', mean((s) => s.expected), '$ expected closed-won', mean((s) => s.oracleExpected), { baseline_name: 'oracle policy, the same expectation', target_ratio: 0.8, per_seed_share: perSeed.map((s) => Math.round((s.expected / s.oracleExpected) * 1000) / 1000) }),
    // the same share counting only what each policy added to the market's own revenue
    figure('closed_loop_share_of_oracle_uplift', revenue - noAction, '$ closed-won over no action', oracle - noAction, { baseline_name: 'oracle uplift over no action', no_action_revenue: noAction }),
    figure('decision_throughput', mean((s) => s.dps), 'account decisions/s', 2000, { baseline_name: 'target (2,000/s)', excludes: 'vendor I/O (direct market ingest and execution)' }),
    figure('decision_throughput_50k', bigRun.decisionsPerSecond, 'account decisions/s', 2000, { baseline_name: 'target (2,000/s)', accounts: BIG, decisions: bigRun.decisionsTotal }),
    figure('decisions_50k_peak_rss', peak / 1024 / 1024, 'MB', 1024, { baseline_name: 'target (1 GB)', accounts: BIG }),
  ];
}

function describeChoices(c: ChoiceQuality): string {
  return `choices kept of the best: channel ${c.channel.toFixed(2)}, hour ${c.hour.toFixed(2)}, topic ${c.topic.toFixed(2)}, contact ${c.contact.toFixed(2)}`;
}

function describeSizes(loop: Record<string, SizeBreakdown>, oracle: Record<string, SizeBreakdown>): string {
  const k = (x: number) => `$${Math.round(x / 1000)}k`;
  return 'by size (loop / oracle): ' + SIZES.map((s) => `${s} ${k(loop[s]!.revenue)} / ${k(oracle[s]!.revenue)} from ${loop[s]!.opportunities} / ${oracle[s]!.opportunities} opportunities, ${loop[s]!.treatments} / ${oracle[s]!.treatments} treatments`).join('; ');
}

function describeFunnel(loop: Record<FunnelState, FunnelBreakdown>, oracle: Record<FunnelState, FunnelBreakdown>): string {
  return 'treatments by funnel state when treated (loop / oracle, of which enterprise): ' + FUNNEL_STATES.filter((f) => loop[f].treatments + oracle[f].treatments > 0).map((f) => `${f} ${loop[f].treatments} / ${oracle[f].treatments} (${loop[f].bySize.enterprise} / ${oracle[f].bySize.enterprise})`).join('; ');
}

/** a 95% interval of the mean of `xs` (Student t), rounded to 3 places */
function interval95(xs: number[]): [number, number] {
  const n = xs.length;
  const m = xs.reduce((a, b) => a + b, 0) / n;
  if (n < 2) return [m, m];
  const sd = Math.sqrt(xs.reduce((a, x) => a + (x - m) ** 2, 0) / (n - 1));
  const t = [12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262][n - 2] ?? 1.96;
  const r = (x: number) => Math.round(x * 1000) / 1000;
  return [r(m - (t * sd) / Math.sqrt(n)), r(m + (t * sd) / Math.sqrt(n))];
}
