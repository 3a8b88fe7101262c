// One OpenAI client per plugin context (connection settings from config), and error messages
// that say which model, task and account failed and why — never the key.
import OpenAI from 'openai';
import type { PluginContext } from '@revloop/core';
import { sendOnce } from '@revloop/plugin-kit/http';
import type { OpenAIConfig } from './config.js';

const clients = new WeakMap<object, OpenAI>();

/**
 * The client retries every 429, but a 429 whose code is `insufficient_quota` is a billing state
 * (credits used up, budget reached), not a rate: retrying only delays the failure. The client skips
 * its retry when a response carries `x-should-retry: false`, so this fetch adds that header to such
 * a response (the body is passed on unchanged).
 */
export function quotaAwareFetch(send: (url: string, init?: RequestInit) => Promise<Response>) {
  return async (input: string | URL | Request, init?: RequestInit): Promise<Response> => quotaAware(await send(...asUrlAndInit(input, init)));
}

/** the SDK calls fetch(url, init); a Request is taken apart for ctx.http, which takes a URL */
function asUrlAndInit(input: string | URL | Request, init?: RequestInit): [string, RequestInit | undefined] {
  if (!(input instanceof Request)) return [String(input), init];
  return [input.url, { method: input.method, headers: input.headers, body: input.body, signal: input.signal, ...(input.body ? { duplex: 'half' } : {}), ...init } as RequestInit];
}

async function quotaAware(res: Response): Promise<Response> {
  if (res.status !== 429) return res;
  const text = await res.text();
  let code: unknown;
  try {
    code = (JSON.parse(text) as { error?: { code?: unknown; type?: unknown } }).error?.code;
  } catch {
    code = undefined;
  }
  const headers = new Headers(res.headers);
  if (code === 'insufficient_quota') headers.set('x-should-retry', 'false');
  return new Response(text, { status: res.status, statusText: res.statusText, headers });
}

export function clientFor(ctx: PluginContext<OpenAIConfig>): OpenAI {
  let c = clients.get(ctx);
  if (!c) {
    const { apiKey, baseURL, timeoutMs, maxRetries } = ctx.config;
    // each attempt the SDK makes is one ctx.http request (the outbound address policy, checked when
    // the connection opens and on every redirect: the API key goes nowhere a refused address is);
    // the SDK keeps its own retries and reads every status
    c = new OpenAI({ apiKey, baseURL, timeout: timeoutMs, maxRetries, fetch: quotaAwareFetch((url, init) => sendOnce(ctx, url, init)) });
    clients.set(ctx, c);
  }
  return c;
}

export function callError(what: string, e: unknown, config: OpenAIConfig): Error {
  let why: string;
  if (e instanceof OpenAI.APIConnectionTimeoutError) why = `timed out after ${config.timeoutMs} ms per attempt (${config.maxRetries} retries)`;
  else if (e instanceof OpenAI.APIUserAbortError) why = 'aborted (the process is stopping)';
  else if (e instanceof OpenAI.APIConnectionError) why = `could not reach ${config.baseURL}: ${e.message} (${config.maxRetries} retries)`;
  else if (e instanceof OpenAI.RateLimitError && e.code === 'insufficient_quota')
    why = `the OpenAI account behind this API key is out of quota (HTTP 429 insufficient_quota; not retried: waiting does not fix it). Fix: add credits or raise the project's budget limit at https://platform.openai.com/settings/organization/billing, or use another key`;
  else if (e instanceof OpenAI.RateLimitError) why = `rate limited (HTTP 429) after ${config.maxRetries} retries: ${e.message}`;
  else if (e instanceof OpenAI.AuthenticationError) why = `the endpoint refused the API key (HTTP 401): check apiKey`;
  else if (e instanceof OpenAI.BadRequestError && e.param === 'temperature' && e.code === 'unsupported_value')
    why = `HTTP 400: ${e.message} The endpoint treats this model as a reasoning model: set reasoning: true on it in defineOpenAIModels (no temperature is then sent)`;
  else if (e instanceof OpenAI.APIError) why = `HTTP ${e.status ?? '?'}: ${e.message}`;
  else why = e instanceof Error ? e.message : String(e);
  return new Error(`${what} failed: ${why}`, { cause: e });
}
