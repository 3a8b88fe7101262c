// The simulated model catalogue: per-token prices and a classification accuracy that falls with
// item difficulty (linearly from `accuracyEasy` at difficulty 0 to `accuracyHard` at 1).
// A reasoning model (o-series, gpt-5) carries `reasoning`: the efforts it accepts, its default, and
// the hidden reasoning tokens each effort spends before any visible text (see reasoning.ts).
import { z } from 'zod';

/** the values of `reasoning_effort` the openai 6.49.0 client types (Shared.ReasoningEffort) */
export const reasoningEfforts = ['none', 'minimal', 'low', 'medium', 'high', 'xhigh', 'max'] as const;
export type ReasoningEffort = (typeof reasoningEfforts)[number];

export const reasoningSpecSchema = z.object({
  /** the efforts this model accepts (o-series: low/medium/high; gpt-5: minimal too) */
  efforts: z.array(z.enum(reasoningEfforts)).min(1),
  /** the effort used when the request names none (OpenAI: medium) */
  defaultEffort: z.enum(reasoningEfforts),
  /** reasoning tokens spent per effort before the prompt-dependent part */
  baseTokens: z.partialRecord(z.enum(reasoningEfforts), z.number().int().min(0)),
});
export type ReasoningSpec = z.infer<typeof reasoningSpecSchema>;

export const simModelSchema = z.object({
  id: z.string().min(1),
  /** USD per 1M prompt tokens */
  inputPerMTok: z.number().min(0),
  /** USD per 1M completion tokens (reasoning tokens are billed as completion tokens) */
  outputPerMTok: z.number().min(0),
  accuracyEasy: z.number().min(0).max(1),
  accuracyHard: z.number().min(0).max(1),
  reasoning: reasoningSpecSchema.optional(),
});
export type SimModel = z.infer<typeof simModelSchema>;

export const DEFAULT_MODELS: readonly SimModel[] = [
  { id: 'sim-small', inputPerMTok: 0.15, outputPerMTok: 0.6, accuracyEasy: 0.9, accuracyHard: 0.55 },
  { id: 'sim-medium', inputPerMTok: 0.8, outputPerMTok: 3.2, accuracyEasy: 0.95, accuracyHard: 0.75 },
  { id: 'sim-large', inputPerMTok: 5, outputPerMTok: 15, accuracyEasy: 0.98, accuracyHard: 0.92 },
  // reasoning models under their real ids and list prices, so that a config written for OpenAI
  // meets the same refusals here (temperature, max_tokens, an effort the model does not take)
  {
    id: 'o4-mini',
    inputPerMTok: 1.1,
    outputPerMTok: 4.4,
    accuracyEasy: 0.97,
    accuracyHard: 0.85,
    reasoning: { efforts: ['low', 'medium', 'high'], defaultEffort: 'medium', baseTokens: { low: 192, medium: 768, high: 3072 } },
  },
  {
    id: 'gpt-5-mini',
    inputPerMTok: 0.25,
    outputPerMTok: 2,
    accuracyEasy: 0.97,
    accuracyHard: 0.86,
    reasoning: { efforts: ['minimal', 'low', 'medium', 'high'], defaultEffort: 'medium', baseTokens: { minimal: 0, low: 128, medium: 512, high: 2048 } },
  },
];

export function accuracy(model: SimModel, difficulty: number): number {
  const d = Math.min(1, Math.max(0, difficulty));
  return model.accuracyEasy + (model.accuracyHard - model.accuracyEasy) * d;
}

export function costUsd(model: SimModel, promptTokens: number, completionTokens: number): number {
  return (promptTokens * model.inputPerMTok + completionTokens * model.outputPerMTok) / 1_000_000;
}
