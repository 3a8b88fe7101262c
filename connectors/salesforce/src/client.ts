// One jsforce Connection per plugin context, and the single path every request takes: retries
// with backoff on ctx.clock, the daily-limit stop, the reconnect error, and the API usage seen.
import { Connection } from 'jsforce';
import type { PluginContext } from '@revloop/core';
import type { SalesforceConfig } from './config.js';
import { dailyLimitError, isDailyLimit, isRefreshFailure, isTransient, reconnectError, sessionRefusedError } from './errors.js';
import { compositeBody, tooLongForGet, unwrapComposite } from './long-query.js';
import { guardedTransport } from './transport.js';
import { refusalMemory } from './refusals.js';
import { guardSession, isSessionSignal } from './session-guard.js';

/** how long a refused fresh session stops every request (ctx.clock): the rest of a sync sends nothing */
const SESSION_REFUSED_PAUSE_MS = 60_000;

export interface ApiUsage {
  used: number;
  limit: number;
}

export interface RequestSpec {
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  /** relative to /services/data/vXX.X (e.g. "/query?q=…") */
  url: string;
  body?: unknown;
  /** false for creates: a create is retried by its caller, which looks for what was written first */
  retry?: boolean;
  /** a GET sent as the one subrequest of POST /composite (its URI would be too long for a GET) */
  viaComposite?: boolean;
}

export interface SalesforceClient {
  readonly conn: Connection;
  /** the REST API version of every call, e.g. "62.0" */
  readonly apiVersion: string;
  /** one API request (retried when transient); `what` names it in errors */
  request<T>(spec: RequestSpec, what: string): Promise<T>;
  /** the last Sforce-Limit-Info seen */
  usage(): ApiUsage | undefined;
  /** API requests sent by this client (attempts included) */
  readonly sent: number;
}

const clients = new WeakMap<object, SalesforceClient>();

export function clientFor(ctx: PluginContext<SalesforceConfig>): SalesforceClient {
  let client = clients.get(ctx);
  if (!client) {
    client = createClient(ctx);
    clients.set(ctx, client);
  }
  return client;
}

