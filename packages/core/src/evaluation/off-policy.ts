// Off-policy evaluation of a workflow's channel choices: how often contacts would have answered
// had another policy chosen the channels, estimated from the decisions logged in a window, with
// 95% intervals by a bootstrap over accounts (an account's decisions move together), and the
// paired difference of each candidate from the logged policy on the same resamples.
import type { Store } from '@revloop/store';
import { RevloopError } from '../errors.js';
import type { Candidate } from './candidates.js';
import { armIndex, covered, estimate, loggedValue, type EstimateInput, type Target } from './estimators.js';
import { channels } from '../workflow/tasks.js';
import { readLoggedWindow, type LoggedChoice, type LoggedWindow, type WindowQuery } from './logged-choices.js';
import { seededRandom as seeded } from '../random.js';

/** fewer logged decisions than this and an interval says nothing: refused */
export const MIN_DECISIONS = 50;

export interface Interval {
  estimate: number;
  low: number;
  high: number;
}

export interface CandidateResult {
  name: string;
  description: string;
  ips: Interval;
  snips: Interval;
  dr: Interval;
  /** DR of this candidate − the logged policy's value, paired on the same resamples */
  difference: Interval;
  /** whether the difference's interval excludes 0 */
  distinguishable: boolean;
  /** the policy was chosen with the answers it is scored on: the estimate leans high */
  optimistic: boolean;
  /** logged decisions the policy has a channel for */
  decisions: number;
  /** of those, the ones where it picks the logged channel (the ones IPS learns from) */
  matches: number;
  /** effective sample size of the importance weights */
  effectiveSampleSize: number;
}

export interface OffPolicyReport {
  workflow: string;
  since: number;
  until: number;
  /** logged decisions used: executed, with a propensity, their answer window closed */
  decisions: number;
  accounts: number;
  /** the logged answer rate */
  loggedAnswerRate: number;
  window: Omit<LoggedWindow, 'choices'>;
  resamples: number;
  candidates: CandidateResult[];
}

export interface OffPolicyOptions extends WindowQuery {
  candidates: Candidate[];
  /** bootstrap resamples (default 400) */
  resamples?: number;
  /** seeds the bootstrap (default 1): the same log gives the same intervals */
  seed?: number;
  minDecisions?: number;
}

/** Reads the window's logged choices and evaluates each candidate; refuses a window it cannot estimate from. */
export async function evaluateOffPolicy(store: Store, o: OffPolicyOptions): Promise<OffPolicyReport> {
  const window = await readLoggedWindow(store, o);
  refuseUnusable(window, o);
  // replayed candidates: worked out once from the window (a model learning through the log)
  const candidates = await Promise.all(o.candidates.map(async (c) => (c.replay && !c.chances ? { ...c, chances: await c.replay(window.choices) } : c)));
  return evaluateChoices(window, { ...o, candidates });
}

