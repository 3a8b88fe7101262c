// The connector's HTTP client for LinkedIn's versioned REST API. Each request goes through ctx.http
// once (plugin-kit sendOnce: the outbound address policy, checked when the connection opens, and
// every status handed back), with its own loop around it because LinkedIn needs decisions
// ctx.http's retries cannot make:
// - 401 → refresh the access token once and repeat the call (not a retry of the same request)
// - 426 → the pinned LinkedIn-Version is sunset: stop with an error naming the newest version that
//   answers (probed), or the newest supported one by LinkedIn's calendar
// - 429 with "DAY limit" → stop (the quota resets at 00:00 UTC; retrying only burns time);
//   a MINUTE 429 (no Retry-After) → wait for the next minute window, then retry
// - every wait goes through ctx.clock.sleep (simulated in the sandbox; ctx.http sleeps on timers)
// - optional client-side pacing to requestsPerMinute / requestsPerDay (core's rate limiter)
import { z } from 'zod';
import { createRateLimiter, isRevloopError, RevloopError, type PluginContext, type RateLimiter } from '@revloop/core';
import { sendOnce } from '@revloop/plugin-kit/http';
import { apiVersionOf, type LinkedInAdsConfig } from './config.js';
import { createTokenSource, type TokenSource } from './auth.js';
import { msUntilUtcMidnight } from './dates.js';
import { candidateVersions, versionSunsetError } from './version.js';

export const linkedInErrorSchema = z.looseObject({
  status: z.number().optional(),
  message: z.string().optional(),
  code: z.string().optional(),
  serviceErrorCode: z.number().optional(),
});

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'DELETE';
  body?: unknown;
  /** X-RestLi-Method, e.g. BATCH_CREATE */
  restliMethod?: string;
  /** what the call is for, in error messages */
  what: string;
  /** non-2xx statuses handed back to the caller instead of thrown (e.g. 404) */
  accept?: number[];
  /**
   * a write that is not idempotent (a create): a dropped connection, a timeout or a 5xx is NOT
   * retried here — LinkedIn may have applied it — but thrown as LINKEDIN_OUTCOME_UNKNOWN, so that the
   * caller looks up what exists before sending it again (a 429 is still retried: nothing was applied)
   */
  write?: boolean;
}

export const OUTCOME_UNKNOWN = 'LINKEDIN_OUTCOME_UNKNOWN';
export const isOutcomeUnknown = (e: unknown): boolean => e instanceof RevloopError && e.code === OUTCOME_UNKNOWN;
const outcomeUnknown = (what: string, where: string, detail: string, cause?: unknown) =>
  new RevloopError(OUTCOME_UNKNOWN, `LinkedIn ${detail} after ${what} was sent: it may or may not have been applied`, {
    where,
    fix: 'nothing to do: the action looks up what exists before sending it again',
    ...(cause ? { cause } : {}),
  });

export interface ClientStats {
  requests: number;
  retries: number;
  tokenRefreshes: number;
}

export interface LinkedInClient {
  request(pathAndQuery: string, options: RequestOptions): Promise<Response>;
  json<T>(pathAndQuery: string, options: RequestOptions): Promise<T>;
  readonly stats: ClientStats;
}

const RETRIABLE = new Set([408, 429, 500, 502, 503, 504]);
const clients = new WeakMap<object, LinkedInClient>();

/** one client per plugin context (its token cache and rate limiter live as long as the runtime) */
export function clientFor(ctx: PluginContext<LinkedInAdsConfig>): LinkedInClient {
  let client = clients.get(ctx);
  if (!client) clients.set(ctx, (client = createClient(ctx)));
  return client;
}

