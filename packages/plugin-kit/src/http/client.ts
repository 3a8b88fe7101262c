// vendorClient(): ctx.http with a base URL, an authenticator and the connector's shared rate
// limiter. ctx.http keeps retrying 5xx with backoff; 429 and 401 are handled here because they
// concern the whole connector: a 429's Retry-After (or, without one, a backoff) pauses every
// request of the connector on ctx.clock, and a 401 renews the credential once.
import { HttpError, RevloopError, retryAfterMs, type HttpOptions, type PluginContext, type RateLimiter } from '@revloop/core';
import type { Authenticator } from './auth.js';
import { sharedRateLimiter, type RateLimitOptions } from './rate-limit.js';

export interface VendorClientOptions {
  /** e.g. ctx.config.baseUrl; paths given to request() are appended to it */
  baseUrl: string;
  auth?: Authenticator;
  rateLimit?: RateLimitOptions;
  /** headers sent with every request (API version, accept) */
  headers?: Record<string, string>;
  /** 429s in a row on one request before giving up (default 8) */
  maxRateLimitRetries?: number;
  /** wait after a 429 without Retry-After, ms (default 1 s, doubling) */
  rateLimitBackoffMs?: number;
}

export type Query = Record<string, string | number | boolean | undefined | null>;

export interface VendorRequest extends HttpOptions {
  query?: Query;
}

export interface VendorClient {
  readonly limiter: RateLimiter;
  /** an absolute URL for a path (or an absolute URL, kept) with query parameters */
  url(path: string, query?: Query): string;
  request(path: string, init?: VendorRequest): Promise<Response>;
  json<T = unknown>(path: string, init?: VendorRequest): Promise<T>;
}

const retryOnWithout429 = [408, 425, 500, 502, 503, 504];

export function vendorClient(ctx: PluginContext<any>, options: VendorClientOptions): VendorClient {
  const limiter = sharedRateLimiter(ctx, options.rateLimit);
  const maxRateLimitRetries = options.maxRateLimitRetries ?? 8;
  const backoff = options.rateLimitBackoffMs ?? 1000;

  const url = (path: string, query?: Query) => {
    const u = /^https?:\/\//.test(path) ? new URL(path) : new URL(options.baseUrl.replace(/\/$/, '') + (path.startsWith('/') ? path : `/${path}`));
    for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined && v !== null) u.searchParams.set(k, String(v));
    return u.toString();
  };

  async function request(path: string, init: VendorRequest = {}): Promise<Response> {
    const { query, headers, ...rest } = init;
    const target = url(path, query);
    let limited = 0;
    let renewed = false;
    for (;;) {
      await limiter.acquire();
      const auth = options.auth ? await options.auth.headers(ctx) : {};
      try {
        return await ctx.http.request(target, {
          retryOn: retryOnWithout429,
          signal: ctx.signal,
          ...rest,
          headers: { accept: 'application/json', ...options.headers, ...(headers as Record<string, string> | undefined), ...auth },
        });
      } catch (e) {
        if (!(e instanceof HttpError)) throw e;
        if (e.status === 401 && options.auth?.renew && !renewed) {
          renewed = await options.auth.renew(ctx, auth);
          if (renewed) continue;
        }
        if (e.status !== 429) throw e;
        if (++limited > maxRateLimitRetries) {
          throw new RevloopError('RATE_LIMITED', `${ctx.name}: ${target} answered 429 ${limited} times in a row`, {
            where: `connectors.${ctx.name}`,
            fix: 'lower the connector\'s request rate (rateLimit windows) or wait for the vendor\'s quota to reset; the next sync resumes from the checkpoint',
            cause: e,
          });
        }
        const wait = (e.headers && retryAfterMs(e.headers, ctx.clock.now())) ?? backoff * 2 ** (limited - 1);
        ctx.log.debug({ url: target, waitMs: wait }, 'rate limited: waiting as the vendor asked');
        limiter.penalize(wait);
      }
    }
  }

  return {
    limiter,
    url,
    request,
    async json<T>(path: string, init?: VendorRequest): Promise<T> {
      return (await (await request(path, init)).json()) as T;
    },
  };
}
