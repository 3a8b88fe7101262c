// A Thompson sampler over a fixed set of arms with a three-level hierarchical backoff: the
// segment × persona leaf borrows `priorStrength` pseudo-observations from the persona level, which
// borrows them from the global level, whose prior is `priorRate`.
//
// Beside the counts that fade slowly, each level keeps a recent window (counts that fade fast).
// When an arm's recent answer rate disagrees with its older evidence beyond a G-test threshold,
// the old regime is dropped: every arm of that context keeps only its recent counts, and so do
// the contexts under it. Why: a half-life long enough to estimate small rates takes weeks to forget a channel
// that stopped working (a persona moving to another channel); the test sees it in days.
import { BetaTable, posteriorMean } from './beta-table.js';
import { gStatistic } from './change-test.js';
import type { Rng } from './random.js';

interface Levels<T> {
  global: T;
  persona: T;
  leaf: T;
}

export interface BackoffState extends Levels<Record<string, number[]>> {
  /** the recent window's counts (absent in states saved before change detection) */
  recent?: Levels<Record<string, number[]>>;
}

const GLOBAL = '*';

export class BackoffSampler {
  readonly global: BetaTable;
  readonly persona: BetaTable;
  readonly leaf: BetaTable;
  readonly recent: Levels<BetaTable>;

  constructor(
    readonly arms: number,
    private readonly priorStrength: number,
    private readonly priorRate: number,
    /** the persona key a leaf key belongs to */
    private readonly personaOf: (leaf: string) => string,
  ) {
    this.global = new BetaTable(arms);
    this.persona = new BetaTable(arms);
    this.leaf = new BetaTable(arms);
    this.recent = { global: new BetaTable(arms), persona: new BetaTable(arms), leaf: new BetaTable(arms) };
  }

  /** the leaf's Beta posterior (alpha, beta) of arm `a`, through the backoff chain */
  private posterior(a: number, p: Float64Array | undefined, g: Float64Array | undefined, l: Float64Array | undefined): [number, number] {
    const k = this.priorStrength;
    const m = posteriorMean(p, a, posteriorMean(g, a, this.priorRate, k), k);
    const s = l ? l[a * 2]! : 0;
    const f = l ? l[a * 2 + 1]! : 0;
    return [s + k * m, f + k * (1 - m)];
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

  add(persona: string, leaf: string, arm: number, reward: number): void {
    this.global.add(GLOBAL, arm, reward);
    this.persona.add(persona, arm, reward);
    this.leaf.add(leaf, arm, reward);
    this.recent.global.add(GLOBAL, arm, reward);
    this.recent.persona.add(persona, arm, reward);
    this.recent.leaf.add(leaf, arm, reward);
  }

  /** fades the counts by `factor` and the recent window by `recentFactor` */
  fade(factor: number, recentFactor: number): void {
    this.global.fade(factor);
    this.persona.fade(factor);
    this.leaf.fade(factor);
    this.recent.global.fade(recentFactor);
    this.recent.persona.fade(recentFactor);
    this.recent.leaf.fade(recentFactor);
  }

  /**
   * Drops the old regime of every context whose recent answers disagree with its older evidence:
   * when one arm's recent rate differs (G above `threshold`), every arm of that context keeps only
   * its recent counts, and so does every context under it (a change at the global level resets
   * the personas and leaves, one at a persona level its leaves). Why every arm: when what worked
   * stops working the market moved, and the old failures of the other arms are as stale as the
   * old successes of this one; they must be tried again. Returns how many contexts changed.
   */
  resetChanged(threshold: number): number {
    let resets = 0;
    const levels = [
      { level: 'global', table: this.global, recent: this.recent.global },
      { level: 'persona', table: this.persona, recent: this.recent.persona },
      { level: 'leaf', table: this.leaf, recent: this.recent.leaf },
    ];
    const keep = (table: BetaTable, recent: BetaTable, key: string): void => {
      const row = table.get(key);
      if (!row) return;
      const r = recent.get(key);
      for (let i = 0; i < row.length; i++) row[i] = r ? r[i]! : 0;
    };
    /** whether some arm's recent counts differ from its older ones (G above the threshold) */
    const changed = (table: BetaTable, recent: BetaTable, key: string): boolean => {
      const row = table.get(key);
      const r = recent.get(key);
      if (!row || !r) return false;
      for (let a = 0; a < this.arms; a++) {
        const s1 = r[a * 2]!;
        const f1 = r[a * 2 + 1]!;
        if (gStatistic(s1, f1, Math.max(0, row[a * 2]! - s1), Math.max(0, row[a * 2 + 1]! - f1)) > threshold) return true;
      }
      return false;
    };
    for (const [depth, { level, table, recent }] of levels.entries()) {
      for (const key of table.keys()) {
        if (!changed(table, recent, key)) continue;
        resets++;
        keep(table, recent, key);
        for (const below of levels.slice(depth + 1)) {
          for (const k of below.table.keys()) {
            if (level === 'global' || (below.level === 'leaf' && this.personaOf(k) === key)) keep(below.table, below.recent, k);
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
    const r = this.recent;
    return {
      global: this.global.toJSON(),
      persona: this.persona.toJSON(),
      leaf: this.leaf.toJSON(),
      recent: { global: r.global.toJSON(), persona: r.persona.toJSON(), leaf: r.leaf.toJSON() },
    };
  }

  restore(s: BackoffState | undefined): void {
    this.global.restore(s?.global);
    this.persona.restore(s?.persona);
    this.leaf.restore(s?.leaf);
    this.recent.global.restore(s?.recent?.global);
    this.recent.persona.restore(s?.recent?.persona);
    this.recent.leaf.restore(s?.recent?.leaf);
  }
}
