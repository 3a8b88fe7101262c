// Seeded randomness for the local models: a small PRNG (mulberry32), a string hash (FNV-1a), and
// Beta sampling (two Gamma draws, Marsaglia–Tsang). No Math.random: runs are reproducible.

/** FNV-1a 32-bit hash of a string (optionally continuing from `h`). */
export function hash32(text: string, h = 0x811c9dc5): number {
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** A reusable PRNG: reseed() per decision, then next() in [0, 1). */
export class Rng {
  private a = 1;

  reseed(seed: number): this {
    this.a = seed >>> 0;
    return this;
  }

  next(): number {
    this.a = (this.a + 0x6d2b79f5) >>> 0;
    let t = this.a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** standard normal (Box–Muller; one value per call, no caching) */
  normal(): number {
    const u = 1 - this.next();
    const v = this.next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  /** Gamma(shape, 1) */
  gamma(shape: number): number {
    if (shape < 1) {
      // boost: Gamma(a) = Gamma(a + 1) · U^(1/a)
      const u = 1 - this.next();
      return this.gamma(shape + 1) * Math.pow(u, 1 / shape);
    }
    const d = shape - 1 / 3;
    const c = 1 / Math.sqrt(9 * d);
    for (;;) {
      let x: number;
      let v: number;
      do {
        x = this.normal();
        v = 1 + c * x;
      } while (v <= 0);
      v = v * v * v;
      const u = 1 - this.next();
      if (u < 1 - 0.0331 * x * x * x * x) return d * v;
      if (Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) return d * v;
    }
  }

  /** Beta(alpha, beta) */
  beta(alpha: number, beta: number): number {
    const x = this.gamma(alpha);
    const y = this.gamma(beta);
    return x + y === 0 ? alpha / (alpha + beta) : x / (x + y);
  }
}
