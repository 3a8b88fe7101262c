// Loop, rules baseline, oracle and no action side by side on the same market (common random
// numbers), and each comparison of the loop with a paired 95% interval: accounts are resampled
// with replacement, each account's figures under both policies kept together, and the interval
// is of the difference of the totals. Where the interval spans zero no winner is declared.
import type { AccountFigure, AccountOutcomes } from '@revloop/sandbox';
import { bootstrapSumsCI } from '../stats/bootstrap.js';

export const POLICIES = ['loop', 'rules', 'oracle', 'none'] as const;
export type PolicyName = (typeof POLICIES)[number];

/** the figures compared: the leading indicators first (they move within weeks), realized revenue last */
export const MEASURES = [
  { key: 'expected_value', figure: 'expectedValue', label: 'expected value of treatments', unit: '$', leading: true, what: "each treatment's hidden answer chance × the value of an answer at that moment, summed" },
  { key: 'expected_closed_won', figure: 'expectedRevenue', label: 'expected closed-won', unit: '$', leading: true, what: "closed deals with each final win draw replaced by its chance" },
  { key: 'pipeline_created', figure: 'pipelineCreated', label: 'pipeline created', unit: '$', leading: true, what: 'amounts of the opportunities created' },
  { key: 'responses', figure: 'responses', label: 'responses', unit: 'count', leading: true, what: 'answers to treatments (clicks, form fills)' },
  { key: 'revenue', figure: 'revenue', label: 'closed-won revenue', unit: '$', leading: false, what: 'realized: a few deals decide it' },
] as const satisfies readonly { key: string; figure: AccountFigure; label: string; unit: '$' | 'count'; leading: boolean; what: string }[];
export type MeasureKey = (typeof MEASURES)[number]['key'];

export type Verdict = 'loop ahead' | 'loop behind' | 'no clear difference';

export interface Comparison {
  measure: MeasureKey;
  against: Exclude<PolicyName, 'loop'>;
  /** loop total − the other policy's total */
  difference: number;
  /** paired 95% bootstrap interval of the difference (null: too few accounts to resample) */
  ci95: [number, number] | null;
  /** difference / the other policy's total; null where that total is 0 (x/0 is no percentage) */
  relative: number | null;
  /** 'no clear difference' wherever the interval spans zero (or there is none) */
  verdict: Verdict;
}

export interface BootstrapSettings {
  resamples: number;
  seed: number;
}

export const RUN_BOOTSTRAP: BootstrapSettings = { resamples: 2000, seed: 23 };

export function verdictOf(ci: readonly [number, number] | null): Verdict {
  if (!ci) return 'no clear difference';
  if (ci[0] > 0) return 'loop ahead';
  if (ci[1] < 0) return 'loop behind';
  return 'no clear difference';
}

const total = (xs: Float64Array) => xs.reduce((a, b) => a + b, 0);

/** each policy's totals of every measure */
export function policyTotals(runs: Record<PolicyName, AccountOutcomes>): Record<PolicyName, Record<MeasureKey, number>> {
  return Object.fromEntries(POLICIES.map((p) => [p, Object.fromEntries(MEASURES.map((m) => [m.key, Math.round(total(runs[p][m.figure]) * 100) / 100]))])) as Record<PolicyName, Record<MeasureKey, number>>;
}

/** the loop against `against` on every measure, each with its paired interval over accounts */
export function compareLoop(runs: Record<PolicyName, AccountOutcomes>, against: readonly Exclude<PolicyName, 'loop'>[], settings: BootstrapSettings = RUN_BOOTSTRAP): Comparison[] {
  const n = runs.loop.accountIds.length;
  for (const p of POLICIES) {
    if (runs[p].accountIds.length !== n) throw new Error(`paired comparison: ${p} has ${runs[p].accountIds.length} accounts, the loop ${n}: the runs are not of the same market`);
  }
  const pairs = against.flatMap((other) => MEASURES.map((m) => ({ other, m })));
  const diffs = pairs.map(({ other, m }) => Float64Array.from(runs.loop[m.figure], (x, i) => x - runs[other][m.figure][i]!));
  // one set of account draws for every comparison (bootstrapSumsCI: the same draws bootstrapCI makes)
  const intervals = bootstrapSumsCI(diffs, settings);
  const cents = (x: number) => Math.round(x * 100) / 100;
  const out: Comparison[] = pairs.map(({ other, m }, k) => {
    const ci = intervals[k] ?? null;
    const base = total(runs[other][m.figure]);
    const difference = total(diffs[k]!);
    return { measure: m.key, against: other, difference: cents(difference), ci95: ci ? [cents(ci[0]), cents(ci[1])] : null, relative: base !== 0 ? Math.round((difference / base) * 10000) / 10000 : null, verdict: verdictOf(ci) };
  });
  return out;
}
