// @revloop/plugin-local-models: the embedded default models (no network, no cost):
//   classify/intent        online logistic regression (quality 0.6)
//   predict/content        most-read topic × its success rate, variant A/B by Thompson sampling (0.6)
//   generate/message       persona templates, conservative on retry (0.5)
//   predict/channel-time   contextual Thompson sampling (channel, send hour) with hierarchical backoff,
//                          forgetting, change detection and learned diminishing returns (0.6)
import { defineModel, type ChannelInput, type ChannelOutput, type ContentInput, type ContentOutput, type IntentInput, type IntentOutput, type MessageInput, type MessageOutput } from '@revloop/core';
import { localModelsConfigSchema } from './config.js';
import { modelsFor } from './models.js';
import { composeMessage } from './message.js';
import { ChannelModel } from './channel.js';
import { replayChannel, replaySettings } from './replay.js';

const SALT_CONTENT = 0x1c0de;
const SALT_CHANNEL = 0x2c4a7;

export const localModels = defineModel({
  name: '@revloop/plugin-local-models',
  version: '0.1.0',
  description: 'Embedded models: intent logistic regression, Thompson-sampling content and channel/time, template messages.',
  config: localModelsConfigSchema,
  capabilities: [
    {
      capability: 'classify',
      task: 'intent',
      quality: 0.6,
      costMicros: 0,
      async invoke(ctx, input: IntentInput) {
        const m = await modelsFor(ctx);
        return { output: m.intent.predict(input.features) satisfies IntentOutput, costMicros: 0, modelVersion: `intent-lr@${m.intent.updates}` };
      },
      async update(ctx, feedback) {
        const m = await modelsFor(ctx);
        const examples = m.fresh('intent', feedback);
        if (!examples.length) return;
        const metrics = m.intent.train(examples);
        await m.save(ctx, 'intent');
        return { version: `intent-lr@${m.intent.updates}`, metrics };
      },
    },
    {
      capability: 'predict',
      task: 'content',
      quality: 0.6,
      costMicros: 0,
      async invoke(ctx, input: ContentInput) {
        const m = await modelsFor(ctx);
        const output: ContentOutput = m.content.choose(input, m.rngFor(input.features, SALT_CONTENT));
        return { output, costMicros: 0, modelVersion: `content-ts@${m.content.updates}` };
      },
      async update(ctx, feedback) {
        const m = await modelsFor(ctx);
        const used = m.content.learn(m.fresh('content', feedback));
        if (!used) return;
        await m.save(ctx, 'content');
        const rates = m.content.rates();
        return { version: `content-ts@${m.content.updates}`, metrics: { examples: m.content.examples, batch: used, ...prefixed('variant', rates.variants) } };
      },
    },
    {
      capability: 'generate',
      task: 'message',
      quality: 0.5,
      costMicros: 0,
      async invoke(ctx, input: MessageInput) {
        const output: MessageOutput = composeMessage(input, ctx.config.offerVariants);
        return { output, costMicros: 0, modelVersion: 'message-templates@1' };
      },
    },
    {
      capability: 'predict',
      task: 'channel-time',
      quality: 0.6,
      costMicros: 0,
      async invoke(ctx, input: ChannelInput) {
        const m = await modelsFor(ctx);
        const output: ChannelOutput = m.channel.choose(input, m.rngFor(input.features, SALT_CHANNEL));
        return { output, costMicros: 0, modelVersion: `channel-ts@${m.channel.updates}` };
      },
      async update(ctx, feedback) {
        const m = await modelsFor(ctx);
        const fresh = m.fresh('channel', feedback);
        const used = m.channel.learn(fresh);
        if (!used) return;
        await m.save(ctx, 'channel');
        const positives = fresh.filter((e) => e.reward > 0).length;
        return { version: `channel-ts@${m.channel.updates}`, metrics: { examples: m.channel.examples, batch: used, batchRewardRate: used ? positives / used : 0, contexts: m.channel.contexts, changeResets: m.channel.changeResets } };
      },
      async replay(ctx, settings, steps) {
        return replayChannel(new ChannelModel(replaySettings(ctx.config, settings)), steps);
      },
    },
  ],
});

function prefixed(prefix: string, values: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(values).map(([k, v]) => [`${prefix}.${k}`, Math.round(v * 10_000) / 10_000]));
}

export default localModels;
export { localModelsConfigSchema, type LocalModelsConfig } from './config.js';
export { composeMessage } from './message.js';
export { IntentModel, evaluate as evaluateIntent } from './intent.js';
export { ChannelModel } from './channel.js';
export { ContentModel } from './content.js';
