// The fake vendor's HTTP API (a small, typical REST vendor):
//   GET  /v1/me                               the check endpoint
//   GET  /v1/<resource>?limit&cursor          { data, next_cursor, has_more } in (updatedAt, id) order;
//                                             the cursor is durable: it also starts incremental reads
//        ?offset=<n>                          offset paging instead of a cursor
//        ?updated_since=<ms> | updated_after  inclusive / exclusive timestamp filters
//   POST /oauth/token                         refresh-token grant (rotates the refresh token)
// Every /v1 call needs `Authorization: Bearer <apiKey or an issued access token>` (401 otherwise).
// A Link header (rel="next") accompanies every page that has a next one.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import type { Clock } from '@revloop/core';
import { decodeCursor, encodeCursor, type FakeRecord, type FakeVendorState } from './state.js';

export interface OAuthSettings {
  clientId: string;
  clientSecret: string;
  refreshToken: string;
  /** access token lifetime, seconds (default 3600) */
  ttlSec?: number;
}

export interface ServerCounts {
  requests: number;
  /** GET /v1/<resource> requests per resource */
  reads: Record<string, number>;
  /** records served per resource */
  served: Record<string, number>;
  throttled: number;
  /** requests that came before the Retry-After of the last 429 had passed */
  retryAfterViolations: number;
  tokenGrants: number;
}

export interface ServerSettings {
  state: FakeVendorState;
  clock: Clock;
  apiKey: string;
  oauth?: OAuthSettings;
  maxPageSize: number;
}

export interface ServerControl {
  counts: ServerCounts;
  /** answer the next `n` API requests 429 with Retry-After: seconds */
  throttle(n: number, retryAfterSec: number): void;
  revokeTokens(): void;
}

const send = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(text)), ...headers });
  res.end(text);
};

const readBody = (req: IncomingMessage) =>
  new Promise<string>((resolve, reject) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => resolve(body));
    req.on('error', reject);
  });

export async function startServer(s: ServerSettings): Promise<{ url: string; control: ServerControl; close(): Promise<void> }> {
  const counts: ServerCounts = { requests: 0, reads: {}, served: {}, throttled: 0, retryAfterViolations: 0, tokenGrants: 0 };
  const tokens = new Map<string, number>(); // access token → expiry (vendor clock)
  let refreshToken = s.oauth?.refreshToken;
  let throttleLeft = 0;
  let retryAfterSec = 1;
  // a 429's wait is over when either the vendor's clock or the wall clock passed it (a connector
  // may wait on a simulated clock or in real time; one that waits on neither is caught)
  let blocked: { clock: number; wall: number } | undefined;

  const authorized = (req: IncomingMessage) => {
    const m = /^Bearer (.+)$/.exec(req.headers.authorization ?? '');
    if (!m) return false;
    if (m[1] === s.apiKey) return true;
    const expiry = tokens.get(m[1]!);
    return expiry !== undefined && s.clock.now() < expiry;
  };

  const tooMany = (res: ServerResponse) => {
    counts.throttled++;
    blocked = { clock: s.clock.now() + retryAfterSec * 1000, wall: performance.now() + retryAfterSec * 1000 };
    send(res, 429, { error: 'rate_limited', message: `too many requests: retry after ${retryAfterSec} s` }, { 'retry-after': String(retryAfterSec) });
  };

  async function handle(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    counts.requests++;
    if (req.method === 'POST' && url.pathname === '/oauth/token') {
      const form = new URLSearchParams(await readBody(req));
      if (!s.oauth || form.get('grant_type') !== 'refresh_token' || form.get('refresh_token') !== refreshToken || form.get('client_id') !== s.oauth.clientId || form.get('client_secret') !== s.oauth.clientSecret) {
        return send(res, 400, { error: 'invalid_grant' });
      }
      counts.tokenGrants++;
      const access = `fake-access-${counts.tokenGrants}-${Math.random().toString(36).slice(2, 10)}`;
      refreshToken = `fake-refresh-${counts.tokenGrants}-${Math.random().toString(36).slice(2, 10)}`;
      tokens.set(access, s.clock.now() + (s.oauth.ttlSec ?? 3600) * 1000);
      return send(res, 200, { access_token: access, token_type: 'bearer', expires_in: s.oauth.ttlSec ?? 3600, refresh_token: refreshToken });
    }
    if (blocked && s.clock.now() < blocked.clock && performance.now() < blocked.wall) {
      counts.retryAfterViolations++;
      return tooMany(res);
    }
    blocked = undefined;
    if (throttleLeft > 0) {
      throttleLeft--;
      return tooMany(res);
    }
    if (!authorized(req)) return send(res, 401, { error: 'unauthorized', message: 'missing or invalid bearer token' });
    const parts = url.pathname.split('/').filter(Boolean);
    if (req.method !== 'GET' || parts[0] !== 'v1' || parts.length !== 2) return send(res, 404, { error: 'not_found' });
    if (parts[1] === 'me') return send(res, 200, { account: 'fake-vendor', time: s.clock.now() });
    const resource = parts[1]!;
    if (!s.state.has(resource)) return send(res, 404, { error: 'not_found', message: `no resource ${resource}` });
    counts.reads[resource] = (counts.reads[resource] ?? 0) + 1;
    const q = url.searchParams;
    const limit = Math.min(Number(q.get('limit') ?? 20) || 20, s.maxPageSize);
    const cursor = q.get('cursor');
    const position = cursor ? decodeCursor(cursor) : undefined;
    if (cursor && !position) return send(res, 400, { error: 'bad_cursor', message: 'cursor is not one this API issued' });
    let rows: FakeRecord[] = s.state.after(resource, position);
    if (q.has('updated_since')) rows = rows.filter((r) => r.updatedAt >= Number(q.get('updated_since')));
    if (q.has('updated_after')) rows = rows.filter((r) => r.updatedAt > Number(q.get('updated_after')));
    const offset = Number(q.get('offset') ?? 0) || 0;
    const page = rows.slice(offset, offset + limit);
    const hasMore = rows.length > offset + limit;
    const last = page[page.length - 1];
    const next = last ? encodeCursor(last) : (cursor ?? null);
    counts.served[resource] = (counts.served[resource] ?? 0) + page.length;
    const headers: Record<string, string> = {};
    if (hasMore && next) headers.link = `</v1/${resource}?limit=${limit}&cursor=${next}>; rel="next"`;
    send(res, 200, { data: page, next_cursor: next, has_more: hasMore }, headers);
  }

  const server = createServer((req, res) => {
    handle(req, res, new URL(req.url ?? '/', 'http://127.0.0.1')).catch((e: unknown) => send(res, 500, { error: String((e as Error).message) }));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    control: {
      counts,
      throttle(n, sec) {
        throttleLeft = n;
        retryAfterSec = sec;
      },
      revokeTokens: () => tokens.clear(),
    },
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
