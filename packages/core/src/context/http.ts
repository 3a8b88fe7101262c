// The HTTP helper every plugin gets: fetch with retries, exponential backoff with jitter, and
// the vendor's Retry-After (seconds, HTTP date, or retry-after-ms) honoured.
//
// A retry re-sends the request, so it is made only where a second copy cannot write twice: a 5xx,
// a dropped connection or a timeout after the request left says nothing about whether the vendor
// applied it, and a POST (or PATCH) applied once and sent again creates a second task, segment or
// upload. Those are retried for idempotent methods (GET, HEAD, PUT, DELETE, OPTIONS) or a request
// the caller marks idempotent (`idempotent: true`, or an Idempotency-Key header); otherwise the
// error goes back to the caller, whose action looks at the vendor (reconcile) before sending again.
// A 429, 425 or a connection that was never made proves nothing was applied: retried for any method.
import pRetry, { AbortError } from 'p-retry';
import type { Logger } from './logger.js';
import { isRevloopError } from '../errors.js';
import http from 'node:http';
import https from 'node:https';
import { createOutboundFetch } from './outbound-fetch.js';
import { connectAddresses, createOutboundAgents, protocolOf, type OutboundAgents, type UrlLike } from './outbound-connect.js';
import { lookupAll, type OutboundPolicy } from './outbound.js';

export interface HttpOptions extends RequestInit {
  /** attempts after the first (default 4) */
  retries?: number;
  /** statuses worth retrying (default 408, 425, 429, 500, 502, 503, 504) */
  retryOn?: number[];
  /** first backoff, ms (default 250) */
  minTimeoutMs?: number;
  /** longest single wait, ms (default 30 s) */
  maxTimeoutMs?: number;
  /**
   * true: sending the request twice has the effect of sending it once (the vendor deduplicates, or
   * the write is a set), so a 5xx or a dropped connection is retried whatever the method. Default:
   * true for GET, HEAD, PUT, DELETE and OPTIONS and for a request with an Idempotency-Key header.
   */
  idempotent?: boolean;
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
  /**
   * For a vendor SDK that sends its own requests over node's http (node-fetch, axios): the agent
   * for a URL whose connections go only to addresses the outbound policy allows, checked when each
   * connection opens, a redirect's too. Pass it as the SDK's agent (node-fetch takes
   * `(url) => ctx.http.agentFor(url)`).
   */
  agentFor(url: UrlLike): http.Agent;
  /**
   * For a vendor SDK that resolves host names itself (grpc-js): the addresses of `host` resolved
   * now, every one allowed by the outbound policy for an https connection (OUTBOUND_REFUSED /
   * OUTBOUND_UNRESOLVED otherwise). Connect the SDK to one of them, not to the name.
   */
  resolveChecked(host: string, port?: number): Promise<string[]>;
}

const defaultRetryOn = [408, 425, 429, 500, 502, 503, 504];
const idempotentMethods = new Set(['GET', 'HEAD', 'PUT', 'DELETE', 'OPTIONS']);
/** statuses that say the vendor did not process the request: safe to send again whatever the method */
const notProcessedStatuses = new Set([425, 429]);
/** connection errors raised before the request could leave (nothing reached the vendor) */
const notSentCodes = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN']);

/** true when sending this request twice cannot write twice (see the file's comment) */
export function isIdempotentRequest(options: Pick<HttpOptions, 'method' | 'headers' | 'idempotent'>): boolean {
  if (options.idempotent !== undefined) return options.idempotent;
  if (idempotentMethods.has((options.method ?? 'GET').toUpperCase())) return true;
  const headers = new Headers(options.headers);
  return headers.has('idempotency-key') || headers.has('x-idempotency-key');
}

/** a fetch failure that happened before anything was sent (fetch wraps the socket error in `cause`) */
function neverSent(e: unknown): boolean {
  for (let x: unknown = e, depth = 0; x && typeof x === 'object' && depth < 4; x = (x as { cause?: unknown }).cause, depth++) {
    if (notSentCodes.has(String((x as { code?: unknown }).code))) return true;
  }
  return false;
}

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

function asError(e: unknown): Error {
  return e instanceof Error ? e : new Error(String(e));
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
  let agents: Pick<OutboundAgents, 'forUrl'> | undefined;
  const agentFor = (url: UrlLike): http.Agent => {
    agents ??=
      deps.outbound === false
        ? { forUrl: (u) => (protocolOf(u) === 'https:' ? https.globalAgent : http.globalAgent) }
        : createOutboundAgents(deps.outbound ?? {}, deps.where ?? 'outbound call');
    return agents.forUrl(url);
  };
  const resolveChecked = (host: string, port?: number): Promise<string[]> =>
    deps.outbound === false ? lookupAll(host) : connectAddresses('https:', host, port, deps.outbound ?? {}, deps.where ?? 'outbound call');

  async function request(url: string, options: HttpOptions = {}): Promise<Response> {
    const { retries = 4, retryOn = defaultRetryOn, minTimeoutMs = 250, maxTimeoutMs = 30_000, idempotent: _marked, ...init } = options;
    const idempotent = isIdempotentRequest(options);
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
          // dropped or timed out after the request may have left: the vendor may have applied it
          if (!idempotent && !neverSent(e)) throw new AbortError(asError(e));
          throw e;
        }
        if (response.ok) return response;
        const body = await response.text();
        const error = new HttpError(response.status, body, url, response.headers);
        if (!retryOn.includes(response.status)) throw new AbortError(error);
        if (!idempotent && !notProcessedStatuses.has(response.status)) {
          deps.log.debug({ url, status: response.status, method: init.method }, 'not retried: the request is not idempotent and the vendor may have applied it');
          throw new AbortError(error);
        }
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
    agentFor,
    resolveChecked,
    async json<T>(url: string, options?: HttpOptions): Promise<T> {
      const r = await request(url, options);
      return (await r.json()) as T;
    },
  };
}