export function evaluateChoices(window: LoggedWindow, o: OffPolicyOptions): OffPolicyReport {
  refuseUnusable(window, o);
  const choices = window.choices;
  const input = inputOf(choices);
  const accounts = clusters(choices);
  const resamples = o.resamples ?? 400;
  const targets = o.candidates.map((c) => (c.logged ? undefined : targetOf(c, choices)));
  const point = o.candidates.map((c, k) => (c.logged ? undefined : estimate(input, targets[k]!)));
  const logged = loggedValue(input);

  // bootstrap over accounts: every resample draws as many accounts as there are, with replacement
  const rand = seeded(o.seed ?? 1);
  const draws = o.candidates.map(() => ({ ips: [] as number[], snips: [] as number[], dr: [] as number[], diff: [] as number[] }));
  const weight = new Float64Array(choices.length);
  const perAccount = new Float64Array(accounts.count);
  for (let b = 0; b < resamples; b++) {
    perAccount.fill(0);
    for (let k = 0; k < accounts.count; k++) perAccount[Math.floor(rand() * accounts.count)]! += 1;
    for (let i = 0; i < choices.length; i++) weight[i] = perAccount[accounts.of[i]!]!;
    const base = loggedValue(input, weight);
    o.candidates.forEach((c, k) => {
      const d = draws[k]!;
      if (c.logged) {
        d.ips.push(base), d.snips.push(base), d.dr.push(base), d.diff.push(0);
        return;
      }
      const e = estimate(input, targets[k]!, weight);
      d.ips.push(e.ips), d.snips.push(e.snips), d.dr.push(e.dr), d.diff.push(e.dr - base);
    });
  }

  const results = o.candidates.map((c, k): CandidateResult => {
    const d = draws[k]!;
    const p = point[k];
    const decisions = c.logged ? choices.length : covered(targets[k]!, choices.length);
    const ess = p ? p.ess : choices.length;
    const dr = atLeastWilson(interval(p ? p.dr : logged, d.dr), ess);
    // the difference widened by as much as the candidate's own interval was
    const boot = interval(p ? p.dr - logged : 0, d.diff);
    const difference = c.logged ? boot : { estimate: boot.estimate, low: Math.min(boot.low, boot.estimate - (dr.estimate - dr.low)), high: Math.max(boot.high, boot.estimate + (dr.high - dr.estimate)) };
    return {
      name: c.name,
      description: c.description,
      // an answer rate is in [0, 1]; the weighted sums can step outside it (DR below 0 when the
      // policy's channel never answered in the log): clipped, which only moves them toward the truth
      ips: rate(atLeastWilson(interval(p ? p.ips : logged, d.ips), ess)),
      snips: rate(atLeastWilson(interval(p ? p.snips : logged, d.snips), ess)),
      dr: rate(dr),
      difference,
      distinguishable: !c.logged && (difference.low > 0 || difference.high < 0),
      optimistic: !!c.optimistic,
      decisions,
      matches: p ? p.matches : choices.length,
      effectiveSampleSize: p ? p.ess : choices.length,
    };
  });
  const { choices: _, ...counts } = window;
  return { workflow: o.workflow, since: o.since, until: o.until, decisions: choices.length, accounts: accounts.count, loggedAnswerRate: logged, window: counts, resamples, candidates: results };
}

function refuseUnusable(window: LoggedWindow, o: OffPolicyOptions): void {
  const where = `workflow ${o.workflow}, decisions from ${iso(o.since, 'the first')} to ${iso(o.until, 'the last')}`;
  const min = o.minDecisions ?? MIN_DECISIONS;
  if (!window.channelChoices) {
    throw new RevloopError('NO_LOGGED_CHOICES', 'no channel choice was logged in this window: there is nothing to evaluate', {
      where,
      fix: 'choose a window with decisions (`revloop decisions list --workflow <name>` shows when they were made), or pass --since/--until around them',
      kind: 'bad_input',
    });
  }
  if (window.withoutPropensity === window.channelChoices) {
    throw new RevloopError('NO_PROPENSITY', `none of the window's ${window.channelChoices} channel choices records its propensity (the chance the model gave its choice), so no other policy can be estimated from them and no estimate is printed`, {
      where: `${where}; logged by ${window.modelsWithoutPropensity.join(', ') || 'an unknown model'}`,
      fix: 'evaluate a window decided by a model that records propensity (the local models since this version do), or run the workflow with such a model and evaluate the decisions it makes',
      kind: 'bad_input',
    });
  }
  if (window.choices.length < min) {
    const lost = [
      window.withoutPropensity ? `${window.withoutPropensity} without a propensity` : '',
      window.notExecuted ? `${window.notExecuted} not executed` : '',
      window.awaitingAnswer ? `${window.awaitingAnswer} whose answer window is still open` : '',
    ].filter(Boolean);
    throw new RevloopError('TOO_FEW_DECISIONS', `the window has ${window.choices.length} usable decisions (executed, with a propensity, answer window closed); at least ${min} are needed for an estimate with an interval${lost.length ? ` — of its ${window.channelChoices} channel choices, ${lost.join(', ')}` : ''}`, {
      where,
      fix: `widen the window (--since/--until or --days) so that it holds at least ${min} executed decisions whose engagement window has closed`,
      kind: 'bad_input',
    });
  }
}

