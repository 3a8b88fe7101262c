// The channel/time model replayed over logged decisions (`revloop models evaluate --settings`):
// a fresh model with the candidate settings walks the log in time order. Before each decision it
// learns every answer known by then (the end of that decision's engagement window, as the live
// loop would have), then says its chance of each channel in the decision's context. Why fresh:
// the settings under test (priors, forgetting, change detection, channels, hours) act from the
// first answer on; a model restored from the live state would carry what other settings learned.
import type { ChannelChances, FeedbackExample, ReplayStep } from '@revloop/core';
import { z } from 'zod';
import { ChannelModel, addressedContact } from './channel.js';
import { localModelsConfigSchema, type LocalModelsConfig } from './config.js';

/** the instance's config with the settings merged in; throws with what is wrong with them */
export function replaySettings(config: LocalModelsConfig, settings: Record<string, unknown>): LocalModelsConfig {
  const parsed = localModelsConfigSchema.safeParse({ ...config, ...settings });
  if (!parsed.success) throw new Error(`settings the local models do not accept: ${z.prettifyError(parsed.error).replace(/\n/g, '; ')}`);
  return parsed.data;
}

export function replayChannel(model: ChannelModel, steps: readonly ReplayStep[]): (ChannelChances | undefined)[] {
  const byTime = (key: 'decidedAt' | 'answerKnownAt') => steps.map((_, i) => i).sort((a, b) => steps[a]![key] - steps[b]![key] || a - b);
  const decided = byTime('decidedAt');
  const known = byTime('answerKnownAt');
  const out = new Array<ChannelChances | undefined>(steps.length);
  let next = 0;
  for (const i of decided) {
    const step = steps[i]!;
    const batch: FeedbackExample[] = [];
    for (; next < known.length && steps[known[next]!]!.answerKnownAt <= step.decidedAt; next++) batch.push(exampleOf(steps[known[next]!]!, known[next]!));
    if (batch.length) model.learn(batch);
    out[i] = model.channelChances(step.features, personaOf(step));
  }
  return out;
}

function personaOf(step: ReplayStep): string {
  const logged = (step.output as { persona?: unknown }).persona;
  return typeof logged === 'string' ? logged : ChannelModel.personaKey(addressedContact(step.features)?.persona);
}

function exampleOf(step: ReplayStep, i: number): FeedbackExample {
  return {
    decisionId: `replay:${i}`,
    accountId: step.features.accountId,
    features: step.features,
    outputs: { 'channel-time': step.output },
    reward: step.reward,
    valueMicros: 0,
    outcome: step.reward > 0 ? 'engaged' : 'not_engaged',
  };
}
