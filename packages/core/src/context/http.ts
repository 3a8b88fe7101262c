// The HTTP helper every plugin gets: fetch with retries, exponential backoff with jitter, and
// the vendor's Retry-After (seconds, HTTP date, or retry-after-ms) honoured.
import pRetry, { AbortError } from 'p-retry';
import type { Logger } from './logger.js';
import { isRevloopError } from '../errors.js';
import { createOutboundFetch } from './outbound-fetch.js';
import type { OutboundPolicy } from './outbound.js';

export interface HttpOptions extends RequestInit {
  /** attempts after the first (default 4) */
  retries?: number;
  /** statuses worth retrying (default 408, 425, 429, 500, 502, 503, 504) */
  retryOn?: number[];
  /** first backoff, ms (default 250) */
  minTimeoutMs?: number;
  /** longest single wait, ms (default 30 s) */
  maxTimeoutMs?: number;
}

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: string,
    readonly url: string,
    /** the response's headers (Retry-After, rate-limit counters), when there was a response */
    readonly headers?: Headers,
  ) {
    super(`HTTP ${status} from ${url}: ${body.slice(0, 300)}`);
    this.name = 'HttpError';
  }
}

export interface HttpClient {
  /** a Response with an ok status (after retries), or an HttpError */
  request(url: string, options?: HttpOptions): Promise<Response>;
  json<T = unknown>(url: string, options?: HttpOptions): Promise<T>;
}

const defaultRetryOn = [408, 425, 429, 500, 502, 503, 504];

/** ms to wait from a Retry-After / retry-after-ms header, or undefined */
export function retryAfterMs(headers: Headers, nowMs: number): number | undefined {
  const ms = headers.get('retry-after-ms');
  if (ms && Number.isFinite(Number(ms))) return Math.max(0, Number(ms));
  const ra = headers.get('retry-after');
  if (!ra) return undefined;
  if (/^\d+(\.\d+)?$/.test(ra.trim())) return Math.max(0, Number(ra) * 1000);
  const date = Date.parse(ra);
  return Number.isNaN(date) ? undefined : Math.max(0, date - nowMs);
}

export interface HttpClientDeps {
  log: Logger;
  now: () => number;
  sleep?: (ms: number) => Promise<void>;
  fetch?: typeof fetch;
  /**
   * the outbound address policy (outbound.ts): every URL and redirect checked after DNS resolution
   * before anything is sent (default: the strict policy, no private network); `false` only where
   * the addresses are the caller's own
   */
  outbound?: OutboundPolicy | false;
  /** the setting the plugin's URLs come from, for errors (e.g. `connectors.hubspot`) */
  where?: string;
}

export function createHttpClient(deps: HttpClientDeps): HttpClient {
  const baseFetch = deps.fetch ?? fetch;
  const doFetch = deps.outbound === false ? baseFetch : createOutboundFetch({ policy: deps.outbound ?? {}, fetch: baseFetch, now: deps.now, where: deps.where ?? 'outbound call' });
  const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));

  async function request(url: string, options: HttpOptions = {}): Promise<Response> {
    const { retries = 4, retryOn = defaultRetryOn, minTimeoutMs = 250, maxTimeoutMs = 30_000, ...init } = options;
    let waitHint: number | undefined;
    return pRetry(
      async () => {
        if (waitHint !== undefined) {
          await sleep(Math.min(waitHint, maxTimeoutMs));
          waitHint = undefined;
        }
        let response: Response;
        try {
          response = await doFetch(url, init);
        } catch (e) {
          // a refused address is not retried
          if (isRevloopError(e)) throw new AbortError(e);
          throw e;
        }
        if (response.ok) return response;
        const body = await response.text();
        const error = new HttpError(response.status, body, url, response.headers);
        if (!retryOn.includes(response.status)) throw new AbortError(error);
        waitHint = retryAfterMs(response.headers, deps.now());
        throw error;
      },
      {
        retries,
        minTimeout: minTimeoutMs,
        maxTimeout: maxTimeoutMs,
        randomize: true,
        // when the vendor said how long to wait, that wait replaces the backoff
        shouldRetry: () => true,
        onFailedAttempt: (e) => {
          deps.log.debug({ url, attempt: e.attemptNumber, retriesLeft: e.retriesLeft, error: e.message }, 'http retry');
        },
        signal: init.signal ?? undefined,
      },
    ).catch((e: unknown) => {
      throw e instanceof AbortError ? (e as unknown as { originalError: Error }).originalError : e;
    });
  }

  return {
    request,
    async json<T>(url: string, options?: HttpOptions): Promise<T> {
      const r = await request(url, options);
      return (await r.json()) as T;
    },
  };
}
