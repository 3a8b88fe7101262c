// Diminishing returns, learned: how often a contact answers when the account was treated 0, 1,
// 2, ... times in the feature window, relative to the rate over all treatments. The channel/time
// model's expected reward is that model's rate × this ratio, so that the engine's ranking spends
// the day's budget where an answer is still likely instead of on the same accounts again and
// again. Counts fade like the channel sampler's.
import { BetaTable } from './beta-table.js';
import type { AccountFeatures } from '@revloop/core';

const KEY = '*';

export class FatigueCurve {
  readonly table: BetaTable;

  constructor(
    /** buckets 0 .. buckets-1; the last holds every count at or above it */
    readonly buckets: number,
    private readonly priorStrength: number,
  ) {
    this.table = new BetaTable(buckets);
  }

  bucketOf(f: AccountFeatures): number {
    let n = 0;
    for (const c in f.recentTreatments) n += f.recentTreatments[c as keyof typeof f.recentTreatments] ?? 0;
    return Math.min(this.buckets - 1, n);
  }

  add(f: AccountFeatures, reward: number): void {
    this.table.add(KEY, this.bucketOf(f), reward);
  }

  /** the bucket's rate over the pooled rate: 1 with no evidence, shrunk toward 1 with little */
  ratio(f: AccountFeatures): number {
    const row = this.table.get(KEY);
    if (!row) return 1;
    let s = 0;
    let n = 0;
    for (let b = 0; b < this.buckets; b++) {
      s += row[b * 2]!;
      n += row[b * 2]! + row[b * 2 + 1]!;
    }
    if (!s) return 1;
    const pooled = s / n;
    const b = this.bucketOf(f);
    const k = this.priorStrength;
    const rate = (row[b * 2]! + k * pooled) / (row[b * 2]! + row[b * 2 + 1]! + k);
    return rate / pooled;
  }

  fade(factor: number): void {
    this.table.fade(factor);
  }

  toJSON(): Record<string, number[]> {
    return this.table.toJSON();
  }

  restore(json: Record<string, number[]> | undefined): void {
    this.table.restore(json);
  }
}
