// Success/failure counts per key and arm, the building block of the Thompson samplers.
// Counts live in one Float64Array per key: [s0, f0, s1, f1, …].

export class BetaTable {
  private readonly rows = new Map<string, Float64Array>();

  constructor(readonly arms: number) {}

  get(key: string): Float64Array | undefined {
    return this.rows.get(key);
  }

  row(key: string): Float64Array {
    let r = this.rows.get(key);
    if (!r) this.rows.set(key, (r = new Float64Array(this.arms * 2)));
    return r;
  }

  /** one observation of `arm`, counted `weight` times (a share of one for evidence lent to a neighbour) */
  add(key: string, arm: number, reward: number, weight = 1): void {
    const r = this.row(key);
    if (reward > 0) r[arm * 2]! += weight;
    else r[arm * 2 + 1]! += weight;
  }

  /** multiplies every count by `factor` (0..1): old evidence fades */
  fade(factor: number): void {
    for (const r of this.rows.values()) for (let i = 0; i < r.length; i++) r[i]! *= factor;
  }

  keys(): IterableIterator<string> {
    return this.rows.keys();
  }

  get size(): number {
    return this.rows.size;
  }

  toJSON(): Record<string, number[]> {
    const out: Record<string, number[]> = {};
    for (const [k, v] of this.rows) out[k] = Array.from(v);
    return out;
  }

  restore(json: Record<string, number[]> | undefined): void {
    this.rows.clear();
    for (const [k, v] of Object.entries(json ?? {})) if (v.length === this.arms * 2) this.rows.set(k, Float64Array.from(v));
  }
}

/** Posterior mean of arm `a` given counts (or none) and a Beta prior with mean `m` and strength `k`. */
export function posteriorMean(row: ArrayLike<number> | undefined, a: number, m: number, k: number): number {
  if (!row) return m;
  const s = row[a * 2]!;
  const f = row[a * 2 + 1]!;
  return (s + k * m) / (s + f + k);
}

/** Remembers which decisions already paid a reward, so a decision is not counted twice (bounded). */
export class SeenSet {
  private readonly set = new Set<string>();
  private order: string[] = [];

  constructor(private readonly limit = 20_000) {}

  has(id: string): boolean {
    return this.set.has(id);
  }

  add(id: string): void {
    if (this.set.has(id)) return;
    this.set.add(id);
    this.order.push(id);
    if (this.order.length > this.limit * 1.5) {
      for (const old of this.order.splice(0, this.order.length - this.limit)) this.set.delete(old);
    }
  }

  toJSON(): string[] {
    return this.order.slice(-this.limit);
  }

  restore(ids: string[] | undefined): void {
    this.set.clear();
    this.order = [];
    for (const id of ids ?? []) this.add(id);
  }
}
