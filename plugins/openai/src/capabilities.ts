// One CapabilityDefinition per configured model, so that the router can pick the cheapest one
// able to do a step. costMicros is the expected cost of a typical call (token estimate × price);
// maxCostMicros bounds the worst case (prompt cap + completion cap), which the engine reserves.
// invoke() returns the actual cost from `usage` × price; it never calls ctx.spend itself.
import type { AccountFeatures, CapabilityDefinition, IntentInput, MessageInput, PluginContext } from '@revloop/core';
import { defaultMaxOutputTokens, isReasoning, type ModelSpec, type OpenAIConfig } from './config.js';
import { callError, clientFor } from './client.js';
import { costMicros, estimatePromptTokens, estimateTextTokens } from './pricing.js';
import { intentPrompt, messagePrompt, parseIntentReply, parseMessageReply, MAX_USER_CHARS, type ChatMessage } from './prompts.js';

/** a typical account, to estimate the expected prompt size */
const typical: AccountFeatures = {
  accountId: 'acc_000000',
  industry: 'software',
  size: 'mid',
  region: 'emea',
  counts: { page_view: 6, pricing_visit: 1, demo_visit: 1, content_download: 1, email_open: 2, email_click: 1, ad_impression: 12, ad_click: 1, form_fill: 0 },
  topics: { 'data-quality': 3, attribution: 1 },
  daysSinceLastSignal: 1.5,
  hasOpenOpportunity: false,
  recentTreatments: { email: 0, linkedin: 0, google: 0, sales_task: 0 },
  contacts: [],
  at: 0,
};
const TYPICAL_MESSAGE_OUT = 160; // tokens of a ~120-word email
const TYPICAL_INTENT_OUT = 12; // {"label":"high","confidence":0.9}
/** reasoning tokens of a short task per effort (an estimate for routing; the reply's usage is what is charged) */
const TYPICAL_REASONING: Record<NonNullable<ModelSpec['reasoningEffort']>, number> = { none: 0, minimal: 0, low: 300, medium: 1_000, high: 3_000, xhigh: 6_000 };

export type OpenAICapability = CapabilityDefinition<OpenAIConfig> & { model: string; maxCostMicros: number };

async function chat(ctx: PluginContext<OpenAIConfig>, spec: ModelSpec, messages: ChatMessage[], json: boolean, maxTokens: number, what: string) {
  // a per-call signal linked to the process signal: the client adds a listener to the signal it is
  // given and never removes it, so handing it ctx.signal would leak one listener per call
  const call = new AbortController();
  const onAbort = () => call.abort();
  if (ctx.signal.aborted) call.abort();
  else ctx.signal.addEventListener('abort', onAbort, { once: true });
  try {
    let r;
    try {
      r = await clientFor(ctx).chat.completions.create({ ...samplingParams(spec), model: spec.name, messages, max_completion_tokens: maxTokens, ...(json ? { response_format: { type: 'json_object' as const } } : {}) }, { signal: call.signal });
    } catch (e) {
      throw callError(what, e, ctx.config);
    }
    const choice = r.choices[0];
    const content = choice?.message?.content ?? null;
    if (!content && choice?.finish_reason === 'length') {
      // a reasoning model spends hidden reasoning tokens out of max_completion_tokens first: a cap
      // they use up leaves no visible text (and the tokens are still billed)
      const reasoning = r.usage?.completion_tokens_details?.reasoning_tokens;
      throw new Error(
        `${what} failed: the reply is empty because the completion cap was reached (finish_reason length, max_completion_tokens ${maxTokens}${reasoning !== undefined ? `, ${reasoning} spent on reasoning` : ''}). ` +
          `Fix: raise maxOutputTokens for ${spec.name}${isReasoning(spec) ? ` or lower its reasoningEffort (now ${spec.reasoningEffort ?? 'low'})` : ''} in defineOpenAIModels`,
      );
    }
    // usage is on every OpenAI reply; an endpoint without it is charged by estimate
    const tokensIn = r.usage?.prompt_tokens ?? estimatePromptTokens(messages);
    const tokensOut = r.usage?.completion_tokens ?? estimateTextTokens(content ?? '');
    return { content, tokensIn, tokensOut, modelVersion: r.model || spec.name };
  } finally {
    ctx.signal.removeEventListener('abort', onAbort);
  }
}

/**
 * A reasoning model takes no temperature (OpenAI answers 400 unsupported_value for anything but
 * the default) and a reasoning_effort instead; other models get temperature (default 0).
 */
function samplingParams(spec: ModelSpec): { temperature: number } | { reasoning_effort: NonNullable<ModelSpec['reasoningEffort']> } {
  return isReasoning(spec) ? { reasoning_effort: spec.reasoningEffort ?? 'low' } : { temperature: spec.temperature ?? 0 };
}

export function capabilityFor(spec: ModelSpec): OpenAICapability {
  const isIntent = spec.task === 'intent';
  const maxOut = spec.maxOutputTokens ?? defaultMaxOutputTokens(spec);
  const typicalPrompt = isIntent
    ? intentPrompt(typical)
    : messagePrompt({ features: typical, contact: { id: 'c', email: 'x', persona: 'technical_evaluator', title: null }, topic: 'data-quality', variant: 'a', attempt: 0 }, false);
  // a reasoning model's hidden reasoning is billed as completion tokens: count a typical amount of it
  const typicalReasoning = isReasoning(spec) ? TYPICAL_REASONING[spec.reasoningEffort ?? 'low'] : 0;
  const expected = costMicros(spec, estimatePromptTokens(typicalPrompt), Math.min(maxOut, typicalReasoning + (isIntent ? TYPICAL_INTENT_OUT : TYPICAL_MESSAGE_OUT)));
  // worst case: the system prompt + the capped user prompt at 2 characters a token, and the completion cap
  const worstIn = Math.ceil(typicalPrompt[0]!.content.length / 2) + Math.ceil(MAX_USER_CHARS / 2) + 2 * 4 + 3;
  const maxCost = costMicros(spec, worstIn, maxOut);
  const base = { capability: (isIntent ? 'classify' : 'generate') as 'classify' | 'generate', task: spec.task, quality: spec.quality, costMicros: expected, maxCostMicros: maxCost, model: spec.name };

  if (isIntent) {
    return {
      ...base,
      async invoke(ctx, input: IntentInput) {
        const what = `openai ${spec.name} classify/intent for account ${input.features.accountId}`;
        const r = await chat(ctx, spec, intentPrompt(input.features), true, maxOut, what);
        let output;
        try {
          output = parseIntentReply(r.content);
        } catch (e) {
          throw new Error(`${what}: ${(e as Error).message}`);
        }
        return { output, costMicros: costMicros(spec, r.tokensIn, r.tokensOut), usage: { tokensIn: r.tokensIn, tokensOut: r.tokensOut }, modelVersion: r.modelVersion };
      },
    };
  }
  return {
    ...base,
    async invoke(ctx, input: MessageInput) {
      const what = `openai ${spec.name} generate/message for account ${input.features.accountId}`;
      const offer = ctx.config.offerVariants.includes(input.variant);
      const r = await chat(ctx, spec, messagePrompt(input, offer), false, maxOut, what);
      let output;
      try {
        output = parseMessageReply(r.content, offer);
      } catch (e) {
        throw new Error(`${what}: ${(e as Error).message}`);
      }
      return { output, costMicros: costMicros(spec, r.tokensIn, r.tokensOut), usage: { tokensIn: r.tokensIn, tokensOut: r.tokensOut }, modelVersion: r.modelVersion };
    },
  };
}
