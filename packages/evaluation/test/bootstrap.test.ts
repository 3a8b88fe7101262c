// The evaluation's statistics (src/stats/bootstrap.ts): the seeded paired
// bootstrap interval on known cases and the share of the oracle's incremental value, including
// the degenerate market where the oracle adds nothing over no action.
import { describe, expect, it } from 'vitest';
import { bootstrapCI, bootstrapSumsCI, incrementalShare, meanDefined, parseSeeds, quantile, ratioOfMeans, seededRandom } from '@revloop/evaluation';

const mean = (s: readonly number[]) => s.reduce((a, b) => a + b, 0) / s.length;

describe('incrementalShare', () => {
  it('is (policy − none) / (oracle − none)', () => {
    expect(incrementalShare(60, 20, 100)).toBeCloseTo(0.5, 12);
    expect(incrementalShare(100, 20, 100)).toBe(1);
    expect(incrementalShare(20, 20, 100)).toBe(0);
    // a policy worse than doing nothing has a negative share
    expect(incrementalShare(10, 20, 100)).toBeCloseTo(-0.125, 12);
  });
  it('is undefined, not a number, where the oracle adds nothing over no action', () => {
    expect(incrementalShare(50, 40, 40)).toBeUndefined();
    expect(incrementalShare(0, 0, 0)).toBeUndefined();
    // the oracle below no action: no meaningful share either
    expect(incrementalShare(50, 40, 30)).toBeUndefined();
    expect(incrementalShare(Number.NaN, 0, 10)).toBeUndefined();
  });
  it('undefined shares are left out of the mean and the quantiles', () => {
    expect(meanDefined([0.5, undefined, 1])).toBeCloseTo(0.75, 12);
    expect(meanDefined([undefined])).toBeUndefined();
    expect(quantile([undefined, 3, 1, 2], 0.5)).toBe(2);
    expect(quantile([0, 10], 0.1)).toBeCloseTo(1, 12);
  });
});

describe('bootstrapCI', () => {
  it('is the same for the same seed and differs for another', () => {
    const xs = Array.from({ length: 30 }, (_, i) => Math.sin(i) * 10);
    const a = bootstrapCI(xs, mean, { seed: 7 });
    expect(bootstrapCI(xs, mean, { seed: 7 })).toEqual(a);
    expect(bootstrapCI(xs, mean, { seed: 8 })).not.toEqual(a);
  });
  it('collapses to the value when every unit is the same', () => {
    expect(bootstrapCI([2, 2, 2, 2, 2], mean)).toEqual([2, 2]);
  });
  it('covers the mean with about the normal width on a known sample', () => {
    // 200 draws from U(0,1): sd of the mean = sqrt(1/12/200) ≈ 0.0204, a 95% interval ≈ ±0.040
    const rand = seededRandom(99);
    const xs = Array.from({ length: 200 }, () => rand());
    const m = mean(xs);
    const ci = bootstrapCI(xs, mean, { resamples: 2000, seed: 3 })!;
    expect(ci[0]).toBeLessThan(m);
    expect(ci[1]).toBeGreaterThan(m);
    const half = (ci[1] - ci[0]) / 2;
    expect(half).toBeGreaterThan(0.03);
    expect(half).toBeLessThan(0.05);
  });
  it('keeps the pairs together: a ratio of paired figures with a constant ratio has a zero-width interval', () => {
    const units = [1, 5, 2, 9, 4, 7].map((x) => ({ loop: 1.5 * x, rules: x }));
    const ci = bootstrapCI(units, (s) => ratioOfMeans(s, (u) => u.loop, (u) => u.rules))!;
    expect(ci[0]).toBeCloseTo(1.5, 12);
    expect(ci[1]).toBeCloseTo(1.5, 12);
  });
  it('is undefined when the statistic is undefined on most resamples', () => {
    expect(bootstrapCI([undefined, undefined, undefined], (s) => meanDefined(s))).toBeUndefined();
    expect(bootstrapCI([], mean)).toBeUndefined();
  });
});

describe('parseSeeds', () => {
  it('reads a range or a list', () => {
    expect(parseSeeds('10..13')).toEqual([10, 11, 12, 13]);
    expect(parseSeeds('4, 8,15')).toEqual([4, 8, 15]);
    expect(() => parseSeeds('9..3')).toThrow();
    expect(() => parseSeeds('a,b')).toThrow();
  });
});

describe('bootstrapSumsCI', () => {
  it('gives each column the interval bootstrapCI gives its sum (the same draws), in one pass', () => {
    const rand = seededRandom(3);
    const columns = [0, 1, 2].map((c) => Float64Array.from({ length: 300 }, () => (rand() - 0.3) * (c + 1) * 50));
    const units = Array.from({ length: 300 }, (_, i) => i);
    const many = bootstrapSumsCI(columns, { resamples: 500, seed: 11 });
    columns.forEach((col, c) => {
      const one = bootstrapCI(units, (s) => s.reduce((a, u) => a + col[u]!, 0), { resamples: 500, seed: 11 });
      expect(many[c]![0]).toBeCloseTo(one![0], 8);
      expect(many[c]![1]).toBeCloseTo(one![1], 8);
    });
    expect(bootstrapSumsCI([new Float64Array(0)])).toEqual([undefined]);
    expect(() => bootstrapSumsCI([new Float64Array(2), new Float64Array(3)])).toThrow(/one value per unit/);
  });
});
