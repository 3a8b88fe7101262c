// Config of an OpenAI-compatible endpoint and the models it offers to revloop's router.
import { z } from 'zod';

export const modelSpecSchema = z
  .object({
    /** the model id the endpoint knows (e.g. gpt-4o-mini, sim-small) */
    name: z.string().min(1),
    /** the revloop task it serves: classify/intent or generate/message */
    task: z.enum(['intent', 'message']),
    /** relative quality 0..1 for routing (the router picks the cheapest with enough quality) */
    quality: z.number().min(0).max(1),
    /** USD per 1M prompt / completion tokens */
    inputPricePerMTok: z.number().min(0),
    outputPricePerMTok: z.number().min(0),
    /** completion cap (max_completion_tokens); default 16 for intent, 300 for message */
    maxOutputTokens: z.number().int().positive().optional(),
  })
  .strict();

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

const canonical = (m: ModelSpec) => [m.name, m.task, m.quality, m.inputPricePerMTok, m.outputPricePerMTok, m.maxOutputTokens ?? null];
