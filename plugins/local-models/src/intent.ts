// classify/intent: online logistic regression over AccountFeatures. Dense features are log1p
// signal counts per kind, recency, open opportunity and treatment load; industry, size,
// industry×size and region are hashed one-hots. The prior weights encode day-1 knowledge (demo
// and pricing visits and form fills raise the score); SGD on feedback moves away from them, with
// an L2 pull back toward them so a few examples cannot wreck the prior.
import { signalCategories, signalKinds, type AccountFeatures, type FeedbackExample, type IntentOutput, type SignalCategory } from '@revloop/core';
import { hash32 } from './random.js';

const K = signalKinds.length;
const C = signalCategories.length;
/** dense layout: [bias, counts × K, recency, openOpportunity, treatments, topicBreadth, registered kinds per category × C] */
const DENSE = 1 + K + 4 + C;
const RECENCY = 1 + K;
const CATEGORIES = 1 + K + 4;

/**
 * Kinds a connector or the config registers beyond the built-ins count through their category;
 * day-1 weights below the built-in demo/pricing/form signals, learned from feedback like the rest.
 */
const PRIOR_CATEGORY_WEIGHTS: Record<SignalCategory, number> = { web: 0.3, content: 0.5, event: 0.8, email: 0.2, ad: 0.2, sales: 1.0 };

const PRIOR_COUNT_WEIGHTS: Record<(typeof signalKinds)[number], number> = {
  page_view: 0.15,
  pricing_visit: 1.0,
  demo_visit: 1.2,
  content_download: 0.5,
  email_open: 0.1,
  email_click: 0.4,
  ad_impression: 0.02,
  ad_click: 0.3,
  form_fill: 1.5,
};
const PRIOR_BIAS = -3.5;
const PRIOR_RECENCY = 0.4;
const PRIOR_OPEN_OPP = 0.3;
/** the learning rate halves after 3 × this many example steps */
const DECAY_EXAMPLES = 500;

export interface IntentState {
  weights: number[];
  updates: number;
  examples: number;
  positives: number;
}

export interface IntentOptions {
  learningRate: number;
  l2: number;
  epochs: number;
  threshold: number;
  hashBuckets: number;
}

export class IntentModel {
  readonly dims: number;
  private readonly w: Float64Array;
  private readonly w0: Float64Array;
  private readonly x = new Float64Array(DENSE);
  private readonly idx = new Int32Array(4);
  private readonly bucketOf = new Map<string, number>();
  updates = 0;
  examples = 0;
  positives = 0;

  constructor(private readonly options: IntentOptions) {
    this.dims = DENSE + options.hashBuckets;
    this.w0 = new Float64Array(this.dims);
    this.w0[0] = PRIOR_BIAS;
    signalKinds.forEach((k, i) => (this.w0[1 + i] = PRIOR_COUNT_WEIGHTS[k]));
    this.w0[RECENCY] = PRIOR_RECENCY;
    this.w0[RECENCY + 1] = PRIOR_OPEN_OPP;
    signalCategories.forEach((c, i) => (this.w0[CATEGORIES + i] = PRIOR_CATEGORY_WEIGHTS[c]));
    this.w = Float64Array.from(this.w0);
  }

  private bucket(kind: string, value: string | null): number {
    const key = `${kind}:${value ?? ''}`;
    let b = this.bucketOf.get(key);
    if (b === undefined) {
      b = DENSE + (hash32(key) % this.options.hashBuckets);
      if (this.bucketOf.size < 10_000) this.bucketOf.set(key, b);
    }
    return b;
  }

  /** Fills the scratch vectors for `f` (no allocation once buckets are cached). */
  private featurize(f: AccountFeatures): void {
    const x = this.x;
    x[0] = 1;
    for (let i = 0; i < K; i++) x[1 + i] = Math.log1p(f.counts[signalKinds[i]!] ?? 0);
    const days = f.daysSinceLastSignal;
    x[RECENCY] = days === null || !Number.isFinite(days) ? 0 : Math.exp(-Math.max(0, days) / 7);
    x[RECENCY + 1] = f.hasOpenOpportunity ? 1 : 0;
    let treated = 0;
    for (const c in f.recentTreatments) treated += f.recentTreatments[c as keyof typeof f.recentTreatments] ?? 0;
    x[RECENCY + 2] = Math.log1p(treated);
    let topics = 0;
    for (const _ in f.topics) topics++;
    x[RECENCY + 3] = Math.log1p(topics);
    for (let i = 0; i < C; i++) x[CATEGORIES + i] = Math.log1p(f.categoryCounts?.[signalCategories[i]!] ?? 0);
    this.idx[0] = this.bucket('i', f.industry);
    this.idx[1] = this.bucket('s', f.size);
    this.idx[2] = this.bucket('is', `${f.industry ?? ''}|${f.size ?? ''}`);
    this.idx[3] = this.bucket('r', f.region);
  }

