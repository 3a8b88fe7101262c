// Config of an OpenAI-compatible endpoint and the models it offers to revloop's router.
import { z } from 'zod';

/** reasoning_effort values a model may take (openai 6.49.0 Shared.ReasoningEffort, less `max`) */
export const reasoningEffortSchema = z.enum(['none', 'minimal', 'low', 'medium', 'high', 'xhigh']);
export type ReasoningEffort = z.infer<typeof reasoningEffortSchema>;

/** o1/o3/o4-mini… and gpt-5* (not the gpt-5*-chat models) reason before they answer */
export const looksLikeReasoningModel = (name: string) => /^o\d/.test(name) || (/^gpt-5/.test(name) && !/-chat/.test(name));

const modelSpecObject = z
  .object({
    /** the model id the endpoint knows (e.g. gpt-4o-mini, o4-mini, sim-small) */
    name: z.string().min(1),
    /** the revloop task it serves: classify/intent or generate/message */
    task: z.enum(['intent', 'message']),
    /** relative quality 0..1 for routing (the router picks the cheapest with enough quality) */
    quality: z.number().min(0).max(1),
    /** USD per 1M prompt / completion tokens (reasoning tokens are billed as completion tokens) */
    inputPricePerMTok: z.number().min(0),
    outputPricePerMTok: z.number().min(0),
    /** completion cap (max_completion_tokens), reasoning included; see defaultMaxOutputTokens */
    maxOutputTokens: z.number().int().positive().optional(),
    /** a reasoning model (o-series, gpt-5): no temperature, reasoning_effort instead; default from the name */
    reasoning: z.boolean().optional(),
    /** reasoning models only: reasoning_effort (default low) */
    reasoningEffort: reasoningEffortSchema.optional(),
    /** non-reasoning models only: sampling temperature (default 0) */
    temperature: z.number().min(0).max(2).optional(),
  })
  .strict();

export const isReasoning = (m: { name: string; reasoning?: boolean | undefined }) => m.reasoning ?? looksLikeReasoningModel(m.name);

export const modelSpecSchema = modelSpecObject.superRefine((m, ctx) => {
  if (isReasoning(m)) {
    if (m.temperature !== undefined)
      ctx.addIssue({
        code: 'custom',
        path: ['temperature'],
        message: `${m.name} is a reasoning model (o-series / gpt-5), which takes only the default temperature: OpenAI refuses temperature ${m.temperature} with 400 unsupported_value. Fix: remove temperature from this model (tune reasoningEffort instead), or set reasoning: false if ${m.name} is not a reasoning model`,
      });
  } else if (m.reasoningEffort !== undefined) {
    ctx.addIssue({
      code: 'custom',
      path: ['reasoningEffort'],
      message: `${m.name} is not a reasoning model: OpenAI refuses reasoning_effort for it with 400 unsupported_parameter. Fix: remove reasoningEffort, or set reasoning: true if ${m.name} is a reasoning model`,
    });
  }
});

/** visible text caps of a non-reasoning model; a reasoning model gets room for its hidden reasoning too */
export function defaultMaxOutputTokens(m: { name: string; task: 'intent' | 'message'; reasoning?: boolean | undefined }): number {
  if (isReasoning(m)) return m.task === 'intent' ? 2_000 : 4_000;
  return m.task === 'intent' ? 16 : 300;
}

export type ModelSpec = z.infer<typeof modelSpecSchema>;
export type ModelSpecInput = z.input<typeof modelSpecSchema>;

export const connectionSchema = z
  .object({
    /** any OpenAI-compatible endpoint */
    baseURL: z.string().url().default('https://api.openai.com/v1'),
    /** a secret: give it as env('OPENAI_API_KEY') / { $env: 'OPENAI_API_KEY' } */
    apiKey: z.string().min(1),
    /** per HTTP attempt */
    timeoutMs: z.number().int().positive().default(30_000),
    /** retries of 408/409/429/5xx and connection errors (the client honours retry-after) */
    maxRetries: z.number().int().min(0).max(10).default(2),
    /** content variants whose messages carry an offer */
    offerVariants: z.array(z.string().min(1)).default(['discount']),
    /** the model list, when given in config, must equal the one the definition was built with */
    models: z.array(modelSpecSchema).min(1).optional(),
  })
  .strict();

export type OpenAIConfig = z.infer<typeof connectionSchema>;

/** The config schema of a definition built for `models`: config.models, if given, must match. */
export function configSchemaFor(models: readonly ModelSpec[]) {
  const expected = JSON.stringify(models.map(canonical));
  return connectionSchema.refine((c) => !c.models || JSON.stringify(c.models.map(canonical)) === expected, {
    path: ['models'],
    message: `the model list is fixed when the plugin definition is built (${models.map((m) => `${m.name}/${m.task}`).join(', ')}): build one with defineOpenAIModels([...]) in revloop.config.ts, or omit models here`,
  });
}

const canonical = (m: ModelSpec) => [m.name, m.task, m.quality, m.inputPricePerMTok, m.outputPricePerMTok, m.maxOutputTokens ?? null, isReasoning(m), m.reasoningEffort ?? null, m.temperature ?? null];
