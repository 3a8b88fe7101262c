// predict/content: which topic and variant to talk about next. The topic is the one the account
// consumed most (features.topics) weighted by the per-topic success rate (Beta posterior mean),
// so a topic that keeps failing loses to the runner-up; the variant (A/B/…) is chosen by Thompson
// sampling over per-variant Beta posteriors.
//
// Why the topic's rate is not sampled: what the account reads already says what it wants, and
// every account's choice teaches the rate of its own topic, so no exploration is needed. A draw
// from the young posterior (prior strength 20 at 5%: as wide as its mean) outweighed the account's
// own reading and sent a topic it had read once over one it had read three times. Measured on the
// default scenario, seeds 1-5, days 0-14: treatments on the account's interest topic 0.712 -> 0.724
// (a small gain: the reading itself is the strong signal).
import type { ContentInput, ContentOutput, FeedbackExample } from '@revloop/core';
import type { Rng } from './random.js';
import { isEngagement } from './channel.js';
import { posteriorMean } from './beta-table.js';

export interface ContentState {
  topics: Record<string, [number, number]>;
  variants: Record<string, [number, number]>;
  updates: number;
  examples: number;
}

export interface ContentOptions {
  variants: readonly string[];
  priorStrength: number;
  priorRate: number;
  defaultTopic: string;
}

export class ContentModel {
  private readonly topics = new Map<string, [number, number]>();
  private readonly variants = new Map<string, [number, number]>();
  updates = 0;
  examples = 0;

  constructor(private readonly options: ContentOptions) {
    for (const v of options.variants) this.variants.set(v, [0, 0]);
  }

  private draw(counts: [number, number] | undefined, rng: Rng): number {
    const k = this.options.priorStrength;
    const m = this.options.priorRate;
    return rng.beta((counts?.[0] ?? 0) + k * m, (counts?.[1] ?? 0) + k * (1 - m));
  }

  choose(input: ContentInput, rng: Rng): ContentOutput {
    let topic = '';
    let best = -1;
    for (const t in input.features.topics) {
      const n = input.features.topics[t]!;
      if (n <= 0) continue;
      const score = n * posteriorMean(this.topics.get(t), 0, this.options.priorRate, this.options.priorStrength);
      if (score > best) [best, topic] = [score, t];
    }
    if (!topic) topic = this.bestKnownTopic() ?? this.options.defaultTopic;
    let variant = this.options.variants[0]!;
    let bestDraw = -1;
    for (const v of this.options.variants) {
      const d = this.draw(this.variants.get(v), rng);
      if (d > bestDraw) [bestDraw, variant] = [d, v];
    }
    return { topic, variant };
  }

  /** the topic with the best posterior mean (at least one success), for accounts with no topic signal */
  private bestKnownTopic(): string | undefined {
    let best: string | undefined;
    let mean = -1;
    for (const [t, [s, f]] of this.topics) {
      if (s < 1) continue;
      const m = s / (s + f);
      if (m > mean) [mean, best] = [m, t];
    }
    return best;
  }

  /** Reads outputs['content'] (a ContentOutput) of each example; returns how many were used. */
  learn(examples: readonly FeedbackExample[]): number {
    let used = 0;
    for (const ex of examples) {
      if (!isEngagement(ex)) continue; // a topic earns credit when the contact answered it
      const out = ex.outputs['content'] as Partial<ContentOutput> | undefined;
      if (!out || typeof out.topic !== 'string') continue;
      bump(this.topics, out.topic, ex.reward);
      if (typeof out.variant === 'string' && this.variants.has(out.variant)) bump(this.variants, out.variant, ex.reward);
      used++;
    }
    this.updates++;
    this.examples += used;
    return used;
  }

  rates(): { topics: Record<string, number>; variants: Record<string, number> } {
    const mean = ([s, f]: [number, number]) => (s + this.options.priorStrength * this.options.priorRate) / (s + f + this.options.priorStrength);
    return {
      topics: Object.fromEntries([...this.topics].map(([k, v]) => [k, mean(v)])),
      variants: Object.fromEntries([...this.variants].map(([k, v]) => [k, mean(v)])),
    };
  }

  toState(): ContentState {
    return { topics: Object.fromEntries(this.topics), variants: Object.fromEntries(this.variants), updates: this.updates, examples: this.examples };
  }

  restore(s: ContentState): void {
    this.topics.clear();
    for (const [k, v] of Object.entries(s.topics ?? {})) this.topics.set(k, [v[0], v[1]]);
    for (const [k, v] of Object.entries(s.variants ?? {})) if (this.variants.has(k)) this.variants.set(k, [v[0], v[1]]);
    this.updates = s.updates;
    this.examples = s.examples;
  }
}

function bump(map: Map<string, [number, number]>, key: string, reward: number): void {
  let c = map.get(key);
  if (!c) map.set(key, (c = [0, 0]));
  if (reward > 0) c[0]++;
  else c[1]++;
}
