// Statistics of the evaluation: a seeded paired bootstrap over units (markets in `pnpm bench
// learning`, accounts in `revloop run`), the share of the oracle's incremental value, quantiles.
// No I/O, no clock.
import { seededRandom } from '@revloop/core';

export { seededRandom };

/**
 * The share of the oracle's incremental value over no action reached by a policy:
 * (policy − none) / (oracle − none). Undefined where the oracle adds nothing (or less than
 * nothing) over no action on that market: the share has no meaning there, and a number would
 * only be noise divided by noise.
 */
export function incrementalShare(policy: number, none: number, oracle: number): number | undefined {
  const gain = oracle - none;
  const scale = Math.max(Math.abs(oracle), Math.abs(none), 1);
  if (!Number.isFinite(gain) || !Number.isFinite(policy) || gain <= 1e-9 * scale) return undefined;
  return (policy - none) / gain;
}

/** mean of the defined values (undefined with none) */
export function meanDefined(xs: readonly (number | undefined)[]): number | undefined {
  const d = xs.filter((x): x is number => x !== undefined && Number.isFinite(x));
  return d.length ? d.reduce((a, b) => a + b, 0) / d.length : undefined;
}

/** the q-quantile (0..1) of the defined values, linear between order statistics (undefined with none) */
export function quantile(xs: readonly (number | undefined)[], q: number): number | undefined {
  const d = xs.filter((x): x is number => x !== undefined && Number.isFinite(x)).sort((a, b) => a - b);
  if (!d.length) return undefined;
  const pos = (d.length - 1) * Math.min(1, Math.max(0, q));
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return d[lo]! + (d[hi]! - d[lo]!) * (pos - lo);
}

export interface BootstrapOptions {
  /** resamples (default 2,000) */
  resamples?: number;
  /** seed of the resampling (default 1) */
  seed?: number;
  /** the interval's coverage (default 0.95) */
  level?: number;
}

/**
 * A paired percentile bootstrap over units (markets): resample the units with replacement, keeping
 * each unit's figures together (so the loop, the rules, the oracle and no action of one market stay
 * paired), compute `statistic` on each resample, and return the central `level` interval of the
 * statistic. Resamples where the statistic is undefined (e.g. no market with a defined share) are
 * left out; undefined if fewer than half are defined.
 */
export function bootstrapCI<T>(units: readonly T[], statistic: (sample: readonly T[]) => number | undefined, options: BootstrapOptions = {}): [number, number] | undefined {
  const n = units.length;
  if (n === 0) return undefined;
  const resamples = options.resamples ?? 2000;
  const level = options.level ?? 0.95;
  const rand = seededRandom(options.seed ?? 1);
  const stats: number[] = [];
  const sample: T[] = new Array(n);
  for (let r = 0; r < resamples; r++) {
    for (let i = 0; i < n; i++) sample[i] = units[Math.floor(rand() * n)]!;
    const s = statistic(sample);
    if (s !== undefined && Number.isFinite(s)) stats.push(s);
  }
  if (stats.length < resamples / 2) return undefined;
  const lo = quantile(stats, (1 - level) / 2)!;
  const hi = quantile(stats, 1 - (1 - level) / 2)!;
  return [lo, hi];
}

/**
 * The same paired percentile bootstrap for many sums at once: each resample draws the units once
 * (the same draws `bootstrapCI` makes with the same seed) and sums every column over them, so each
 * column's interval equals `bootstrapCI(units, s => Σ column[unit])`, at a fraction of the cost
 * (a run report sums ten columns over thousands of accounts). Undefined intervals with no units.
 */
export function bootstrapSumsCI(columns: readonly ArrayLike<number>[], options: BootstrapOptions = {}): ([number, number] | undefined)[] {
  const n = columns[0]?.length ?? 0;
  if (columns.some((c) => c.length !== n)) throw new Error('bootstrapSumsCI: every column needs one value per unit');
  if (n === 0) return columns.map(() => undefined);
  const resamples = options.resamples ?? 2000;
  const level = options.level ?? 0.95;
  const rand = seededRandom(options.seed ?? 1);
  const k = columns.length;
  const sums = columns.map(() => new Float64Array(resamples));
  const acc = new Float64Array(k);
  for (let r = 0; r < resamples; r++) {
    acc.fill(0);
    for (let i = 0; i < n; i++) {
      const u = Math.floor(rand() * n);
      for (let c = 0; c < k; c++) acc[c]! += columns[c]![u]!;
    }
    for (let c = 0; c < k; c++) sums[c]![r] = acc[c]!;
  }
  return sums.map((s) => {
    const xs = Array.from(s);
    return [quantile(xs, (1 - level) / 2)!, quantile(xs, 1 - (1 - level) / 2)!];
  });
}

/** ratio of the means of two paired figures (undefined when the denominator's mean is 0) */
export function ratioOfMeans<T>(sample: readonly T[], num: (u: T) => number, den: (u: T) => number): number | undefined {
  let a = 0;
  let b = 0;
  for (const u of sample) {
    a += num(u);
    b += den(u);
  }
  return b === 0 ? undefined : a / b;
}

/** parses BENCH_LEARNING_SEEDS: "<start>..<end>" (inclusive) or a comma list */
export function parseSeeds(spec: string): number[] {
  const range = /^\s*(\d+)\s*\.\.\s*(\d+)\s*$/.exec(spec);
  if (range) {
    const start = Number(range[1]);
    const end = Number(range[2]);
    if (end < start) throw new Error(`BENCH_LEARNING_SEEDS: ${spec}: the end is before the start`);
    return Array.from({ length: end - start + 1 }, (_, i) => start + i);
  }
  const list = spec.split(',').map((s) => s.trim()).filter(Boolean).map(Number);
  if (!list.length || list.some((x) => !Number.isInteger(x) || x < 0)) throw new Error(`BENCH_LEARNING_SEEDS: expected <start>..<end> or a comma list of whole numbers, got ${spec}`);
  return list;
}
