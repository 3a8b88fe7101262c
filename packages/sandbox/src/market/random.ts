// Seeded randomness for the market. One mutable generator is re-seeded per (account, day) so that
// two runs of the same scenario share their random numbers wherever their states agree
// ("common random numbers"): a policy's effect is then measured without unrelated noise.

/** Murmur3's finaliser: a fast, well-mixed 32-bit hash step. */
function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** A 32-bit seed derived from up to four integers (fixed arity: no array per call in hot loops). */
export function deriveSeed(a: number, b = 0, c = 0, d = 0): number {
  let h = fmix32((a ^ 0x9e3779b9) >>> 0);
  h = fmix32((h ^ Math.imul(b + 1, 0x85ebca6b)) >>> 0);
  h = fmix32((h ^ Math.imul(c + 1, 0xc2b2ae35)) >>> 0);
  h = fmix32((h ^ Math.imul(d + 1, 0x27d4eb2f)) >>> 0);
  return h;
}

/** Stream tags so that different uses of the same (account, day) never share numbers. */
export const Stream = {
  population: 1,
  accountDay: 2,
  details: 3,
  treatment: 4,
  ads: 5,
  hygiene: 6,
  rollout: 7,
  response: 8,
  signals: 9,
  funnel: 10,
  episode: 11,
  inMarket: 12,
  generator: 13,
} as const;

/** mulberry32 with helpers; `reseed` makes it reusable without allocation. */
export class Rng {
  private state: number;
  constructor(seed = 0) {
    this.state = seed >>> 0;
  }
  reseed(seed: number): this {
    this.state = seed >>> 0;
    return this;
  }
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  /** integer in [0, n) */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  range(min: number, max: number): number {
    return min + (max - min) * this.next();
  }
  /** standard normal (Box-Muller, one value per call) */
  normal(): number {
    const u = 1 - this.next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * this.next());
  }
  poisson(lambda: number): number {
    if (lambda <= 0) return 0;
    if (lambda > 30) return Math.max(0, Math.round(lambda + Math.sqrt(lambda) * this.normal()));
    const limit = Math.exp(-lambda);
    let k = 0;
    let p = this.next();
    while (p > limit) {
      k++;
      p *= this.next();
    }
    return k;
  }
  /** Marsaglia-Tsang gamma(shape, 1) */
  gamma(shape: number): number {
    if (shape < 1) return this.gamma(shape + 1) * Math.pow(this.next(), 1 / shape);
    const d = shape - 1 / 3;
    const c = 1 / Math.sqrt(9 * d);
    for (;;) {
      const x = this.normal();
      const v0 = 1 + c * x;
      if (v0 <= 0) continue;
      const v = v0 * v0 * v0;
      const u = this.next();
      if (Math.log(u) < 0.5 * x * x + d - d * v + d * Math.log(v)) return d * v;
    }
  }
  beta(alpha: number, beta: number): number {
    const x = this.gamma(alpha);
    return x / (x + this.gamma(beta));
  }
  /** index drawn from a cumulative weight table (last entry = total) */
  pickCumulative(cumulative: ArrayLike<number>): number {
    const r = this.next() * cumulative[cumulative.length - 1];
    for (let i = 0; i < cumulative.length; i++) if (r < cumulative[i]) return i;
    return cumulative.length - 1;
  }
}

export function cumulativeWeights(weights: readonly number[]): Float64Array {
  const out = new Float64Array(weights.length);
  let sum = 0;
  for (let i = 0; i < weights.length; i++) out[i] = sum += weights[i];
  return out;
}
