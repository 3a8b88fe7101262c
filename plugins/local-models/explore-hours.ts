import { BackoffSampler, SHARPEN } from './src/backoff-sampler.js';
import { Rng } from './src/random.js';
const mult = (best: number, h: number) => { const raw = Math.abs(h - best); const d = Math.min(raw, 24 - raw); return 0.3 + 0.7 * Math.exp(-(d * d) / (2 * 2.5 * 2.5)); };
function run(hours: number[], sigma: number, perDay: number, days: number, delay: number, base: number, trials: number) {
  let sum = 0, n = 0;
  const rng = new Rng();
  for (let t = 0; t < trials; t++) {
    rng.reseed(1000 + t);
    const best = 7 + (t % 11);
    const s = new BackoffSampler(hours.length, 20, 0.05, (l) => l);
    const queue: { day: number; arm: number; y: number }[] = [];
    for (let d = 0; d < days; d++) {
      for (const q of queue.filter((q) => q.day <= d - delay)) {
        for (let a = 0; a < hours.length; a++) {
          const w = sigma > 0 ? Math.exp(-((hours[a]! - hours[q.arm]!) ** 2) / (2 * sigma * sigma)) : a === q.arm ? 1 : 0;
          if (w > 0.02) s.addWeighted('p', 'l', a, q.y, w);
        }
      }
      for (let i = queue.length - 1; i >= 0; i--) if (queue[i]!.day <= d - delay) queue.splice(i, 1);
      for (let k = 0; k < perDay; k++) {
        const c = s.choose('p', 'l', rng);
        const m = mult(best, hours[c.arm]!);
        sum += m; n++;
        queue.push({ day: d, arm: c.arm, y: rng.next() < base * m ? 1 : 0 });
      }
    }
  }
  return (sum / n).toFixed(3);
}
const H4 = [8, 11, 14, 17], H12 = [7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18];
for (const perDay of [5, 20]) for (const days of [15, 45]) {
  const row: string[] = [];
  for (const k of [1, 3, 10]) { SHARPEN.k = k; row.push(`k${k} H4 ${run(H4, 0, perDay, days, 3, 0.12, 220)} H12k1.5 ${run(H12, 1.5, perDay, days, 3, 0.12, 220)}`); }
  SHARPEN.k = 1;
  console.log(`perDay ${perDay} days ${days}:`, row.join(' | '));
}
