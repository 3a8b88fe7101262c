// A Thompson sampler over a fixed set of arms with a three-level hierarchical backoff: the
// segment × persona leaf borrows `priorStrength` pseudo-observations from the persona level, which
// borrows them from the global level, whose prior is `priorRate`.
import { BetaTable, posteriorMean } from './beta-table.js';
import type { Rng } from './random.js';

export interface BackoffState {
  global: Record<string, number[]>;
  persona: Record<string, number[]>;
  leaf: Record<string, number[]>;
}

const GLOBAL = '*';

export class BackoffSampler {
  readonly global: BetaTable;
  readonly persona: BetaTable;
  readonly leaf: BetaTable;

  constructor(
    readonly arms: number,
    private readonly priorStrength: number,
    private readonly priorRate: number,
  ) {
    this.global = new BetaTable(arms);
    this.persona = new BetaTable(arms);
    this.leaf = new BetaTable(arms);
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
  }

  fade(factor: number): void {
    this.global.fade(factor);
    this.persona.fade(factor);
    this.leaf.fade(factor);
  }

  get leaves(): number {
    return this.leaf.size;
  }

  toJSON(): BackoffState {
    return { global: this.global.toJSON(), persona: this.persona.toJSON(), leaf: this.leaf.toJSON() };
  }

  restore(s: BackoffState | undefined): void {
    this.global.restore(s?.global);
    this.persona.restore(s?.persona);
    this.leaf.restore(s?.leaf);
  }
}
