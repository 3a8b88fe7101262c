// POST /v1/chat/completions: classification (ITEM protocol, see classify.ts) or templated
// generation, non-streaming or SSE (`data: {...}` chunks then `data: [DONE]`).
import type { Context } from 'hono';
import { z } from 'zod';
import { findItem, type Classifier } from './classify.js';
import { errors } from './errors.js';
import { generateText } from './generate.js';
import { reasoningEfforts, type SimModel } from './models.js';
import { reasoningTokens, refuseParams } from './reasoning.js';
import type { OpenAIState } from './state.js';
import { estimateTokens, promptTokens, truncateToTokens } from './tokens.js';

const contentSchema = z.union([z.string(), z.array(z.object({ type: z.string(), text: z.string().optional() }).passthrough()), z.null()]);
const requestSchema = z
  .object({
    model: z.string().min(1),
    messages: z
      .array(z.object({ role: z.enum(['system', 'developer', 'user', 'assistant', 'tool']), content: contentSchema.optional() }).passthrough())
      .min(1),
    stream: z.boolean().nullish(),
    stream_options: z.object({ include_usage: z.boolean().optional() }).passthrough().nullish(),
    response_format: z.object({ type: z.enum(['text', 'json_object', 'json_schema']) }).passthrough().nullish(),
    max_tokens: z.number().int().min(1).nullish(),
    max_completion_tokens: z.number().int().min(1).nullish(),
    temperature: z.number().min(0).max(2).nullish(),
    reasoning_effort: z.enum(reasoningEfforts).nullish(),
  })
  .passthrough();

type ChatRequest = z.infer<typeof requestSchema>;

export interface ChatDeps {
  state: OpenAIState;
  classifier: Classifier;
  seed: number;
  now: () => number;
  tokenBudget: TokenBudget;
}

/** Tokens-per-minute accounting on the emulator clock. */
export class TokenBudget {
  private window = -1;
  private used = 0;
  constructor(
    private readonly now: () => number,
    readonly limit?: number,
  ) {}
  /** ms to wait, or 0 when `requested` fits in the current minute. */
  check(requested: number): { retryMs: number; used: number } {
    if (this.limit === undefined) return { retryMs: 0, used: 0 };
    const t = this.now();
    const w = Math.floor(t / 60_000);
    if (w !== this.window) [this.window, this.used] = [w, 0];
    if (this.used + requested <= this.limit) return { retryMs: 0, used: this.used };
    return { retryMs: (w + 1) * 60_000 - t, used: this.used };
  }
  spend(tokens: number): void {
    if (this.limit !== undefined) this.used += tokens;
  }
}

const textOf = (content: z.infer<typeof contentSchema> | undefined): string =>
  content == null ? '' : typeof content === 'string' ? content : content.map((p) => p.text ?? '').join('\n');

