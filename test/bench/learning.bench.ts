// Issue #23 "Measurement with power": does the closed loop's learning hold on markets nobody tuned
// on? On N generated markets (generateScenario(seed), a fresh seed range each run unless
// BENCH_LEARNING_SEEDS names one), the loop (runClosedLoop's session, 'direct', default models),
// the rules baseline, the oracle and no action run on the same scenario seed (common random
// numbers: every run builds its market with createMarket(scenario), whose draws are keyed by
// account, episode and stage), at the main job's action budget and at a tighter one. Figures move
// with the policy, not with a few deals' coin flips: expected closed-won (each deal's final win
// draw replaced by its chance), with realized revenue beside it. Every overall figure carries a
// paired 95% bootstrap interval over markets (2,000 seeded resamples); per market, the point
// figure.
//
//   BENCH_LEARNING_MARKETS (24)   markets, when no seed range is given
//   BENCH_LEARNING_SEEDS          <start>..<end> (or a comma list): reproduces a run
//   BENCH_LEARNING_DAYS (90)      days of every market (the generator's days range is pinned)
//   BENCH_LEARNING_ACCOUNTS       override the generated account count (quick runs)
//   BENCH_LEARNING_ACTIONS (10)   the main job's daily action budget
//   BENCH_LEARNING_TIGHT (5)      the tighter budget ('' or 0: not run)
//   BENCH_LEARNING_RESAMPLES (2000), BENCH_LEARNING_BOOT_SEED (23)
import { randomInt } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  generateScenario, meanAnswerChance, noActionPolicy, oraclePolicy, rulesBaselinePolicy, simulatePolicy,
  type AccountOutcomes, type ChoiceQuality, type GeneratorRanges, type Market, type MarketStats, type Policy, type Scenario,
} from '@revloop/sandbox';
import { bootstrapCI, defaultModels, incrementalShare, meanDefined, parseSeeds, quantile, ratioOfMeans, startClosedLoop } from '@revloop/evaluation';
import { figure, type BenchFigure } from './figure.js';

const DAYS = Number(process.env.BENCH_LEARNING_DAYS ?? 90);
const ACCOUNTS = process.env.BENCH_LEARNING_ACCOUNTS ? Number(process.env.BENCH_LEARNING_ACCOUNTS) : undefined;
const ACTIONS = Number(process.env.BENCH_LEARNING_ACTIONS ?? 10);
const TIGHT = Number(process.env.BENCH_LEARNING_TIGHT ?? 5);
const RESAMPLES = Number(process.env.BENCH_LEARNING_RESAMPLES ?? 2000);
const BOOT_SEED = Number(process.env.BENCH_LEARNING_BOOT_SEED ?? 23);
const LAST = 30;
/** a reset counts as the detection of a drift event when it comes within this many days of it */
const DETECT_WINDOW = 30;

function seeds(): { list: number[]; spec: string; fresh: boolean } {
  const given = process.env.BENCH_LEARNING_SEEDS;
  if (given) return { list: parseSeeds(given), spec: given.trim(), fresh: false };
  const n = Number(process.env.BENCH_LEARNING_MARKETS ?? 24);
  // a fresh range each run, far above the small seeds (gen:1.., gen:1042, …) that tests, docs and
  // tuning use
  const start = randomInt(1_000_000, 0xffffffff - n);
  return { list: Array.from({ length: n }, (_, i) => start + i), spec: `${start}..${start + n - 1}`, fresh: true };
}

function scenarioOf(seed: number): Scenario {
  const ranges: Partial<GeneratorRanges> = { days: { min: DAYS, max: DAYS } };
  if (ACCOUNTS !== undefined) ranges.accounts = { min: ACCOUNTS, max: ACCOUNTS };
  return generateScenario(seed, ranges);
}

interface Run {
  expected: number;
  /** expected closed-won gained in the last 30 days (whole horizon when it is shorter) */
  expectedLast: number;
  /** expected closed-won + open pipeline $ at the horizon (open deals unweighted by their win chance) */
  pipelineValue: number;
  /** the same gained in the last 30 days */
  pipelineValueLast: number;
  revenue: number;
  spend: number;
  treatments: number;
  opportunities: number;
  pipelineOpen: number;
  answerChance: number;
  /** the sum of the treatments' hidden answer chances */
  expectedResponses: number;
  choices: ChoiceQuality;
}

