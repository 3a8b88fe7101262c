// A Thompson sampler over a fixed set of arms with a three-level hierarchical backoff: the
// segment × persona leaf borrows `priorStrength` pseudo-observations from the persona level, which
// borrows them from the global level, whose prior is `priorRate`.
//
// Beside the counts that fade slowly, each level keeps its last few days of evidence by decision
// day. When some arm's answers since one of those days disagree with its evidence before that day
// beyond a G-test threshold, the old regime is dropped: every arm of that context keeps only what
// came after that day, and so do the contexts under it. Why: a half-life long enough to estimate
// small rates takes weeks to forget a channel that stopped working (a persona moving to another
// channel); the test sees it in days. Why by day and not a fast-fading window: a window mixes the
// days before the change into the "recent" side, which both weakens the test and, after a reset,
// keeps enough of the old regime's answers for the dead arm to win the next draws.
import { BetaTable, posteriorMean } from './beta-table.js';
import { DayBuckets } from './day-buckets.js';
import type { Rng } from './random.js';

interface Levels<T> {
  global: T;
  persona: T;
  leaf: T;
}

export interface BackoffState extends Levels<Record<string, number[]>> {
  /** the last days' counts by decision day (absent in states saved before day buckets) */
  days?: Levels<Record<string, Record<string, number[]>>>;
}

const GLOBAL = '*';

export class BackoffSampler {
  readonly global: BetaTable;
  readonly persona: BetaTable;
  readonly leaf: BetaTable;
  /** absent when the sampler runs no change detection (scanDays 0) */
  readonly days: Levels<DayBuckets> | undefined;

  constructor(
    readonly arms: number,
    private readonly priorStrength: number,
    private readonly priorRate: number,
    /** the persona key a leaf key belongs to */
    private readonly personaOf: (leaf: string) => string,
    /** days of evidence the change-point search looks back over; 0 keeps none (no change detection) */
    scanDays = 7,
  ) {
    this.global = new BetaTable(arms);
    this.persona = new BetaTable(arms);
    this.leaf = new BetaTable(arms);
    this.days = scanDays > 0 ? { global: new DayBuckets(arms, scanDays), persona: new DayBuckets(arms, scanDays), leaf: new DayBuckets(arms, scanDays) } : undefined;
  }

  /** the leaf's Beta posterior (alpha, beta) of arm `a`, through the backoff chain */
  private posterior(a: number, p: Float64Array | undefined, g: Float64Array | undefined, l: Float64Array | undefined): [number, number] {
    const k = this.priorStrength;
    const m = posteriorMean(p, a, posteriorMean(g, a, this.priorRate, k), k);
    const s = l ? l[a * 2]! : 0;
    const f = l ? l[a * 2 + 1]! : 0;
    return [s + k * m, f + k * (1 - m)];
  }

  /** every arm's Beta posterior in the leaf, [alpha0, beta0, alpha1, beta1, …] (the choice's propensity) */
  posteriors(persona: string, leaf: string): Float64Array {
    const g = this.global.get(GLOBAL);
    const p = this.persona.get(persona);
    const l = this.leaf.get(leaf);
    const out = new Float64Array(this.arms * 2);
    for (let a = 0; a < this.arms; a++) [out[a * 2], out[a * 2 + 1]] = this.posterior(a, p, g, l);
    return out;
  }

  /** one Thompson draw per arm: the arm with the highest draw, its posterior mean, and the mean over all arms */
  choose(persona: string, leaf: string, rng: Rng): { arm: number; mean: number; averageMean: number } {
    const g = this.global.get(GLOBAL);
    const p = this.persona.get(persona);
    const l = this.leaf.get(leaf);
    let arm = 0;
    let bestDraw = -1;
    let mean = 0;
    let sum = 0;
    for (let a = 0; a < this.arms; a++) {
      const [alpha, beta] = this.posterior(a, p, g, l);
      const m = alpha / (alpha + beta);
      sum += m;
      const draw = rng.beta(alpha, beta);
      if (draw > bestDraw) [bestDraw, arm, mean] = [draw, a, m];
    }
    return { arm, mean, averageMean: sum / this.arms };
  }

  /** one answer (reward 1) or silence (0) of `arm`, decided on day `day` (whole days of decision time) */
  add(persona: string, leaf: string, arm: number, reward: number, day: number, weight = 1): void {
    this.global.add(GLOBAL, arm, reward, weight);
    this.persona.add(persona, arm, reward, weight);
    this.leaf.add(leaf, arm, reward, weight);
    this.days?.global.add(GLOBAL, day, arm, reward);
    this.days?.persona.add(persona, day, arm, reward);
    this.days?.leaf.add(leaf, day, arm, reward);
  }

  /** fades every count by `factor`; day buckets older than the search window before `newestDay` go */
  fade(factor: number, newestDay: number): void {
    for (const t of [this.global, this.persona, this.leaf]) t.fade(factor);
    if (!this.days) return;
    for (const d of [this.days.global, this.days.persona, this.days.leaf]) {
      d.fade(factor);
      d.prune(newestDay);
    }
  }

  /**
   * Drops the old regime of every context whose answers changed: when some arm's counts since a
   * day of the search window differ from its counts before (G above `threshold`), every arm of
   * that context keeps only its counts since that day, and so does every context under it (a
   * change at the global level resets the personas and leaves, one at a persona level its
   * leaves). Why every arm: when what worked stops working the market moved, and the old failures
   * of the other arms are as stale as the old successes of this one; they must be tried again.
   * Returns how many contexts changed.
   */
  resetChanged(threshold: number): number {
    if (!this.days) return 0;
    let resets = 0;
    const levels = [
      { level: 'global', table: this.global, days: this.days.global },
      { level: 'persona', table: this.persona, days: this.days.persona },
      { level: 'leaf', table: this.leaf, days: this.days.leaf },
    ];
    const keepSince = (table: BetaTable, days: DayBuckets, key: string, day: number): void => {
      const row = table.get(key);
      if (!row) return;
      row.set(days.since(key, day));
      days.dropBefore(key, day);
    };
    for (const [depth, { level, table, days }] of levels.entries()) {
      for (const key of table.keys()) {
        const change = days.changePoint(key, table.get(key)!);
        if (!change || change.g <= threshold) continue;
        resets++;
        keepSince(table, days, key, change.day);
        for (const below of levels.slice(depth + 1)) {
          for (const k of below.table.keys()) {
            if (level === 'global' || (below.level === 'leaf' && this.personaOf(k) === key)) keepSince(below.table, below.days, k, change.day);
          }
        }
      }
    }
    return resets;
  }

  get leaves(): number {
    return this.leaf.size;
  }

  toJSON(): BackoffState {
    const d = this.days;
    return {
      global: this.global.toJSON(),
      persona: this.persona.toJSON(),
      leaf: this.leaf.toJSON(),
      ...(d ? { days: { global: d.global.toJSON(), persona: d.persona.toJSON(), leaf: d.leaf.toJSON() } } : {}),
    };
  }

  restore(s: BackoffState | undefined): void {
    this.global.restore(s?.global);
    this.persona.restore(s?.persona);
    this.leaf.restore(s?.leaf);
    // a state saved with a fast-fading recent window instead of day buckets starts its buckets afresh
    this.days?.global.restore(s?.days?.global);
    this.days?.persona.restore(s?.days?.persona);
    this.days?.leaf.restore(s?.days?.leaf);
  }
}
