// One small seeded generator (mulberry32) for everything that must repeat from a seed: bootstrap
// resamples, fault sequences in tests, sample data. Not for anything secret.

/** a generator of numbers in [0, 1): the same seed gives the same sequence */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