function lastWindow(daily: number[]): number {
  const end = daily[daily.length - 1] ?? 0;
  const startIdx = daily.length - 1 - LAST;
  return startIdx >= 0 ? end - daily[startIdx]! : end;
}

function summarize(s: MarketStats, daily: number[], dailyPipe: number[], answerChance: number, choices: ChoiceQuality): Run {
  const treatments = Object.values(s.treatments).reduce((a, b) => a + b, 0);
  return {
    expected: s.expectedRevenueClosedWon,
    expectedLast: lastWindow(daily),
    pipelineValue: s.expectedRevenueClosedWon + s.pipelineOpen,
    pipelineValueLast: lastWindow(dailyPipe),
    revenue: s.revenueClosedWon,
    spend: s.totalSpend,
    treatments,
    opportunities: s.opportunitiesCreated,
    pipelineOpen: s.pipelineOpen,
    answerChance,
    expectedResponses: answerChance * treatments,
    choices,
  };
}

function simulate(scenario: Scenario, policy: Policy, budget: number): Run {
  const daily: number[] = [];
  const dailyPipe: number[] = [];
  const r = simulatePolicy(scenario, policy, {
    days: DAYS,
    actionsPerDay: budget,
    onDay: (_d, s) => {
      daily.push(s.expectedRevenueClosedWon);
      dailyPipe.push(s.expectedRevenueClosedWon + s.pipelineOpen);
    },
  });
  return summarize(r.stats, daily, dailyPipe, r.answerChance, r.choices);
}

interface Drift {
  day: number;
  kind: string;
  /** days from the drift to the change detector's next reset within the window (undefined: none) */
  delay?: number;
}

/**
 * A challenger learner run beside the default on the same markets (same run, common random
 * numbers): BENCH_LEARNING_COMPARE='{"sendHours":[8,11,14,17]}' merges these settings into the
 * local models' config. Reported as `learning_challenger_*`: the default's lead over it, paired.
 */
const COMPARE = process.env.BENCH_LEARNING_COMPARE ? (JSON.parse(process.env.BENCH_LEARNING_COMPARE) as Record<string, unknown>) : undefined;

async function loop(scenario: Scenario, budget: number, localOverrides: Record<string, unknown> = {}): Promise<Run & { drift: Drift[]; resets: number; falseResets: number; resetDays: number[]; decomposition: Decomposition }> {
  const dir = mkdtempSync(join(tmpdir(), 'revloop-bench-learning-'));
  const models = defaultModels(scenario);
  // the decomposition's day starts when the workflow decides (the market has moved to the new day)
  let before: DayStart | undefined;
  let source: { market: Market } | undefined;
  const onStep = (step: string) => {
    if (step === 'decide' && source) before = dayStart(source.market, budget);
  };
  const session = await startClosedLoop({ scenario, dir, actionsPerDay: budget, models: { ...models, local: { ...models.local, ...localOverrides } }, reviewer: 'approve', via: 'direct', onStep });
  source = session.source;
  const daily: number[] = [];
  const dailyPipe: number[] = [];
  const resetsByDay: number[] = [];
  let resets = 0;
  const market = session.source.market;
  const decomposition: Decomposition = { oracleTop: 0, accountBest: 0, actual: 0 };
  try {
    for (let d = 0; d < DAYS; d++) {
      before = undefined;
      const rec = await session.step();
      if (before) addDay(decomposition, before, market.groundTruth().byAccount());
      const st = session.source.market.stats();
      daily.push(st.expectedRevenueClosedWon);
      dailyPipe.push(st.expectedRevenueClosedWon + st.pipelineOpen);
      // the local models' change detector: a cumulative count in the channel model's update metrics
      let seen: number | undefined;
      for (const m of Object.values(rec.learning.metrics)) if (typeof m.changeResets === 'number') seen = (seen ?? 0) + m.changeResets;
      if (seen !== undefined) resets = Math.max(resets, seen);
      resetsByDay.push(resets);
    }
  } finally {
    await session.close();
    rmSync(dir, { recursive: true, force: true });
  }
  const truth = market.groundTruth();
  const run = summarize(market.stats(), daily, dailyPipe, meanAnswerChance(market), truth.choiceQuality());
  // days on which the detector reset something
  const resetDays: number[] = [];
  for (let d = 0; d < resetsByDay.length; d++) if (resetsByDay[d]! > (d ? resetsByDay[d - 1]! : 0)) resetDays.push(d);
  const drift: Drift[] = truth.driftEvents().map((e) => {
    const hit = resetDays.find((d) => d >= e.day && d - e.day <= DETECT_WINDOW);
    return { day: e.day, kind: e.event.kind, delay: hit === undefined ? undefined : hit - e.day };
  });
  const falseResets = resetDays.filter((d) => !drift.some((e) => d >= e.day && d - e.day <= DETECT_WINDOW)).length;
  return { ...run, drift, resets, falseResets, resetDays, decomposition };
}