function createClient(ctx: PluginContext<LinkedInAdsConfig>): LinkedInClient {
  const config = ctx.config;
  const version = apiVersionOf(config);
  const tokens: TokenSource = createTokenSource(ctx);
  const stats: ClientStats = {
    requests: 0,
    retries: 0,
    get tokenRefreshes() {
      return tokens.refreshes;
    },
  };
  const windows = [
    ...(config.requestsPerMinute ? [{ limit: config.requestsPerMinute, intervalMs: 60_000, name: 'per-minute' }] : []),
    ...(config.requestsPerDay ? [{ limit: config.requestsPerDay, intervalMs: 86_400_000, name: 'per-day' }] : []),
  ];
  const limiter: RateLimiter | undefined = windows.length
    ? createRateLimiter(windows, { now: () => ctx.clock.now(), sleep: (ms) => ctx.clock.sleep(ms), maxWaitMs: config.maxRetryWaitMs, vendor: 'LinkedIn' })
    : undefined;

  const headers = (token: string, v: string, options?: RequestOptions): Record<string, string> => ({
    Authorization: `Bearer ${token}`,
    'LinkedIn-Version': v,
    'X-Restli-Protocol-Version': '2.0.0',
    ...(options?.body !== undefined ? { 'Content-Type': 'application/json' } : {}),
    ...(options?.restliMethod ? { 'X-RestLi-Method': options.restliMethod } : {}),
  });

  /** after a 426: the newest version that answers anything but 426 (a cheap GET of the ad account), and those refused */
  async function probeVersions(): Promise<{ active?: string; refused: string[] }> {
    const token = await tokens.token().catch(() => 'none');
    const refused: string[] = [];
    for (const v of candidateVersions(version, ctx.clock.now())) {
      try {
        const r = await sendOnce(ctx, `${config.apiBaseUrl}/rest/adAccounts/${config.adAccountId}`, { headers: headers(token, v), signal: ctx.signal });
        await r.arrayBuffer();
        if (r.status !== 426 && r.status < 500) return { active: v, refused };
        if (r.status === 426) refused.push(v);
      } catch {
        break;
      }
    }
    return { refused };
  }

  function backoff(attempt: number): number {
    // exponential with full jitter over the upper half, capped
    const base = Math.min(config.maxRetryWaitMs, 500 * 2 ** attempt);
    return Math.round(base / 2 + (Math.random() * base) / 2);
  }

  async function request(pathAndQuery: string, options: RequestOptions): Promise<Response> {
    const url = `${config.apiBaseUrl}${pathAndQuery}`;
    const where = `${ctx.name}: ${options.what}`;
    let refreshed = false;
    let throttledInARow = 0;
    for (let attempt = 0; ; ) {
      if (ctx.signal.aborted) throw new RevloopError('LINKEDIN_ABORTED', `stopped before ${options.what}`, { where });
      await limiter?.acquire();
      const token = await tokens.token();
      let response: Response;
      stats.requests++;
      try {
        response = await sendOnce(ctx, url, {
          method: options.method ?? 'GET',
          headers: headers(token, version, options),
          body: options.body === undefined ? undefined : JSON.stringify(options.body),
          signal: ctx.signal,
        });
      } catch (e) {
        // the outbound policy refused the address: nothing was sent, and nothing should be
        if (isRevloopError(e)) throw e;
        // a dropped connection: nothing was answered; a read may be repeated, a create may have
        // been applied (the caller looks before re-sending)
        if (options.write && !ctx.signal.aborted) throw outcomeUnknown(options.what, where, `dropped the connection (${(e as Error).message})`, e);
        if (ctx.signal.aborted || attempt >= config.maxRetries) {
          throw new RevloopError('LINKEDIN_UNREACHABLE', `LinkedIn did not answer ${options.what}: ${(e as Error).message}`, { where, fix: 'check apiBaseUrl and the network; the next run resumes from the checkpoint', cause: e });
        }
        await ctx.clock.sleep(backoff(attempt++));
        stats.retries++;
        continue;
      }
      if (response.ok || options.accept?.includes(response.status)) return response;
      const text = await response.text();
      const parsed = linkedInErrorSchema.safeParse(safeJson(text));
      const body = parsed.success ? parsed.data : {};
      const message = body.message ?? text.slice(0, 300);

      if (response.status === 401 && !refreshed) {
        // expired / revoked / unknown access token: get a new one once, then repeat the call
        refreshed = true;
        ctx.log.info({ code: body.code, serviceErrorCode: body.serviceErrorCode }, 'linkedin access token refused: refreshing');
        await tokens.reject(token);
        continue;
      }
      if (response.status === 401) {
        throw new RevloopError('LINKEDIN_UNAUTHORIZED', `LinkedIn refused a freshly refreshed access token for ${options.what}: ${message}`, {
          where,
          fix: 'reconnect LinkedIn (authorise the app again) and check that the member still has access to the ad account',
        });
      }
      if (response.status === 426) {
        const probe = await probeVersions();
        throw versionSunsetError({ connector: ctx.name, version, fromConfig: config.apiVersion !== undefined, vendorMessage: message, ...probe, nowMs: ctx.clock.now() });
      }
      if (response.status === 429 && /\bDAY\b/i.test(message)) {
        const hours = Math.ceil(msUntilUtcMidnight(ctx.clock.now()) / 3_600_000);
        throw new RevloopError('RATE_LIMIT_EXHAUSTED', `LinkedIn's daily request limit is spent (${message})`, {
          where,
          fix: `the quota resets at 00:00 UTC (in about ${hours} h); the next run resumes from the last checkpoint. Lower the sync frequency or set requestsPerDay to pace below it`,
        });
      }
      if (options.write && RETRIABLE.has(response.status) && response.status !== 429) throw outcomeUnknown(options.what, where, `answered ${response.status}`);
      if (RETRIABLE.has(response.status) && attempt < config.maxRetries) {
        let wait = backoff(attempt);
        const retryAfter = Number(response.headers.get('retry-after'));
        if (Number.isFinite(retryAfter) && retryAfter > 0) wait = retryAfter * 1000;
        // a minute 429 without Retry-After: a short backoff first (a burst or a transient throttle),
        // from the third in a row, the next minute window (the minute quota really is spent)
        else if (response.status === 429 && ++throttledInARow >= 3) wait = Math.max(wait, 60_000 - (ctx.clock.now() % 60_000));
        wait = Math.min(wait, config.maxRetryWaitMs);
        if (response.status !== 429) throttledInARow = 0;
        if (response.status === 429) limiter?.penalize(wait);
        ctx.log.debug({ status: response.status, attempt, waitMs: wait, what: options.what }, 'linkedin retry');
        await ctx.clock.sleep(wait);
        attempt++;
        stats.retries++;
        continue;
      }
      throw new RevloopError('LINKEDIN_REQUEST_FAILED', `LinkedIn answered ${response.status} to ${options.what}: ${message}`, {
        where,
        fix: RETRIABLE.has(response.status)
          ? `still failing after ${config.maxRetries} retries: try again later (the next run resumes from the checkpoint)`
          : 'the request was refused as invalid: check the config (adAccountId, conversionRule) and the input',
      });
    }
  }

  return {
    request,
    stats,
    async json<T>(pathAndQuery: string, options: RequestOptions): Promise<T> {
      const r = await request(pathAndQuery, options);
      return (await r.json()) as T;
    },
  };
}

export function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