  private margin(): number {
    let z = 0;
    for (let i = 0; i < DENSE; i++) z += this.w[i]! * this.x[i]!;
    for (let j = 0; j < 4; j++) z += this.w[this.idx[j]!]!;
    return z;
  }

  score(f: AccountFeatures): number {
    this.featurize(f);
    return sigmoid(this.margin());
  }

  threshold(): number {
    return this.options.threshold;
  }

  predict(f: AccountFeatures): IntentOutput {
    const score = this.score(f);
    return { label: score >= this.threshold() ? 'high' : 'low', score };
  }

  /** One SGD step on one example (log loss, L2 toward the prior); the rate decays as 1/sqrt(examples seen). */
  private step(f: AccountFeatures, y: number, seen: number): void {
    this.featurize(f);
    const g = sigmoid(this.margin()) - y;
    const lr = this.options.learningRate / Math.sqrt(1 + seen / DECAY_EXAMPLES);
    const l2 = this.options.l2;
    for (let i = 0; i < DENSE; i++) this.w[i]! -= lr * (g * this.x[i]! + l2 * (this.w[i]! - this.w0[i]!));
    for (let j = 0; j < 4; j++) {
      const k = this.idx[j]!;
      this.w[k]! -= lr * (g + l2 * (this.w[k]! - this.w0[k]!));
    }
  }

  /** Learns from a batch; metrics are measured on the batch BEFORE learning from it (progressive validation). */
  train(examples: readonly FeedbackExample[]): Record<string, number> {
    const before = evaluate(this, examples);
    let seen = this.examples;
    for (let e = 0; e < this.options.epochs; e++) for (const ex of examples) this.step(ex.features, ex.reward > 0 ? 1 : 0, seen++);
    this.updates++;
    this.examples += examples.length;
    for (const ex of examples) if (ex.reward > 0) this.positives++;
    return { examples: this.examples, batch: examples.length, positives: this.positives, ...before };
  }

  toState(): IntentState {
    return { weights: Array.from(this.w), updates: this.updates, examples: this.examples, positives: this.positives };
  }

  restore(state: IntentState): void {
    if (state.weights.length !== this.dims) return; // hashBuckets changed: keep the prior
    this.w.set(state.weights);
    this.updates = state.updates;
    this.examples = state.examples;
    this.positives = state.positives;
  }
}

/** log loss, accuracy (at the model's threshold) and AUC (when both classes are present). */
export function evaluate(model: IntentModel, examples: readonly FeedbackExample[]): { logLoss: number; accuracy: number; auc?: number } {
  if (examples.length === 0) return { logLoss: 0, accuracy: 0 };
  let loss = 0;
  let right = 0;
  const t = model.threshold();
  const scored: [number, number][] = [];
  for (const ex of examples) {
    const p = Math.min(1 - 1e-9, Math.max(1e-9, model.score(ex.features)));
    const y = ex.reward > 0 ? 1 : 0;
    loss -= y ? Math.log(p) : Math.log(1 - p);
    if ((p >= t ? 1 : 0) === y) right++;
    scored.push([p, y]);
  }
  const out: { logLoss: number; accuracy: number; auc?: number } = { logLoss: round(loss / examples.length), accuracy: round(right / examples.length) };
  const auc = aucOf(scored);
  if (auc !== undefined) out.auc = round(auc);
  return out;
}

function aucOf(scored: [number, number][]): number | undefined {
  const pos = scored.filter((s) => s[1] === 1).length;
  const neg = scored.length - pos;
  if (!pos || !neg) return undefined;
  scored.sort((a, b) => a[0] - b[0]);
  // rank-sum with average ranks for ties
  let rankSum = 0;
  for (let i = 0; i < scored.length; ) {
    let j = i;
    while (j + 1 < scored.length && scored[j + 1]![0] === scored[i]![0]) j++;
    const rank = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) if (scored[k]![1] === 1) rankSum += rank;
    i = j + 1;
  }
  return (rankSum - (pos * (pos + 1)) / 2) / (pos * neg);
}

const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));
const round = (n: number) => Math.round(n * 10_000) / 10_000;