/**
 * Where the loop's treatments lose against the oracle, summed over days, in hidden expected value
 * of an answer (answer chance × what an answer is worth): `oracleTop`, the oracle's pick of the day
 * (the budget's best accounts, each with its best treatment); `accountBest`, the accounts the loop
 * treated, each with its best treatment; `actual`, the loop's treatments as sent. accountBest /
 * oracleTop is how well it chose whom to treat; actual / accountBest how well it chose how
 * (contact, channel, hour, topic) — their product is its share of the day-by-day oracle.
 */
interface Decomposition {
  oracleTop: number;
  accountBest: number;
  actual: number;
}

interface DayStart {
  best: Map<string, number>;
  oracleTop: number;
  outcomes: AccountOutcomes;
}

/** the state a day starts from: every account's best treatment, before the loop decides */
function dayStart(market: Market, budget: number): DayStart {
  const truth = market.groundTruth();
  const outcomes = truth.byAccount();
  const best = new Map<string, number>();
  const ranked: { ev: number; gross: number }[] = [];
  for (const id of outcomes.accountIds) {
    const b = truth.bestAction(id);
    if (!b) continue;
    best.set(id, b.probability * b.responseValue);
    if (b.expectedValue > 0) ranked.push({ ev: b.expectedValue, gross: b.probability * b.responseValue });
  }
  ranked.sort((a, b) => b.ev - a.ev);
  return { best, oracleTop: ranked.slice(0, budget).reduce((a, r) => a + r.gross, 0), outcomes };
}

function addDay(into: Decomposition, day: DayStart, after: AccountOutcomes): void {
  into.oracleTop += day.oracleTop;
  for (let i = 0; i < after.accountIds.length; i++) {
    const treated = after.treatments[i]! - day.outcomes.treatments[i]!;
    if (treated <= 0) continue;
    into.accountBest += treated * (day.best.get(after.accountIds[i]!) ?? 0);
    into.actual += after.expectedValue[i]! - day.outcomes.expectedValue[i]!;
  }
}

interface MarketRow {
  seed: number;
  accounts: number;
  drift: number;
  budget: number;
  none: Run;
  rules: Run;
  oracle: Run;
  loop: Awaited<ReturnType<typeof loop>>;
  /** the challenger learner (BENCH_LEARNING_COMPARE), when asked for */
  challenger?: Awaited<ReturnType<typeof loop>>;
}

type Policyname = 'loop' | 'rules' | 'oracle' | 'none' | 'challenger';

/**
 * The value measures a share is computed on. `expected`: expected closed-won (the issue's figure);
 * on generated markets its long sales cycles leave it near zero for every policy within 90 days,
 * so `pipeline` (expected closed-won + open pipeline $, open deals unweighted by their chance) and
 * `opportunities` (created) are reported beside it: they move with the policy within the horizon.
 */
const MEASURES = {
  expected: { what: 'expected closed-won $', all: (r: Run) => r.expected, last: (r: Run) => r.expectedLast },
  pipeline: { what: 'expected closed-won + open pipeline $', all: (r: Run) => r.pipelineValue, last: (r: Run) => r.pipelineValueLast },
  opportunities: { what: 'opportunities created', all: (r: Run) => r.opportunities, last: undefined },
} as const;
type Measure = keyof typeof MEASURES;

