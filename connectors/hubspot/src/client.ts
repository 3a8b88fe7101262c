// One paced, retrying HubSpot client per plugin context. Every request waits for room in the
// secondly / ten-secondly (and, for search, the search) windows of a client-side limiter, so a sync
// spends the portal's budget without tripping 429s; 5xx, dropped connections and pacing 429s are
// retried here (not by the SDK, see BEHAVIOR.md); a spent daily limit stops with RATE_LIMIT_EXHAUSTED.
import { Client } from '@hubspot/api-client';
import { createRateLimiter, isRevloopError, outboundRefusal, RevloopError, wallClock, type PluginContext, type RateLimiter } from '@revloop/core';
import type { HubSpotConfig } from './config.js';
import { dailyLimitSpent, describeFailure, isDailyLimit, isPacingLimit, isTransient, tokenRefused, vendorError } from './errors.js';
import { createHubSpotTokenSource, RECONNECT_FIX, type HubSpotTokenSource } from './auth.js';
import { guardedSdk } from './client-http.js';

export interface HubSpotApi {
  sdk: Client;
  limiter: RateLimiter;
  stats: { requests: number; retries: number; rateLimited: number };
  /** one request through the limiter, with retries; `what` names it in errors */
  call<T>(what: string, fn: (sdk: Client) => Promise<T>, options?: CallOptions): Promise<T>;
  /** the access token calls are made with (a private app's, or the OAuth app's current one) */
  accessToken(): Promise<string>;
  /** a request the SDK has no method for (legacy endpoints): JSON in, JSON out */
  request<T>(what: string, opts: { method?: string; path: string; qs?: Record<string, string>; body?: unknown }): Promise<T>;
}

export interface CallOptions {
  search?: boolean;
  /**
   * a write that is not idempotent (a create): a 5xx, timeout or dropped connection is NOT retried
   * here — HubSpot may have applied it — but thrown as HUBSPOT_OUTCOME_UNKNOWN, so that the caller
   * looks up what exists before sending anything again (BEHAVIOR.md "Exactly once")
   */
  write?: boolean;
}

/** the error of a write whose outcome is unknown: look before re-sending */
export const OUTCOME_UNKNOWN = 'HUBSPOT_OUTCOME_UNKNOWN';
export const isOutcomeUnknown = (e: unknown): boolean => isRevloopError(e) && e.code === OUTCOME_UNKNOWN;

const WINDOW_MARGIN_MS = 40;
const clients = new WeakMap<object, HubSpotApi>();

export function hubspotFor(ctx: PluginContext<HubSpotConfig>): HubSpotApi {
  let api = clients.get(ctx);
  if (!api) clients.set(ctx, (api = createApi(ctx)));
  return api;
}

