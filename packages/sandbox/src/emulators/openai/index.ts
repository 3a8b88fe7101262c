// OpenAI-compatible emulator: /v1/models and /v1/chat/completions on loopback.
import { Hono } from 'hono';
import { createFaults, type FaultController, type FaultSpec } from '../faults.js';
import { listenOnLoopback } from '../http-server.js';
import { chatCompletion, TokenBudget } from './chat.js';
import { Classifier, type LabelOracle } from './classify.js';
import { createManualClock as manualClock, type ManualClock } from '../manual-clock.js';
import { errors } from './errors.js';
import { DEFAULT_MODELS, simModelSchema, type SimModel } from './models.js';
import { OpenAIState } from './state.js';

export { DEFAULT_MODELS, accuracy, costUsd, reasoningEfforts, type ReasoningEffort, type SimModel } from './models.js';
export { OpenAIState, type ModelUsage } from './state.js';
export { findItem, type LabelOracle, type ClassifyItem } from './classify.js';
export { estimateTokens } from './tokens.js';

export interface OpenAIEmulatorOptions {
  faults?: Partial<FaultSpec>;
  seed?: number;
  now?: () => number;
  /** price/accuracy table; defaults to DEFAULT_MODELS (sim-small, sim-medium, sim-large) */
  models?: readonly SimModel[];
  labelOracle?: LabelOracle;
  /** accepted API keys; default ['sk-sandbox'] */
  apiKeys?: string[];
  /** tokens per minute on the emulator clock (prompt tokens are checked, prompt+completion spent) */
  tokensPerMinute?: number;
  /** retry-after-ms sent with forced/injected 429s (default 20) */
  retryAfterMs?: number;
  /** the port on 127.0.0.1 (default 0: any free port) */
  port?: number;
}

export interface OpenAIEmulator {
  url: string; // the client's baseURL is `${url}/v1`
  state: OpenAIState;
  faults: FaultController;
  clock: ManualClock | undefined;
  apiKey: string;
  stop(): Promise<void>;
}

function createOpenAIApp(options: OpenAIEmulatorOptions, state: OpenAIState, faults: FaultController, now: () => number): Hono {
  const seed = options.seed ?? 1;
  const keys = new Set(options.apiKeys ?? ['sk-sandbox']);
  const retryAfterMs = options.retryAfterMs ?? 20;
  const deps = { state, classifier: new Classifier(seed, options.labelOracle), seed, now, tokenBudget: new TokenBudget(now, options.tokensPerMinute) };
  const app = new Hono();
  app.use('*', async (_c, next) => {
    state.httpRequests++;
    await next();
  });
  app.use('*', faults.middleware({ serverError: errors.serverError, rateLimited: () => errors.requestRateLimited(retryAfterMs) }));
  app.use('/v1/*', async (c, next) => {
    const auth = c.req.header('authorization');
    if (!auth) return errors.missingKey();
    const key = /^Bearer\s+(.+)$/i.exec(auth)?.[1]?.trim() ?? '';
    if (!keys.has(key)) return errors.invalidKey(key);
    await next();
  });
  const modelObject = (m: SimModel) => ({ id: m.id, object: 'model', created: 1_704_067_200, owned_by: 'revloop-sandbox' });
  app.get('/v1/models', (c) => c.json({ object: 'list', data: [...state.models.values()].map(modelObject) }));
  app.get('/v1/models/:id', (c) => {
    const m = state.models.get(c.req.param('id'));
    return m ? c.json(modelObject(m)) : errors.modelNotFound(c.req.param('id'));
  });
  app.post('/v1/chat/completions', async (c) => {
    if (state.quotaExhausted) {
      state.quotaRefused++;
      return errors.insufficientQuota();
    }
    if (state.takeForced429()) {
      state.rateLimited++;
      return errors.requestRateLimited(retryAfterMs);
    }
    return chatCompletion(c, deps);
  });
  app.notFound((c) => errors.notFound(`${c.req.method} ${c.req.path}`));
  app.onError((err) => {
    console.error('openai emulator error', err);
    return errors.serverError();
  });
  return app;
}

export async function startOpenAIEmulator(options: OpenAIEmulatorOptions = {}): Promise<OpenAIEmulator> {
  const clock = options.now ? undefined : manualClock();
  const now = options.now ?? clock!.now;
  const models = (options.models ?? DEFAULT_MODELS).map((m) => simModelSchema.parse(m));
  const state = new OpenAIState(models);
  const faults = createFaults(options.faults, options.seed ?? 1);
  const server = await listenOnLoopback(createOpenAIApp(options, state, faults, now), options.port ?? 0);
  return { url: server.url, state, faults, clock, apiKey: (options.apiKeys ?? ['sk-sandbox'])[0], stop: server.stop };
}
