// @revloop/plugin-openai: classify/intent and generate/message through any OpenAI-compatible
// endpoint with the official `openai` client. One capability per model, so that the router picks
// the cheapest model good enough for a step. The engine reserves/settles spend; invoke() returns
// the actual cost (usage × price) and token usage.
import { defineModel, type ModelDefinition } from '@revloop/core';
import { configSchemaFor, modelSpecSchema, type ModelSpecInput } from './config.js';
import { capabilityFor } from './capabilities.js';

/** A definition whose capabilities are exactly these models (plugin capabilities are fixed per definition). */
export function defineOpenAIModels(models: readonly ModelSpecInput[], name = '@revloop/plugin-openai'): ModelDefinition<ReturnType<typeof configSchemaFor>> {
  const specs = models.map((m, i) => {
    const parsed = modelSpecSchema.safeParse(m);
    if (!parsed.success) throw new Error(`defineOpenAIModels: model #${i} (${(m as { name?: string }).name ?? '?'}) is invalid: ${parsed.error.issues.map((x) => `${x.path.join('.')}: ${x.message}`).join('; ')}`);
    return parsed.data;
  });
  if (!specs.length) throw new Error('defineOpenAIModels: give at least one model');
  return defineModel({
    name,
    version: '0.1.0',
    description: `OpenAI-compatible models: ${specs.map((s) => `${s.name} (${s.task})`).join(', ')}`,
    config: configSchemaFor(specs),
    capabilities: specs.map(capabilityFor),
  });
}

/** OpenAI list prices (USD per 1M tokens) of gpt-4o-mini; qualities are revloop's routing estimates. */
export const defaultOpenAIModels: ModelSpecInput[] = [
  { name: 'gpt-4o-mini', task: 'intent', quality: 0.7, inputPricePerMTok: 0.15, outputPricePerMTok: 0.6 },
  { name: 'gpt-4o-mini', task: 'message', quality: 0.75, inputPricePerMTok: 0.15, outputPricePerMTok: 0.6 },
];

export const openaiModels = defineOpenAIModels(defaultOpenAIModels);
export default openaiModels;

export { connectionSchema, modelSpecSchema, type ModelSpec, type ModelSpecInput, type OpenAIConfig } from './config.js';
export { capabilityFor, type OpenAICapability } from './capabilities.js';
export { costMicros, estimatePromptTokens } from './pricing.js';
export { intentPrompt, messagePrompt, parseIntentReply, parseMessageReply } from './prompts.js';
