// The probability that one Thompson draw picks each arm: P(arm a's Beta draw is the highest).
// Logged with every choice so that another policy can be evaluated off-policy from the decision
// log (inverse propensity weighting divides each answer by the chance its arm had of being sent).
//
// Computed by numerical integration, not by sampling: P(a wins) = ∫ f_a(x) Π_{b≠a} F_b(x) dx on
// one grid over the region where the posteriors have mass. Why not Monte Carlo draws: a modest
// number of draws gives a rare arm 0 or a coarse 1/K, and an IPS weight 1/p̂ is most sensitive
// exactly there; the grid is deterministic (no RNG stream to keep) and, since it depends only on
// the posteriors, computed once per context between two updates (ChannelModel caches it).

/** sd multiples around each posterior mean that the grid covers (mass outside is negligible) */
const SPAN = 8;
/** cells per posterior sd of the narrowest arm, and the grid's bounds on its size */
const CELLS_PER_SD = 2;
const MIN_CELLS = 32;
const MAX_CELLS = 200;

let scratch = new Float64Array(0);
let logs = new Float64Array(0);

/**
 * P(arm a's draw is the highest) for Beta(alpha[a], beta[a]) posteriors; sums to 1.
 * `params` holds [alpha0, beta0, alpha1, beta1, …]; every alpha, beta > 0.
 */
export function winProbabilities(params: ArrayLike<number>): Float64Array {
  const arms = params.length / 2;
  const out = new Float64Array(arms);
  if (arms === 1) return (out[0] = 1), out;
  let lo = 1;
  let hi = 0;
  let narrowest = 1;
  for (let a = 0; a < arms; a++) {
    const al = params[a * 2]!;
    const be = params[a * 2 + 1]!;
    const m = al / (al + be);
    const sd = Math.sqrt((m * (1 - m)) / (al + be + 1));
    lo = Math.min(lo, m - SPAN * sd);
    hi = Math.max(hi, m + SPAN * sd);
    narrowest = Math.min(narrowest, sd);
  }
  lo = Math.max(0, lo);
  hi = Math.min(1, hi);
  const cells = Math.min(MAX_CELLS, Math.max(MIN_CELLS, Math.ceil(((hi - lo) / Math.max(narrowest, 1e-9)) * CELLS_PER_SD)));
  const width = (hi - lo) / cells;
  // per arm: cell masses (normalised); the logs of x and 1 − x are shared by every arm
  if (logs.length < cells * 2) logs = new Float64Array(cells * 4);
  for (let i = 0; i < cells; i++) {
    const x = lo + (i + 0.5) * width;
    logs[i * 2] = Math.log(x);
    logs[i * 2 + 1] = Math.log1p(-x);
  }
  if (scratch.length < arms * cells) scratch = new Float64Array(arms * cells * 2);
  const mass = scratch;
  for (let a = 0; a < arms; a++) {
    const al = params[a * 2]! - 1;
    const be = params[a * 2 + 1]! - 1;
    const row = a * cells;
    let peak = -Infinity;
    for (let i = 0; i < cells; i++) {
      const l = al * logs[i * 2]! + be * logs[i * 2 + 1]!;
      mass[row + i] = l;
      if (l > peak) peak = l;
    }
    let total = 0;
    for (let i = 0; i < cells; i++) {
      // far below the peak is 0 (exp would underflow to it anyway, slowly)
      const d = mass[row + i]! - peak;
      total += mass[row + i] = d < -40 ? 0 : Math.exp(d);
    }
    // a density that is infinite at 0 (alpha < 1): the first cell's mass in closed form
    // (∫0^w x^(α−1) dx = w^α/α), where the midpoint rule would miss most of it
    if (lo === 0 && al < 0) {
      const exact = Math.exp((al + 1) * Math.log(width) - Math.log(al + 1) + be * Math.log1p(-width / 2) - peak) / width;
      total += exact - mass[row]!;
      mass[row] = exact;
    }
    for (let i = 0; i < cells; i++) mass[row + i]! /= total;
  }
  // P(a wins) = Σ_i mass_a(i) Π_{b≠a} below_b(i), below_b(i) = mass of b in cells before i + half
  // of cell i (two draws in one cell are equally likely to be in either order)
  const below = new Float64Array(arms);
  const cumulative = new Float64Array(arms);
  for (let i = 0; i < cells; i++) {
    let zeros = 0;
    let product = 1;
    for (let b = 0; b < arms; b++) {
      const m = mass[b * cells + i]!;
      below[b] = cumulative[b]! + m / 2;
      cumulative[b]! += m;
      if (below[b]! > 0) product *= below[b]!;
      else zeros++;
    }
    if (zeros > 1) continue;
    for (let a = 0; a < arms; a++) {
      const m = mass[a * cells + i]!;
      if (m === 0) continue;
      // the product over the others: all of them, without a's own factor
      if (zeros === 1) out[a]! += below[a]! === 0 ? m * product : 0;
      else out[a]! += (m * product) / below[a]!;
    }
  }
  let sum = 0;
  for (let a = 0; a < arms; a++) sum += out[a]!;
  for (let a = 0; a < arms; a++) out[a] = sum > 0 ? out[a]! / sum : 1 / arms;
  return out;
}