export async function chatCompletion(c: Context, deps: ChatDeps): Promise<Response> {
  let raw: unknown;
  try {
    raw = JSON.parse(await c.req.text());
  } catch {
    return errors.badJson();
  }
  if (raw && typeof raw === 'object') {
    if (!('model' in raw)) return errors.missingParam('model');
    if (!('messages' in raw)) return errors.missingParam('messages');
  }
  const parsed = requestSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const param = issue.path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i ? `.${String(p)}` : String(p))).join('') || 'body';
    return errors.invalidParam(param, issue.message);
  }
  const req: ChatRequest = parsed.data;
  const model = deps.state.models.get(req.model);
  if (!model) return errors.modelNotFound(req.model);
  const refused = refuseParams(model, req);
  if (refused) return refused;

  const messages = req.messages.map((m) => ({ role: m.role, content: textOf(m.content) }));
  const prompt = promptTokens(messages);
  const budget = deps.tokenBudget.check(prompt);
  if (budget.retryMs > 0) {
    deps.state.rateLimited++;
    return errors.rateLimited(model.id, deps.tokenBudget.limit!, budget.used, prompt, budget.retryMs);
  }

  const lastUser = [...messages].reverse().find((m) => m.role === 'user')?.content ?? '';
  const item = findItem(lastUser);
  const json = req.response_format?.type === 'json_object' || req.response_format?.type === 'json_schema';
  let content: string;
  let classified: { correct: boolean | undefined } | undefined;
  if (item) {
    const answer = deps.classifier.answer(model, item);
    classified = { correct: answer.correct };
    content = json ? JSON.stringify({ label: answer.label, confidence: answer.confidence }) : answer.label;
  } else {
    const conversation = messages.map((m) => m.content).join('\n');
    const text = generateText(conversation, lastUser, `${deps.seed}|${model.id}|${conversation}`);
    content = json ? JSON.stringify({ text }) : text;
  }
  let finishReason: 'stop' | 'length' = 'stop';
  const maxTokens = req.max_completion_tokens ?? req.max_tokens;
  // hidden reasoning comes out of the completion cap first; what is left is for visible text
  let reasoning = reasoningTokens(model, req.reasoning_effort, prompt);
  if (maxTokens != null && reasoning >= maxTokens) {
    reasoning = maxTokens;
    content = '';
    finishReason = 'length';
  } else if (maxTokens != null && estimateTokens(content) > maxTokens - reasoning) {
    content = truncateToTokens(content, maxTokens - reasoning);
    finishReason = 'length';
  }
  const completion = reasoning + estimateTokens(content);
  deps.tokenBudget.spend(prompt + completion);
  // an answer cut to nothing was not given: it counts as neither right nor wrong
  deps.state.record(model, prompt, completion, content ? classified : undefined, reasoning);
  const usage = {
    prompt_tokens: prompt,
    completion_tokens: completion,
    total_tokens: prompt + completion,
    prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
    completion_tokens_details: { reasoning_tokens: reasoning, audio_tokens: 0, accepted_prediction_tokens: 0, rejected_prediction_tokens: 0 },
  };
  const id = `chatcmpl-sim${String(++deps.state.completions).padStart(8, '0')}`;
  const created = Math.floor(deps.now() / 1000);
  const headers = { 'openai-processing-ms': '1', 'x-request-id': `req_${id}` };
  if (!req.stream) {
    return Response.json(
      {
        id,
        object: 'chat.completion',
        created,
        model: model.id,
        choices: [{ index: 0, message: { role: 'assistant', content, refusal: null, annotations: [] }, logprobs: null, finish_reason: finishReason }],
        usage,
        service_tier: 'default',
        system_fingerprint: 'fp_revloop_sim',
      },
      { headers },
    );
  }
  return streamResponse(id, created, model, content, finishReason, req.stream_options?.include_usage ? usage : undefined, headers);
}

function streamResponse(
  id: string,
  created: number,
  model: SimModel,
  content: string,
  finishReason: string,
  usage: object | undefined,
  headers: Record<string, string>,
): Response {
  const base = { id, object: 'chat.completion.chunk', created, model: model.id, system_fingerprint: 'fp_revloop_sim' };
  const withUsage = usage ? { usage: null } : {};
  const events: object[] = [{ ...base, choices: [{ index: 0, delta: { role: 'assistant', content: '', refusal: null }, logprobs: null, finish_reason: null }], ...withUsage }];
  for (const piece of content.match(/\S+\s*|\s+/g) ?? []) events.push({ ...base, choices: [{ index: 0, delta: { content: piece }, logprobs: null, finish_reason: null }], ...withUsage });
  events.push({ ...base, choices: [{ index: 0, delta: {}, logprobs: null, finish_reason: finishReason }], ...withUsage });
  if (usage) events.push({ ...base, choices: [], usage });
  const body = events.map((e) => `data: ${JSON.stringify(e)}\n\n`).join('') + 'data: [DONE]\n\n';
  return new Response(body, { headers: { ...headers, 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache' } });
}