function inputOf(choices: readonly LoggedChoice[]): EstimateInput {
  const keys = new Map<string, number>();
  const n = choices.length;
  const input: EstimateInput = { context: new Int32Array(n), arm: new Int8Array(n), propensity: new Float64Array(n), reward: new Float64Array(n), contexts: 0 };
  choices.forEach((x, i) => {
    let k = keys.get(x.context);
    if (k === undefined) keys.set(x.context, (k = keys.size));
    input.context[i] = k;
    input.arm[i] = armIndex(x.channel);
    input.propensity[i] = x.propensity;
    input.reward[i] = x.reward;
  });
  input.contexts = keys.size;
  return input;
}

function targetOf(c: Candidate, choices: readonly LoggedChoice[]): Target {
  if (c.chances || c.replay) {
    if (!c.chances) throw new Error(`candidate ${c.name}: its replay has not been worked out (evaluateOffPolicy does that)`);
    const target = new Float64Array(choices.length * channels.length);
    c.chances.forEach((chances, i) => channels.forEach((ch, a) => (target[i * channels.length + a] = chances?.[ch] ?? 0)));
    return target;
  }
  const picks = c.choose!(choices);
  return Int8Array.from(picks, (p) => (p === undefined ? -1 : armIndex(p)));
}

function clusters(choices: readonly LoggedChoice[]): { count: number; of: Int32Array } {
  const ids = new Map<string, number>();
  const of = new Int32Array(choices.length);
  choices.forEach((x, i) => {
    let k = ids.get(x.accountId);
    if (k === undefined) ids.set(x.accountId, (k = ids.size));
    of[i] = k;
  });
  return { count: ids.size, of };
}

/** the point estimate with the 2.5% and 97.5% quantiles of its resamples (NaNs left out) */
function interval(estimate: number, draws: number[]): Interval {
  const sorted = draws.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  const q = (p: number): number => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.max(0, Math.round(p * (sorted.length - 1))))]! : NaN);
  return { estimate, low: q(0.025), high: q(0.975) };
}

/**
 * The bootstrap interval, widened to at least the Wilson score interval of a rate observed on
 * `n` (the weights' effective sample size). Why: when the policy's channel was rarely sent and
 * rarely answered, every resample sees the same few answers (often none) and the bootstrap
 * collapses onto them — measured on sandbox markets, such intervals held the truth far less than
 * 95% of the time; the Wilson bound keeps a rate seen 0 times in 40 from reading as "surely 0".
 */
function atLeastWilson(i: Interval, n: number): Interval {
  if (!(n > 0) || !Number.isFinite(i.estimate)) return i;
  const z = 1.96;
  const p = Math.min(1, Math.max(0, i.estimate));
  const centre = (p + (z * z) / (2 * n)) / (1 + (z * z) / n);
  const half = (z / (1 + (z * z) / n)) * Math.sqrt((p * (1 - p)) / n + (z * z) / (4 * n * n));
  return { estimate: i.estimate, low: Math.min(i.low, centre - half), high: Math.max(i.high, centre + half) };
}

function rate(i: Interval): Interval {
  const clip = (x: number): number => (Number.isNaN(x) ? x : Math.min(1, Math.max(0, x)));
  return { estimate: clip(i.estimate), low: clip(i.low), high: clip(i.high) };
}

/** a window bound for a person: open bounds (0, MAX_SAFE_INTEGER) read as the log's ends */
const iso = (ms: number, open: string): string => (ms <= 0 || ms >= 8.64e15 ? open : new Date(ms).toISOString().slice(0, 16).replace('T', ' '));
