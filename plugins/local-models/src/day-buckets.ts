// The last few days of a BetaTable's evidence, one bucket of counts per key and decision day, so
// that change detection can ask "since which day do the answers disagree with what came before?"
// and keep exactly the evidence after that day. Buckets fade with their table, so a key's buckets
// always add up to no more than its row.
import { gStatistic } from './change-test.js';

export interface ChangePoint {
  /** first day of the new regime */
  day: number;
  /** the largest G statistic over the arms at that split */
  g: number;
}

export class DayBuckets {
  private readonly rows = new Map<string, Map<number, Float64Array>>();

  constructor(
    readonly arms: number,
    /** days of buckets kept (the change-point search window) */
    readonly days: number,
  ) {}

  add(key: string, day: number, arm: number, reward: number): void {
    let byDay = this.rows.get(key);
    if (!byDay) this.rows.set(key, (byDay = new Map()));
    let b = byDay.get(day);
    if (!b) byDay.set(day, (b = new Float64Array(this.arms * 2)));
    b[arm * 2 + (reward > 0 ? 0 : 1)]! += 1;
  }

  fade(factor: number): void {
    for (const byDay of this.rows.values()) for (const b of byDay.values()) for (let i = 0; i < b.length; i++) b[i]! *= factor;
  }

  /** drops the buckets older than the window that ends at `newestDay` */
  prune(newestDay: number): void {
    for (const [key, byDay] of this.rows) {
      for (const day of byDay.keys()) if (day <= newestDay - this.days) byDay.delete(day);
      if (!byDay.size) this.rows.delete(key);
    }
  }

  /** the key's counts from `day` on (every arm) */
  since(key: string, day: number): Float64Array {
    const out = new Float64Array(this.arms * 2);
    for (const [d, b] of this.rows.get(key) ?? []) if (d >= day) for (let i = 0; i < b.length; i++) out[i]! += b[i]!;
    return out;
  }

  /** forgets the key's buckets before `day` (they belong to the old regime) */
  dropBefore(key: string, day: number): void {
    const byDay = this.rows.get(key);
    if (byDay) for (const d of byDay.keys()) if (d < day) byDay.delete(d);
  }

  /**
   * The split day where the key's evidence since that day differs most from its evidence before
   * (`row` holds all of it), over every arm, or undefined when no split has evidence on both sides.
   * Every bucket day is a candidate, so the test compares the new regime with the old and not a
   * blend of both, and the caller can keep what came after the change and nothing before it.
   */
  changePoint(key: string, row: Float64Array): ChangePoint | undefined {
    const byDay = this.rows.get(key);
    if (!byDay || !byDay.size) return undefined;
    const days = [...byDay.keys()].sort((a, b) => a - b);
    let best: ChangePoint | undefined;
    const recent = new Float64Array(this.arms * 2);
    // from the newest day back: `recent` grows by one bucket per candidate split
    for (let j = days.length - 1; j >= 0; j--) {
      const b = byDay.get(days[j]!)!;
      for (let i = 0; i < b.length; i++) recent[i]! += b[i]!;
      for (let a = 0; a < this.arms; a++) {
        const s1 = recent[a * 2]!;
        const f1 = recent[a * 2 + 1]!;
        const g = gStatistic(s1, f1, Math.max(0, row[a * 2]! - s1), Math.max(0, row[a * 2 + 1]! - f1));
        if (!best || g > best.g) best = { day: days[j]!, g };
      }
    }
    return best;
  }

  keys(): IterableIterator<string> {
    return this.rows.keys();
  }

  toJSON(): Record<string, Record<string, number[]>> {
    const out: Record<string, Record<string, number[]>> = {};
    for (const [key, byDay] of this.rows) out[key] = Object.fromEntries([...byDay].map(([d, b]) => [String(d), Array.from(b)]));
    return out;
  }

  restore(json: Record<string, Record<string, number[]>> | undefined): void {
    this.rows.clear();
    for (const [key, byDay] of Object.entries(json ?? {})) {
      const m = new Map<number, Float64Array>();
      for (const [d, b] of Object.entries(byDay)) if (b.length === this.arms * 2) m.set(Number(d), Float64Array.from(b));
      if (m.size) this.rows.set(key, m);
    }
  }
}
