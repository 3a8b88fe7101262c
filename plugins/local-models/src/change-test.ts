// Did an arm's answer rate change? A G-test (likelihood ratio) of two binomial samples: the
// recent window's counts against the older evidence. Counts may be fractional (faded).

const xlogx = (x: number): number => (x > 0 ? x * Math.log(x) : 0);

/**
 * G statistic of the 2×2 table (s1, f1) vs (s0, f0): 2 × (log-likelihood of two rates − of one
 * pooled rate). Asymptotically chi-square with one degree of freedom (10.8 at p = 0.001).
 */
export function gStatistic(s1: number, f1: number, s0: number, f0: number): number {
  const n1 = s1 + f1;
  const n0 = s0 + f0;
  const s = s1 + s0;
  const f = f1 + f0;
  const n = n1 + n0;
  if (n1 <= 0 || n0 <= 0 || s <= 0 || f <= 0) return 0;
  const g = xlogx(s1) + xlogx(f1) + xlogx(s0) + xlogx(f0) - xlogx(n1) - xlogx(n0) - xlogx(s) - xlogx(f) + xlogx(n);
  return g > 0 ? 2 * g : 0;
}