function createApi(ctx: PluginContext<HubSpotConfig>): HubSpotApi {
  const config = ctx.config;
  // numberOfApiCallRetries 0: the SDK's RetryDecorator would sleep on its own (console.error, 10 s per
  // ten-secondly 429, nothing for DAILY); retries live in call() below instead.
  // its connections (redirects included) go only to addresses the outbound policy allows (client-http.ts)
  const sdk = guardedSdk(new Client({ accessToken: config.accessToken, basePath: config.baseUrl.replace(/\/$/, ''), numberOfApiCallRetries: 0 }), ctx);
  // an OAuth app: the SDK's token is replaced by a fresh one before a call when it changed
  const tokens: HubSpotTokenSource | undefined = config.oauth ? createHubSpotTokenSource(ctx) : undefined;
  let sdkToken = config.accessToken;
  const limits = config.rateLimits;
  // a limit counted in real time: the vendor's windows are wall-clock windows
  const limiter = createRateLimiter(
    [
      // HubSpot counts a request when it arrives, not when it leaves: a small margin keeps network
      // jitter from squeezing eleven arrivals into one second
      { name: 'secondly', limit: limits.secondly, intervalMs: 1000 + WINDOW_MARGIN_MS },
      { name: 'ten-secondly', limit: limits.tenSecondly, intervalMs: 10_000 + WINDOW_MARGIN_MS },
      { name: 'daily', limit: limits.daily, intervalMs: 86_400_000 },
    ],
    { now: wallClock.now, sleep: wallClock.sleep, vendor: 'HubSpot' },
  );
  const searchLimiter = createRateLimiter([{ name: 'search secondly', limit: limits.searchSecondly, intervalMs: 1000 + WINDOW_MARGIN_MS }], { now: wallClock.now, sleep: wallClock.sleep, vendor: 'HubSpot search' });
  const stats = { requests: 0, retries: 0, rateLimited: 0 };
  const where = `connectors.${ctx.name}`;

  async function call<T>(what: string, fn: (sdk: Client) => Promise<T>, options: CallOptions = {}): Promise<T> {
    const { attempts, serverErrorBackoffMs, rateLimitBackoffMs } = config.retry;
    let tokenRefreshed = false;
    for (let attempt = 1; ; attempt++) {
      if (options.search) await searchLimiter.acquire();
      try {
        await limiter.acquire();
      } catch (e) {
        if (isRevloopError(e) && e.code === 'RATE_LIMIT_EXHAUSTED') throw dailyLimitSpent(`${where} (${what})`, `${limits.daily} requests per day configured in rateLimits.daily`);
        throw e;
      }
      const token = tokens ? await tokens.token() : undefined;
      if (token && token !== sdkToken) sdk.setAccessToken((sdkToken = token));
      stats.requests++;
      try {
        return await fn(sdk);
      } catch (e) {
        if (isRevloopError(e)) throw e;
        // an address the outbound policy refused (a redirect to the metadata service): not a dropped connection to retry
        const refused = outboundRefusal(e, `${where} (${what})`);
        if (refused) throw refused;
        const f = describeFailure(e);
        if (f.status === 401 && token && !tokenRefreshed) {
          // an OAuth access token expired or was revoked early: one refresh, then the call again
          tokenRefreshed = true;
          tokens!.reject(token);
          ctx.log.info({ what, category: f.category }, 'hubspot access token refused: refreshing');
          attempt--;
          continue;
        }
        if (f.status === 401 && tokens) {
          // a freshly refreshed OAuth token refused too: the install lost its access
          throw new RevloopError('HUBSPOT_TOKEN_REFUSED', `HubSpot refused a freshly refreshed OAuth access token (${f.category ?? 'HTTP 401'}: ${f.message.slice(0, 160)})`, {
            where: `${where}.oauth (${what})`,
            fix: RECONNECT_FIX.replace('<name>', ctx.name),
          });
        }
        if (f.status === 401) throw tokenRefused(`${where} (${what})`, f);
        if (isDailyLimit(f)) throw dailyLimitSpent(`${where} (${what})`, f.message);
        const pacing = isPacingLimit(f);
        if (options.write && isTransient(f)) {
          stats.retries++;
          ctx.log.debug({ what, attempt, status: f.status }, 'hubspot write outcome unknown: the caller looks before re-sending');
          throw new RevloopError(OUTCOME_UNKNOWN, `HubSpot ${f.status ? `answered ${f.status}` : 'dropped the connection'} to a write (${what}): it may or may not have been applied`, {
            where: `${where} (${what})`,
            fix: 'nothing to do: the action looks up what exists before sending the rest again',
          });
        }
        if ((pacing || isTransient(f)) && attempt < attempts) {
          stats.retries++;
          if (pacing) {
            stats.rateLimited++;
            // a ten-secondly refusal frees room only as the rolling window moves on
            limiter.penalize(f.policyName === 'TEN_SECONDLY_ROLLING' ? rateLimitBackoffMs * 2 : rateLimitBackoffMs);
          } else await wallClock.sleep(serverErrorBackoffMs * attempt);
          ctx.log.debug({ what, attempt, status: f.status, policy: f.policyName }, 'hubspot request retried');
          continue;
        }
        throw vendorError(`${where} (${what})`, f);
      }
    }
  }

  return {
    sdk,
    limiter,
    stats,
    call,
    accessToken: async () => (tokens ? tokens.token() : config.accessToken!),
    request<T>(what: string, opts: { method?: string; path: string; qs?: Record<string, string>; body?: unknown }) {
      return call(what, async (client) => {
        const res = await client.apiRequest({ method: opts.method ?? 'GET', path: opts.path, qs: opts.qs, body: opts.body });
        const text = await res.text();
        let body: unknown = text;
        try {
          body = text ? JSON.parse(text) : undefined;
        } catch {
          /* not JSON */
        }
        if (!res.ok) throw Object.assign(new Error(`HTTP ${res.status}`), { code: res.status, body });
        return body as T;
      });
    },
  };
}