function createClient(ctx: PluginContext<SalesforceConfig>): SalesforceClient {
  const c = ctx.config;
  const conn = new Connection({
    oauth2: { loginUrl: c.loginUrl, clientId: c.clientId, clientSecret: c.clientSecret, redirectUri: `${c.loginUrl.replace(/\/$/, '')}/services/oauth2/success` },
    instanceUrl: c.instanceUrl.replace(/\/$/, ''),
    // without an access token the first request answers 401 and jsforce refreshes one
    accessToken: c.accessToken ?? 'none',
    refreshToken: c.refreshToken,
    version: c.apiVersion,
  });
  // every request (the token refresh too) connects only to addresses the outbound policy allows,
  // checked when the connection opens, redirects included (transport.ts)
  const refusals = refusalMemory();
  const transport = guardedTransport((url) => ctx.http.agentFor(url), refusals.note) as Connection['_transport'];
  conn._transport = transport;
  conn.oauth2._transport = transport;
  conn.on('refresh', (accessToken: string) => {
    // a fresh session token is a secret too: keep it out of every log line
    ctx.redactor.add(accessToken);
    ctx.log.info('salesforce session refreshed with the refresh token');
  });
  // at most one session refresh per request, and its replay sent to the current instance URL (session-guard.ts)
  const session = guardSession(conn as unknown as Parameters<typeof guardSession>[0]);
  let sent = 0;
  const where = `connectors.${ctx.name}`;
  // a refused refresh token stays refused until the config changes: no request (and no token
  // request) goes out after it, however many streams a sync has left
  let refused: Error | undefined;
  // a fresh session the API refused: a permission or IP setting at Salesforce, fixed without
  // touching revloop's config, so it is remembered for a while only
  let sessionRefusedAt: number | undefined;

  async function request<T>(spec: RequestSpec, what: string): Promise<T> {
    if (refused) throw refused;
    if (sessionRefusedAt !== undefined && ctx.clock.now() - sessionRefusedAt < SESSION_REFUSED_PAUSE_MS) {
      throw sessionRefusedError(`${where} (${what})`, conn.instanceUrl, true);
    }
    const turn = session.turn();
    for (let attempt = 0; ; attempt++) {
      const usage = conn.limitInfo?.apiUsage as ApiUsage | undefined;
      if (usage && c.apiReserve > 0 && usage.limit - usage.used <= c.apiReserve) {
        throw dailyLimitError(where, `${usage.used} of ${usage.limit} requests used; apiReserve keeps ${c.apiReserve} for other integrations`);
      }
      sent++;
      try {
        const body = spec.viaComposite ? compositeBody(c.apiVersion, spec.method, spec.url) : spec.body;
        const init = {
          method: spec.viaComposite ? 'POST' : spec.method,
          url: spec.viaComposite ? '/composite' : spec.url,
          ...(body === undefined ? {} : { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }),
        };
        // jsforce's own retry sleeps on the wall clock and skips POST/PATCH: retries live here instead
        const answer = await turn.send(() => conn.request<T>(init, { retry: { maxRetries: 0 } } as never));
        // a subrequest's error is thrown here, so it is classified (and retried) like a direct call's
        return (spec.viaComposite ? unwrapComposite<T>(answer) : answer) as T;
      } catch (e) {
        if (isSessionSignal(e)) {
          // renewed: a 401 was not processed, so even a write is sent again (to the current instance), once
          if (e.outcome === 'renewed') {
            attempt--;
            continue;
          }
          sessionRefusedAt = ctx.clock.now();
          throw sessionRefusedError(`${where} (${what})`, e.instanceUrl);
        }
        // an address the outbound policy refused (a redirect to the metadata service, a token URL
        // jsforce's refresh wrapper hid the code of): not a dropped connection to retry
        const outbound = refusals.behind(e, `${where} (${what})`);
        if (outbound) throw outbound;
        if (isRefreshFailure(e)) throw (refused = reconnectError(where, e));
        if (isDailyLimit(e)) throw dailyLimitError(where, `${what}: 403 REQUEST_LIMIT_EXCEEDED`, e);
        if (spec.retry === false || !isTransient(e) || attempt >= c.maxRetries || ctx.signal.aborted) throw e;
        const wait = Math.min(30_000, 250 * 2 ** attempt) * (0.5 + Math.random() / 2);
        ctx.log.debug({ what, attempt: attempt + 1, error: (e as Error).message }, 'salesforce request retried');
        await ctx.clock.sleep(wait);
      }
    }
  }

  return {
    conn,
    apiVersion: c.apiVersion,
    request,
    usage: () => conn.limitInfo?.apiUsage as ApiUsage | undefined,
    get sent() {
      return sent;
    },
  };
}

/** Runs `fn` again (after a backoff on ctx.clock) when it fails transiently: for find-then-create steps. */
export async function retryTransient<T>(ctx: PluginContext<SalesforceConfig>, what: string, fn: () => Promise<T>): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await fn();
    } catch (e) {
      if (!isTransient(e) || attempt >= ctx.config.maxRetries) throw e;
      ctx.log.debug({ what, attempt: attempt + 1, error: (e as Error).message }, 'salesforce write step retried');
      await ctx.clock.sleep(Math.min(30_000, 250 * 2 ** attempt));
    }
  }
}

export interface QueryPage<T> {
  totalSize: number;
  done: boolean;
  nextRecordsUrl?: string;
  records: T[];
}

/** The first page of a SOQL query: a GET, or a POST /composite when the GET's URI would be too long. */
export function queryFirstPage<T>(client: SalesforceClient, soql: string, what: string, includeDeleted = false): Promise<QueryPage<T>> {
  const url = `/${includeDeleted ? 'queryAll' : 'query'}?q=${encodeURIComponent(soql)}`;
  return client.request<QueryPage<T>>({ method: 'GET', url, viaComposite: tooLongForGet(client.apiVersion, url) }, what);
}

/** All records of one SOQL query (query/queryAll + nextRecordsUrl). Meant for bounded queries. */
export async function queryAll<T>(client: SalesforceClient, soql: string, what: string, includeDeleted = false): Promise<T[]> {
  const out: T[] = [];
  let page = await queryFirstPage<T>(client, soql, what, includeDeleted);
  out.push(...page.records);
  while (!page.done && page.nextRecordsUrl) {
    page = await client.request<QueryPage<T>>({ method: 'GET', url: page.nextRecordsUrl }, what);
    out.push(...page.records);
  }
  return out;
}
