import { describe, expect, it } from 'vitest';
import { DayBuckets } from '../src/day-buckets.js';
import { BackoffSampler } from '../src/backoff-sampler.js';

/** n trials of arm 0 on `day`, `s` of them answered, into both the buckets and the full row */
function record(b: DayBuckets, row: Float64Array, day: number, n: number, s: number) {
  for (let i = 0; i < n; i++) {
    b.add('k', day, 0, i < s ? 1 : 0);
    row[i < s ? 0 : 1]! += 1;
  }
}

describe('day buckets (change-point search)', () => {
  it('puts the split on the day the answer rate changed', () => {
    const b = new DayBuckets(1, 7);
    const row = new Float64Array(2);
    for (let day = 0; day < 30; day++) record(b, row, day, 50, 15); // 30% for a month
    b.prune(29);
    for (let day = 30; day < 33; day++) record(b, row, day, 50, 1); // then 2%
    b.prune(32);
    const change = b.changePoint('k', row)!;
    expect(change.day).toBe(30);
    expect(change.g).toBeGreaterThan(30);
    expect(Array.from(b.since('k', change.day))).toEqual([3, 147]);
  });

  it('keeps only the window: older days are pruned, and a stable rate shows no change', () => {
    const b = new DayBuckets(1, 7);
    const row = new Float64Array(2);
    for (let day = 0; day < 40; day++) record(b, row, day, 50, 10);
    b.prune(39);
    expect(Array.from(b.since('k', 0))).toEqual([70, 280]); // days 33..39
    expect(b.changePoint('k', row)!.g).toBeLessThan(1);
  });

  it('a reset keeps what came after the change in the context and the contexts under it', () => {
    const s = new BackoffSampler(2, 20, 0.05, (leaf) => leaf.split('|')[1]!);
    // arm 0 answered 30% for three weeks, then stops; arm 1 never answered
    for (let day = 0; day < 24; day++) {
      for (let i = 0; i < 60; i++) s.add('champion', 'fintech|champion', i % 2, i % 2 === 0 && day < 21 && i % 20 < 6 ? 1 : 0, day);
      s.fade(1, day);
    }
    expect(s.resetChanged(16)).toBeGreaterThan(0);
    // from day 21 on: 3 days × 30 trials per arm, no answer
    expect(Array.from(s.leaf.get('fintech|champion')!)).toEqual([0, 90, 0, 90]);
    expect(Array.from(s.persona.get('champion')!)).toEqual([0, 90, 0, 90]);
  });
});
