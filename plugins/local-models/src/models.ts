// The local models of one plugin instance: held in memory (keyed by the instance's context),
// loaded once from ctx.state, saved back to ctx.state by each update() so that a new process
// continues learning where the last one stopped.
import type { AccountFeatures, FeedbackExample, PluginContext } from '@revloop/core';
import type { LocalModelsConfig } from './config.js';
import { IntentModel, type IntentState } from './intent.js';
import { ChannelModel, type ChannelState } from './channel.js';
import { ContentModel, type ContentState } from './content.js';
import { SeenSet } from './beta-table.js';
import { hash32, Rng } from './random.js';

export const stateKeys = { intent: 'intent-lr', channel: 'channel-ts', content: 'content-ts' } as const;
type Task = keyof typeof stateKeys;

export class LocalModelSet {
  readonly intent: IntentModel;
  readonly channel: ChannelModel;
  readonly content: ContentModel;
  readonly rng = new Rng();
  private readonly seen: Record<Task, SeenSet> = { intent: new SeenSet(), channel: new SeenSet(), content: new SeenSet() };

  constructor(readonly config: LocalModelsConfig) {
    this.intent = new IntentModel(config.intent);
    this.channel = new ChannelModel(config);
    this.content = new ContentModel(config);
  }

  /** Reseeds the shared PRNG for one decision: the same seed, account, time and task draw the same. */
  rngFor(f: AccountFeatures, salt: number): Rng {
    const minute = Math.floor((f.at ?? 0) / 60_000);
    return this.rng.reseed(hash32(f.accountId, (Math.imul(this.config.seed, 0x9e3779b1) ^ Math.imul(minute, 0x85ebca6b) ^ salt) >>> 0));
  }

  /** The examples not learned yet: a decision pays its positive reward once (opportunity, then closed-won). */
  fresh(task: Task, examples: readonly FeedbackExample[]): FeedbackExample[] {
    const seen = this.seen[task];
    const out: FeedbackExample[] = [];
    for (const ex of examples) {
      const key = `${ex.decisionId}:${ex.reward > 0 ? 1 : 0}`;
      if (seen.has(key)) continue;
      seen.add(key);
      out.push(ex);
    }
    return out;
  }

  async load(ctx: PluginContext<LocalModelsConfig>): Promise<void> {
    const [intent, channel, content] = await Promise.all([
      ctx.state.get<IntentState & { seen?: string[] }>(stateKeys.intent),
      ctx.state.get<ChannelState & { seen?: string[] }>(stateKeys.channel),
      ctx.state.get<ContentState & { seen?: string[] }>(stateKeys.content),
    ]);
    if (intent) this.intent.restore(intent), this.seen.intent.restore(intent.seen);
    if (channel) this.channel.restore(channel), this.seen.channel.restore(channel.seen);
    if (content) this.content.restore(content), this.seen.content.restore(content.seen);
  }

  async save(ctx: PluginContext<LocalModelsConfig>, task: Task): Promise<void> {
    const model = task === 'intent' ? this.intent : task === 'channel' ? this.channel : this.content;
    await ctx.state.set(stateKeys[task], { ...model.toState(), seen: this.seen[task].toJSON() });
  }
}

const sets = new WeakMap<object, Promise<LocalModelSet>>();

/** The model set of this plugin instance (one per context), loaded from ctx.state on first use. */
export function modelsFor(ctx: PluginContext<LocalModelsConfig>): Promise<LocalModelSet> {
  let p = sets.get(ctx);
  if (!p) {
    const set = new LocalModelSet(ctx.config);
    p = set.load(ctx).then(() => set);
    p.catch(() => sets.delete(ctx)); // a failed load is retried on the next call
    sets.set(ctx, p);
  }
  return p;
}
