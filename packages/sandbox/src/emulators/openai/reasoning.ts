// What a reasoning model (o-series, gpt-5) refuses and how it spends its completion budget.
// - `temperature` other than the default 1: 400 unsupported_value (param temperature);
// - `max_tokens`: 400 unsupported_parameter (use max_completion_tokens);
// - a `reasoning_effort` the model does not take: 400 unsupported_value (param reasoning_effort);
// - a non-reasoning model given `reasoning_effort`: 400 unsupported_parameter.
// Hidden reasoning tokens come out of max_completion_tokens FIRST: a cap smaller than the
// reasoning leaves an empty `content` with finish_reason 'length' (what OpenAI does).
import { errors } from './errors.js';
import type { ReasoningEffort, SimModel } from './models.js';

export interface ReasoningParams {
  temperature?: number | null;
  max_tokens?: number | null;
  reasoning_effort?: ReasoningEffort | null;
}

/** The refusal a real endpoint would send for these parameters on this model, or undefined. */
export function refuseParams(model: SimModel, req: ReasoningParams): Response | undefined {
  const r = model.reasoning;
  if (!r) {
    if (req.reasoning_effort != null) return errors.unsupportedParameter('reasoning_effort');
    return undefined;
  }
  if (req.temperature != null && req.temperature !== 1) return errors.unsupportedTemperature(req.temperature);
  if (req.max_tokens != null) return errors.unsupportedParameter('max_tokens', " Use 'max_completion_tokens' instead.");
  if (req.reasoning_effort != null && !r.efforts.includes(req.reasoning_effort)) return errors.unsupportedValue('reasoning_effort', req.reasoning_effort, r.efforts);
  return undefined;
}

/** Reasoning tokens this request spends before any visible text (0 for a non-reasoning model). */
export function reasoningTokens(model: SimModel, effort: ReasoningEffort | null | undefined, promptTokens: number): number {
  const r = model.reasoning;
  if (!r) return 0;
  const e = effort ?? r.defaultEffort;
  const base = r.baseTokens[e] ?? 0;
  // the model reads the prompt while it reasons: longer prompts take a little more
  return base === 0 ? 0 : base + Math.ceil(promptTokens / 2);
}
