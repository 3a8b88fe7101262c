// One OpenAI client per plugin context (connection settings from config), and error messages
// that say which model, task and account failed and why — never the key.
import OpenAI from 'openai';
import type { PluginContext } from '@revloop/core';
import type { OpenAIConfig } from './config.js';

const clients = new WeakMap<object, OpenAI>();

export function clientFor(ctx: PluginContext<OpenAIConfig>): OpenAI {
  let c = clients.get(ctx);
  if (!c) {
    const { apiKey, baseURL, timeoutMs, maxRetries } = ctx.config;
    c = new OpenAI({ apiKey, baseURL, timeout: timeoutMs, maxRetries });
    clients.set(ctx, c);
  }
  return c;
}

export function callError(what: string, e: unknown, config: OpenAIConfig): Error {
  let why: string;
  if (e instanceof OpenAI.APIConnectionTimeoutError) why = `timed out after ${config.timeoutMs} ms per attempt (${config.maxRetries} retries)`;
  else if (e instanceof OpenAI.APIUserAbortError) why = 'aborted (the process is stopping)';
  else if (e instanceof OpenAI.APIConnectionError) why = `could not reach ${config.baseURL}: ${e.message} (${config.maxRetries} retries)`;
  else if (e instanceof OpenAI.RateLimitError) why = `rate limited (HTTP 429) after ${config.maxRetries} retries: ${e.message}`;
  else if (e instanceof OpenAI.AuthenticationError) why = `the endpoint refused the API key (HTTP 401): check apiKey`;
  else if (e instanceof OpenAI.APIError) why = `HTTP ${e.status ?? '?'}: ${e.message}`;
  else why = e instanceof Error ? e.message : String(e);
  return new Error(`${what} failed: ${why}`, { cause: e });
}