const r3 = (x: number | undefined) => (x === undefined || !Number.isFinite(x) ? undefined : Math.round(x * 1000) / 1000);
const ci3 = (ci: [number, number] | undefined) => (ci ? [r3(ci[0])!, r3(ci[1])!] : undefined);
const choiceMean = (c: ChoiceQuality) => (c.channel + c.hour + c.topic + c.contact) / 4;
const share = (r: MarketRow, p: Policyname, f: (x: Run) => number) => incrementalShare(f(r[p]!), f(r.none), f(r.oracle));
const perDollar = (r: MarketRow, p: Policyname, f: (x: Run) => number) => (r[p]!.spend ? f(r[p]!) / r[p]!.spend : 0);

export default async function (): Promise<BenchFigure[]> {
  const { list, spec, fresh } = seeds();
  const budgets = [ACTIONS, ...(TIGHT > 0 && TIGHT !== ACTIONS ? [TIGHT] : [])];
  process.stderr.write(`learning: ${list.length} generated markets, seeds ${spec}${fresh ? ' (fresh; reproduce with BENCH_LEARNING_SEEDS=' + spec + ')' : ''}, ${DAYS} days, accounts ${ACCOUNTS ?? 'as generated'}, budgets ${budgets.join(' and ')} a day\n`);
  const rows: Record<number, MarketRow[]> = Object.fromEntries(budgets.map((b) => [b, []]));
  const started = Date.now();
  for (const [i, seed] of list.entries()) {
    const scenario = scenarioOf(seed);
    const none = simulate(scenario, noActionPolicy, ACTIONS);
    for (const budget of budgets) {
      const rules = simulate(scenario, rulesBaselinePolicy(), budget);
      const oracle = simulate(scenario, oraclePolicy(), budget);
      const l = await loop(scenario, budget);
      const challenger = COMPARE ? await loop(scenario, budget, COMPARE) : undefined;
      const row: MarketRow = { seed, accounts: scenario.accounts.count, drift: scenario.drift.length, budget, none, rules, oracle, loop: l, ...(challenger ? { challenger } : {}) };
      rows[budget]!.push(row);
      const k = (x: number) => `$${Math.round(x / 1000)}k`;
      const f = (x: number | undefined) => (x === undefined ? 'n/a' : x.toFixed(2));
      const pv = MEASURES.pipeline.all;
      process.stderr.write(
        `market ${i + 1}/${list.length} seed ${seed} (${row.accounts} accounts, ${row.drift} drift) budget ${budget}: ` +
          `expected closed-won loop ${k(l.expected)} rules ${k(rules.expected)} oracle ${k(oracle.expected)} none ${k(none.expected)} (share ${f(share(row, 'loop', MEASURES.expected.all))}); ` +
          `+pipeline loop ${k(pv(l))} rules ${k(pv(rules))} oracle ${k(pv(oracle))} none ${k(pv(none))} (share ${f(share(row, 'loop', pv))}, last ${LAST} d ${f(share(row, 'loop', MEASURES.pipeline.last))}, rules ${f(share(row, 'rules', pv))}); ` +
          `opportunities ${l.opportunities}/${rules.opportunities}/${oracle.opportunities}/${none.opportunities}; realized loop ${k(l.revenue)} rules ${k(rules.revenue)} oracle ${k(oracle.revenue)} none ${k(none.revenue)}; ` +
          `resets ${l.resets} (false ${l.falseResets}); ${challenger ? `challenger +pipeline ${k(pv(challenger))} (share ${f(share(row, 'challenger', pv))}, hour quality ${challenger.choices.hour.toFixed(2)} vs ${l.choices.hour.toFixed(2)}, answer chance ${challenger.answerChance.toFixed(3)} vs ${l.answerChance.toFixed(3)}, resets ${challenger.resets} (false ${challenger.falseResets}, drift days ${l.drift.map((e) => e.day).join('/') || '-'}, challenger reset days ${challenger.resetDays.join('/') || '-'})); ` : ''}${Math.round((Date.now() - started) / 1000)} s\n`,
      );
    }
  }

  const boot = <T>(units: readonly T[], stat: (s: readonly T[]) => number | undefined) => ci3(bootstrapCI(units, stat, { resamples: RESAMPLES, seed: BOOT_SEED }));
  const common = (budget: number) => ({ markets: list.length, seeds: spec, days: DAYS, accounts: ACCOUNTS ?? 'generated', actions_per_day: budget, bootstrap: { resamples: RESAMPLES, seed: BOOT_SEED, kind: 'paired percentile, markets resampled with replacement' } });
  const out: BenchFigure[] = [];
  for (const budget of budgets) {
    const rs = rows[budget]!;
    const tag = `_a${budget}`;
    const mean = (f: (r: MarketRow) => number) => rs.reduce((a, r) => a + f(r), 0) / rs.length;
    for (const [m, def] of Object.entries(MEASURES) as [Measure, (typeof MEASURES)[Measure]][]) {
      const suffix = m === 'expected' ? '' : `_${m}`;
      const windows: [string, (x: Run) => number, number, string][] = [['', def.all, 0.65, `${DAYS} days`]];
      if (def.last) windows.push(['_last30', def.last, 0.75, `last ${LAST} days`]);
      for (const [w, f, target, span] of windows) {
        const pick = (r: MarketRow) => share(r, 'loop', f);
        const rulesPick = (r: MarketRow) => share(r, 'rules', f);
        out.push(figure(`learning_share_of_oracle_incremental${suffix}${w}${tag}`, meanDefined(rs.map(pick)) ?? NaN, `mean over markets of (loop − none) / (oracle − none), ${def.what}, ${span}`, 1, {
          ...common(budget),
          baseline_name: 'the oracle (share 1)',
          target,
          ci95: boot(rs, (s) => meanDefined(s.map(pick))),
          markets_defined: rs.filter((r) => pick(r) !== undefined).length,
          markets_undefined: rs.filter((r) => pick(r) === undefined).map((r) => r.seed),
          pooled_share: r3(ratioOfMeans(rs, (r) => f(r.loop) - f(r.none), (r) => f(r.oracle) - f(r.none))),
          pooled_share_ci95: boot(rs, (s) => ratioOfMeans(s, (r) => f(r.loop) - f(r.none), (r) => f(r.oracle) - f(r.none))),
          rules_mean_share: r3(meanDefined(rs.map(rulesPick))),
          rules_ci95: boot(rs, (s) => meanDefined(s.map(rulesPick))),
          loop_minus_rules_ci95: boot(rs, (s) => {
            const a = meanDefined(s.map(pick));
            const b = meanDefined(s.map(rulesPick));
            return a === undefined || b === undefined ? undefined : a - b;
          }),
          per_market: rs.map((r) => ({ seed: r.seed, share: r3(pick(r)), rules_share: r3(rulesPick(r)), loop: Math.round(f(r.loop)), rules: Math.round(f(r.rules)), oracle: Math.round(f(r.oracle)), none: Math.round(f(r.none)) })),
        }));
      }
      const pick = (r: MarketRow) => share(r, 'loop', def.all);
      out.push(figure(`learning_share_worst_decile${suffix}${tag}`, quantile(rs.map(pick), 0.1) ?? NaN, `10th percentile over markets of the share of the oracle's incremental ${def.what}, ${DAYS} days`, 1, {
        ...common(budget), baseline_name: 'the oracle (share 1)', target: 0.4, ci95: boot(rs, (s) => quantile(s.map(pick), 0.1)),
        markets_undefined: rs.filter((r) => pick(r) === undefined).map((r) => r.seed),
      }));
      if (m === 'opportunities') continue;
      const num = (r: MarketRow) => perDollar(r, 'loop', def.all);
      const den = (r: MarketRow) => perDollar(r, 'rules', def.all);
      out.push(figure(`learning_${m === 'expected' ? 'expected_revenue' : m}_per_dollar_vs_rules${tag}`, mean(num), `${def.what} per $ marketing spend (mean over markets)`, mean(den), {
        ...common(budget), baseline_name: 'rules baseline (same market, same budget)', target_ratio: 1.3, target_ci_lower: 1.15,
        ci95: boot(rs, (s) => ratioOfMeans(s, num, den)), ci95_of: 'ratio',
        per_market_ratio_median: r3(quantile(rs.map((r) => (den(r) ? num(r) / den(r) : undefined)), 0.5)),
        per_market: rs.map((r) => ({ seed: r.seed, loop: r3(num(r)), rules: r3(den(r)), ratio: r3(den(r) ? num(r) / den(r) : undefined), loop_spend: Math.round(r.loop.spend), rules_spend: Math.round(r.rules.spend) })),
      }));
    }
    const realized = (p: Policyname) => (r: MarketRow) => perDollar(r, p, (x) => x.revenue);
    out.push(figure('learning_realized_revenue_per_dollar_vs_rules' + tag, mean(realized('loop')), '$ closed-won per $ marketing spend (mean over markets; turns on a few deals)', mean(realized('rules')), {
      ...common(budget), baseline_name: 'rules baseline (same market, same budget)',
      ci95: boot(rs, (s) => ratioOfMeans(s, realized('loop'), realized('rules'))), ci95_of: 'ratio',
      per_market: rs.map((r) => ({ seed: r.seed, loop: Math.round(r.loop.revenue), rules: Math.round(r.rules.revenue), oracle: Math.round(r.oracle.revenue), none: Math.round(r.none.revenue) })),
    }));
    out.push(figure('learning_expected_responses' + tag, mean((r) => r.loop.expectedResponses), 'sum of the treatments\' hidden answer chances (mean over markets)', mean((r) => r.oracle.expectedResponses), {
      ...common(budget), baseline_name: 'oracle (same market, same budget)',
      ci95: boot(rs, (s) => ratioOfMeans(s, (r) => r.loop.expectedResponses, (r) => r.oracle.expectedResponses)), ci95_of: 'ratio',
      rules: r3(mean((r) => r.rules.expectedResponses)),
      answer_chance: { loop: r3(mean((r) => r.loop.answerChance)), rules: r3(mean((r) => r.rules.answerChance)), oracle: r3(mean((r) => r.oracle.answerChance)) },
      per_market: rs.map((r) => ({
        seed: r.seed, accounts: r.accounts, drift: r.drift,
        expected_responses: { loop: r3(r.loop.expectedResponses), rules: r3(r.rules.expectedResponses), oracle: r3(r.oracle.expectedResponses) },
        treatments: { loop: r.loop.treatments, rules: r.rules.treatments, oracle: r.oracle.treatments },
        pipeline_open: { loop: Math.round(r.loop.pipelineOpen), rules: Math.round(r.rules.pipelineOpen), oracle: Math.round(r.oracle.pipelineOpen), none: Math.round(r.none.pipelineOpen) },
      })),
    }));
    const comp = (k: keyof ChoiceQuality) => ({ loop: r3(mean((r) => r.loop.choices[k])), oracle: r3(mean((r) => r.oracle.choices[k])), rules: r3(mean((r) => r.rules.choices[k])), loop_ci95: boot(rs, (s) => s.reduce((a, r) => a + r.loop.choices[k], 0) / s.length) });
    out.push(figure('learning_choice_quality' + tag, mean((r) => choiceMean(r.loop.choices)), 'mean of channel/hour/topic/contact choice quality (share of the best kept)', mean((r) => choiceMean(r.oracle.choices)), {
      ...common(budget), baseline_name: 'oracle (same market, same budget)',
      ci95: boot(rs, (s) => ratioOfMeans(s, (r) => choiceMean(r.loop.choices), (r) => choiceMean(r.oracle.choices))), ci95_of: 'ratio',
      channel: comp('channel'), hour: comp('hour'), topic: comp('topic'), contact: comp('contact'),
      per_market: rs.map((r) => ({ seed: r.seed, loop: r.loop.choices, oracle: r.oracle.choices })),
    }));
    const dec = (f: (d: Decomposition) => number, g: (d: Decomposition) => number) => (s: readonly MarketRow[]) => ratioOfMeans(s, (r) => f(r.loop.decomposition), (r) => g(r.loop.decomposition));
    const accountShare = dec((d) => d.accountBest, (d) => d.oracleTop);
    const treatmentShare = dec((d) => d.actual, (d) => d.accountBest);
    out.push(figure('learning_whom_vs_how' + tag, accountShare(rs) ?? NaN, 'whom: hidden value of the treated accounts\' best treatments / the oracle\'s pick of the day (pooled over days and markets)', 1, {
      ...common(budget), baseline_name: 'the oracle\'s pick of each day (1)',
      ci95: boot(rs, accountShare),
      how: r3(treatmentShare(rs)), how_ci95: boot(rs, treatmentShare),
      how_what: 'the loop\'s treatments as sent / the same accounts\' best treatments (contact, channel, hour, topic)',
      both: r3(dec((d) => d.actual, (d) => d.oracleTop)(rs)),
      per_market: rs.map((r) => ({ seed: r.seed, whom: r3(r.loop.decomposition.accountBest / r.loop.decomposition.oracleTop), how: r3(r.loop.decomposition.actual / r.loop.decomposition.accountBest) })),
    }));
    if (COMPARE) {
      // the default learner against the challenger on the same markets: paired differences
      const pv = MEASURES.pipeline.all;
      const diff = (f: (r: MarketRow) => number | undefined) => (s: readonly MarketRow[]) => meanDefined(s.map(f));
      const shareDiff = (r: MarketRow) => {
        const a = share(r, 'loop', pv);
        const b = share(r, 'challenger', pv);
        return a === undefined || b === undefined ? undefined : a - b;
      };
      const answerRatio = (s: readonly MarketRow[]) => ratioOfMeans(s, (r) => r.loop.expectedResponses, (r) => r.challenger!.expectedResponses);
      out.push(figure('learning_challenger_pipeline_share_lead' + tag, meanDefined(rs.map(shareDiff)) ?? NaN, 'mean over markets of (default − challenger) share of the oracle\'s incremental pipeline', 0, {
        ...common(budget), baseline_name: `challenger ${JSON.stringify(COMPARE)} (lead 0)`, ci95: boot(rs, diff(shareDiff)),
        default_share: r3(meanDefined(rs.map((r) => share(r, 'loop', pv)))), challenger_share: r3(meanDefined(rs.map((r) => share(r, 'challenger', pv)))),
        per_market: rs.map((r) => ({ seed: r.seed, default: r3(share(r, 'loop', pv)), challenger: r3(share(r, 'challenger', pv)), default_hour: r3(r.loop.choices.hour), challenger_hour: r3(r.challenger!.choices.hour) })),
      }));
      out.push(figure('learning_challenger_expected_responses' + tag, mean((r) => r.loop.expectedResponses), 'sum of the treatments\' hidden answer chances, default learner', mean((r) => r.challenger!.expectedResponses), {
        ...common(budget), baseline_name: `challenger ${JSON.stringify(COMPARE)}`, ci95: boot(rs, answerRatio), ci95_of: 'ratio',
        hour_quality: { default: r3(mean((r) => r.loop.choices.hour)), challenger: r3(mean((r) => r.challenger!.choices.hour)), lead_ci95: boot(rs, diff((r) => r.loop.choices.hour - r.challenger!.choices.hour)) },
      }));
    }
    const events = rs.flatMap((r) => r.loop.drift.map((e) => ({ seed: r.seed, ...e })));
    const detected = events.filter((e) => e.delay !== undefined);
    const delayMean = (s: readonly MarketRow[]) => meanDefined(s.flatMap((r) => r.loop.drift.map((e) => e.delay)));
    out.push(figure('learning_drift_detection_delay' + tag, delayMean(rs) ?? NaN, 'days from a drift event to the local models\' next change-detector reset (detected events only)', DETECT_WINDOW, {
      ...common(budget), baseline_name: `detection window (${DETECT_WINDOW} days)`,
      ci95: boot(rs, delayMean),
      drift_events: events.length, detected: detected.length,
      detected_by_kind: Object.fromEntries([...new Set(events.map((e) => e.kind))].map((k) => [k, `${detected.filter((e) => e.kind === k).length}/${events.filter((e) => e.kind === k).length}`])),
      false_resets_per_market: r3(mean((r) => r.loop.falseResets)), false_resets_ci95: boot(rs, (s) => s.reduce((a, r) => a + r.loop.falseResets, 0) / s.length),
      resets_per_market: r3(mean((r) => r.loop.resets)),
      note: `a reset within ${DETECT_WINDOW} days after a drift event counts as its detection, any other as false; the detector (plugins/local-models channel model, changeResets) watches channel lifts only, so drift of other kinds is not expected to be detected; the loop exposes no other drift signal`,
      per_market: rs.map((r) => ({ seed: r.seed, drift: r.loop.drift, reset_days: r.loop.resetDays, false_resets: r.loop.falseResets })),
    }));
  }
  return out;
}
