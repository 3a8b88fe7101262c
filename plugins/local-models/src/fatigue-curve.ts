// Diminishing returns, learned: how an account's answers fall with how often and how lately it
// was treated. The channel/time model's expected reward is its rate × this ratio, so that the
// engine's ranking spends the day's budget where an answer is still likely instead of on the
// same accounts again and again. Counts fade like the channel sampler's.
//
// Why answers are compared with what the model expected at decision time, not counted: the
// accounts treated most are treated later in a run, when the channel and hour are better known,
// and on other channels and personas than fresh ones; answers over the model's own expectation
// take the channel, hour, persona and the model's progress out of the comparison.
// Why recency: fatigue wears off; two treatments last week tire less than two in the last days.
import type { AccountFeatures } from '@revloop/core';

/** per bucket: answers, expected answers, examples */
const FIELDS = 3;

export class FatigueCurve {
  readonly buckets: number;
  private row: Float64Array;

  constructor(
    /** treatment counts 1 .. maxCount (the last holds every count above it) */
    readonly maxCount: number,
    private readonly priorStrength: number,
    /** a treatment this many days ago or less is recent */
    readonly recentDays = 3,
  ) {
    this.buckets = 1 + maxCount * 2;
    this.row = new Float64Array(this.buckets * FIELDS);
  }

  /** 0: no treatment in the window; then by count (1..maxCount) × recent (odd) or not (even) */
  bucketOf(f: AccountFeatures): number {
    let n = 0;
    for (const c in f.recentTreatments) n += f.recentTreatments[c as keyof typeof f.recentTreatments] ?? 0;
    if (n <= 0) return 0;
    const last = f.daysSinceLastTreatment;
    const old = typeof last === 'number' && last > this.recentDays ? 1 : 0;
    return 1 + (Math.min(n, this.maxCount) - 1) * 2 + old;
  }

  /** one answer (reward 0/1) to a decision the model expected to answer with `expected` (before this curve) */
  add(f: AccountFeatures, reward: number, expected: number): void {
    if (!(expected > 0)) return;
    const b = this.bucketOf(f) * FIELDS;
    this.row[b]! += reward > 0 ? 1 : 0;
    this.row[b + 1]! += expected;
    this.row[b + 2]! += 1;
  }

  /** the bucket's answers-over-expected over the pooled one: 1 with no evidence, shrunk toward 1 with little */
  ratio(f: AccountFeatures): number {
    let s = 0;
    let e = 0;
    let n = 0;
    for (let b = 0; b < this.buckets; b++) {
      s += this.row[b * FIELDS]!;
      e += this.row[b * FIELDS + 1]!;
      n += this.row[b * FIELDS + 2]!;
    }
    if (!s || !e) return 1;
    const pooled = s / e;
    // `priorStrength` examples' worth of expected answers, at the pooled rate
    const k = (this.priorStrength * e) / n;
    const b = this.bucketOf(f) * FIELDS;
    return (this.row[b]! + k * pooled) / (this.row[b + 1]! + k) / pooled;
  }

  fade(factor: number): void {
    for (let i = 0; i < this.row.length; i++) this.row[i]! *= factor;
  }

  toJSON(): number[] {
    return Array.from(this.row);
  }

  /** a state of another shape (older versions counted raw answers per treatment count) starts afresh */
  restore(json: unknown): void {
    this.row = new Float64Array(this.buckets * FIELDS);
    if (Array.isArray(json) && json.length === this.row.length) this.row.set(json as number[]);
  }
}
