// The kit's declarative HTTP building blocks against a tiny loopback server: paginators resume
// where they stopped, authenticators renew, and a 429's Retry-After is waited for on ctx.clock
// by every request of the connector.
import { describe, expect, it } from 'vitest';
import { REDACTED } from '@revloop/core';
import { bearer, cursorPages, linkHeaderPages, nextLink, oauth2Refresh, offsetPages, updatedSincePages, vendorClient } from '../src/http/index.js';
import { sendJson } from './helpers/tiny-server.js';
import { httpWorlds } from './helpers/world.js';

const world = httpWorlds();
async function collect<T>(pages: AsyncIterable<{ items: T[] }>): Promise<T[][]> {
  const out: T[][] = [];
  for await (const p of pages) out.push(p.items);
  return out;
}

const ids = ['a', 'b', 'c', 'd', 'e', 'f', 'g'];

describe('paginators', () => {
  it('cursor: reads every page, and resumes after the page it stopped at', async () => {
    const { server, ctx } = await world((req, res) => {
      const start = req.url.searchParams.get('cursor') ? ids.indexOf(req.url.searchParams.get('cursor')!) + 1 : 0;
      const page = ids.slice(start, start + 3);
      sendJson(res, 200, { data: page, next: page.at(-1), has_more: start + 3 < ids.length });
    });
    const api = vendorClient(ctx, { baseUrl: server.url });
    const spec = { path: '/items', items: (b: any) => b.data, next: (b: any) => b.next, hasMore: (b: any) => b.has_more };
    expect(await collect(cursorPages(api, spec))).toEqual([['a', 'b', 'c'], ['d', 'e', 'f'], ['g']]);
    const first = await cursorPages(api, spec).next();
    expect(first.value!.position).toBe('c');
    expect(await collect(cursorPages(api, { ...spec, from: first.value!.position }))).toEqual([['d', 'e', 'f'], ['g']]);
  });

  it('offset: stops at a short page and resumes at the offset after a page', async () => {
    const { server, ctx } = await world((req, res) => {
      const offset = Number(req.url.searchParams.get('offset'));
      sendJson(res, 200, { results: ids.slice(offset, offset + Number(req.url.searchParams.get('limit'))) });
    });
    const api = vendorClient(ctx, { baseUrl: server.url });
    const spec = { path: '/items', pageSize: 3, items: (b: any) => b.results };
    expect(await collect(offsetPages(api, spec))).toEqual([['a', 'b', 'c'], ['d', 'e', 'f'], ['g']]);
    expect(await collect(offsetPages(api, { ...spec, from: 6 }))).toEqual([['g']]);
    expect(server.seen.length).toBe(4);
  });

  it('link header: follows rel="next" (relative or absolute) until there is none', async () => {
    const { server, ctx } = await world((req, res) => {
      const page = Number(req.url.searchParams.get('page') ?? 1);
      const links = [`</items?page=1>; rel="first"`];
      if (page < 3) links.push(page === 1 ? `</items?page=2>; rel="next"` : `<${server.url}/items?page=3>; rel="next last"`);
      sendJson(res, 200, ids.slice((page - 1) * 3, page * 3), { link: links.join(', ') });
    });
    const api = vendorClient(ctx, { baseUrl: server.url });
    expect(await collect(linkHeaderPages(api, { path: '/items', items: (b: any) => b }))).toEqual([['a', 'b', 'c'], ['d', 'e', 'f'], ['g']]);
    expect(nextLink('<https://x.test/a?page=2>; rel="prev", <https://x.test/a?page=4>; rel="next"')).toBe('https://x.test/a?page=4');
    expect(nextLink('<https://x.test/a?page=2>; rel="prev"')).toBeUndefined();
  });

  const records = [
    { id: 'a', t: 5 },
    { id: 'b', t: 10 },
    { id: 'c', t: 10 },
    { id: 'd', t: 10 },
    { id: 'e', t: 20 },
  ];
  const sinceServer = (req: { url: URL }, res: Parameters<typeof sendJson>[0]) => {
    const since = req.url.searchParams.get('updated_since');
    const rows = records.filter((r) => since === null || r.t >= Number(since));
    sendJson(res, 200, { rows: rows.slice(0, Number(req.url.searchParams.get('limit'))) });
  };

  it('updated-since: records sharing a timestamp across a page boundary are neither lost nor read twice', async () => {
    const { server, ctx } = await world(sinceServer);
    const api = vendorClient(ctx, { baseUrl: server.url });
    const pages = updatedSincePages(api, { path: '/rows', pageSize: 4, items: (b: any) => b.rows, updatedAt: (r: any) => r.t, id: (r: any) => r.id });
    expect((await collect(pages)).flat().map((r: any) => r.id)).toEqual(['a', 'b', 'c', 'd', 'e']);
    const resumed = updatedSincePages(api, { path: '/rows', pageSize: 4, from: { updatedAt: 10, id: 'c' }, items: (b: any) => b.rows, updatedAt: (r: any) => r.t, id: (r: any) => r.id });
    expect((await collect(resumed)).flat().map((r: any) => r.id)).toEqual(['d', 'e']);
  });

  it('updated-since: a timestamp shared by a whole page is refused with the fix, not looped on', async () => {
    const { server, ctx } = await world(sinceServer);
    const api = vendorClient(ctx, { baseUrl: server.url });
    const pages = updatedSincePages(api, { path: '/rows', pageSize: 3, from: { updatedAt: 10, id: 'd' }, items: (b: any) => b.rows, updatedAt: (r: any) => r.t, id: (r: any) => r.id });
    await expect(collect(pages)).rejects.toThrow(/share updatedAt 10.*|raise the page size/);
  });
});

describe('authenticators', () => {
  it('bearer: sends the token and registers it with the redactor', async () => {
    const { server, ctx } = await world((req, res) => (req.headers.authorization === 'Bearer key-1234567890' ? sendJson(res, 200, { ok: true }) : sendJson(res, 401, { error: 'no' })));
    const api = vendorClient(ctx, { baseUrl: server.url, auth: bearer(() => 'key-1234567890') });
    expect(await api.json('/me')).toEqual({ ok: true });
    expect(ctx.redactor.text('token key-1234567890 here')).toBe(`token ${REDACTED} here`);
  });

  it('oauth2 refresh: renews before expiry (on ctx.clock), after a 401, and keeps a rotated refresh token', async () => {
    let issued = 0;
    let valid = '';
    let refresh = 'refresh-original-1';
    const grants: string[] = [];
    const { server, ctx, clock } = await world((req, res) => {
      if (req.url.pathname === '/oauth/token') {
        const form = new URLSearchParams(req.body);
        grants.push(form.get('refresh_token')!);
        if (form.get('refresh_token') !== refresh || form.get('client_secret') !== 'client-secret-xyz') return sendJson(res, 400, { error: 'invalid_grant' });
        valid = `access-token-${++issued}`;
        refresh = `refresh-rotated-${issued}`;
        return sendJson(res, 200, { access_token: valid, expires_in: 600, refresh_token: refresh });
      }
      return req.headers.authorization === `Bearer ${valid}` ? sendJson(res, 200, { token: valid }) : sendJson(res, 401, { error: 'expired' });
    });
    const auth = oauth2Refresh({ tokenUrl: `${server.url}/oauth/token`, clientId: 'client-1', clientSecret: 'client-secret-xyz', refreshToken: 'refresh-original-1' });
    const api = vendorClient(ctx, { baseUrl: server.url, auth });
    expect(await api.json('/me')).toEqual({ token: 'access-token-1' });
    expect(await api.json('/me')).toEqual({ token: 'access-token-1' }); // cached
    clock.advance(600_000); // expired by the clock: renewed before the request
    expect(await api.json('/me')).toEqual({ token: 'access-token-2' });
    valid = 'revoked-by-vendor'; // a 401: renewed once, then the request succeeds
    expect(await api.json('/me')).toEqual({ token: 'access-token-3' });
    expect(grants).toEqual(['refresh-original-1', 'refresh-rotated-1', 'refresh-rotated-2']);
    expect(await ctx.state.get('oauth2.refreshToken')).toBe('refresh-rotated-3');
    expect(ctx.redactor.text('access-token-3 refresh-rotated-2 client-secret-xyz')).toBe(`${REDACTED} ${REDACTED} ${REDACTED}`);
  });

  it('oauth2 refresh: a refused grant says what failed and how to fix it, without the secret', async () => {
    const { server, ctx } = await world((_req, res) => sendJson(res, 400, { error: 'invalid_grant' }));
    const api = vendorClient(ctx, { baseUrl: server.url, auth: oauth2Refresh({ tokenUrl: `${server.url}/oauth/token`, clientId: 'c', clientSecret: 'client-secret-xyz', refreshToken: 'refresh-bad-123' }) });
    const error = await api.json('/me').catch((e: Error & { fix?: string }) => e);
    expect(error).toMatchObject({ code: 'AUTH_REFRESH_FAILED' });
    expect(String((error as Error).message)).not.toContain('client-secret-xyz');
  });

  it('oauth2 refresh: a refused grant is remembered: further calls fail without a token request', async () => {
    const { server, ctx } = await world((_req, res) => sendJson(res, 400, { error: 'invalid_grant' }));
    const api = vendorClient(ctx, { baseUrl: server.url, auth: oauth2Refresh({ tokenUrl: `${server.url}/oauth/token`, clientId: 'c', clientSecret: 'client-secret-xyz', refreshToken: 'refresh-bad-123' }) });
    for (let i = 0; i < 3; i++) await expect(api.json('/me')).rejects.toMatchObject({ code: 'AUTH_REFRESH_FAILED', kind: 'bad_input' });
    expect(server.seen.map((s) => s.url.pathname)).toEqual(['/oauth/token']);
  });

  it('oauth2 refresh: an endpoint that fails (5xx) is not remembered: the next call asks again', async () => {
    let down = true;
    const { server, ctx } = await world((req, res) =>
      req.url.pathname === '/oauth/token' ? (down ? sendJson(res, 503, { error: 'down' }) : sendJson(res, 200, { access_token: 'access-ok-1', expires_in: 600 })) : sendJson(res, 200, { ok: true }),
    );
    const api = vendorClient(ctx, { baseUrl: server.url, auth: oauth2Refresh({ tokenUrl: `${server.url}/oauth/token`, clientId: 'c', clientSecret: 'client-secret-xyz', refreshToken: 'refresh-1234' }) });
    await expect(api.json('/me')).rejects.toMatchObject({ code: 'AUTH_REFRESH_FAILED', kind: 'failure' });
    down = false;
    expect(await api.json('/me')).toEqual({ ok: true });
  });

  it('oauth2 refresh: concurrent 401s with the same token renew it once', async () => {
    let issued = 0;
    let valid = '';
    const { server, ctx } = await world((req, res) => {
      if (req.url.pathname === '/oauth/token') return sendJson(res, 200, { access_token: (valid = `access-token-${++issued}`), expires_in: 600 });
      return req.headers.authorization === `Bearer ${valid}` ? sendJson(res, 200, { token: valid }) : sendJson(res, 401, { error: 'expired' });
    });
    const api = vendorClient(ctx, { baseUrl: server.url, auth: oauth2Refresh({ tokenUrl: `${server.url}/oauth/token`, clientId: 'c', clientSecret: 'client-secret-xyz', refreshToken: 'refresh-1234' }) });
    await api.json('/me');
    valid = 'revoked';
    const answers = await Promise.all(Array.from({ length: 6 }, () => api.json<{ token: string }>('/me')));
    expect(new Set(answers.map((a) => a.token))).toEqual(new Set(['access-token-2']));
    expect(issued).toBe(2);
  });

  it('oauth2 refresh: a token URL at the metadata address is refused before any connection', async () => {
    const { server, ctx } = await world((_req, res) => sendJson(res, 200, { ok: true }));
    const api = vendorClient(ctx, { baseUrl: server.url, auth: oauth2Refresh({ tokenUrl: 'http://169.254.169.254/computeMetadata/v1/token', clientId: 'c', clientSecret: 'client-secret-xyz', refreshToken: 'refresh-1234' }) });
    await expect(api.json('/me')).rejects.toMatchObject({ code: 'OUTBOUND_REFUSED' });
    expect(server.seen).toEqual([]); // and the network guard saw no attempt to leave loopback
  });
});

describe('rate limiting', () => {
  it("a 429's Retry-After is waited for on ctx.clock before the request is sent again", async () => {
    let first = true;
    const times: number[] = [];
    const { server, ctx, clock } = await world((_req, res) => {
      times.push(clock.now());
      if (first) {
        first = false;
        return sendJson(res, 429, { error: 'slow down' }, { 'retry-after': '7' });
      }
      sendJson(res, 200, { ok: true });
    });
    const api = vendorClient(ctx, { baseUrl: server.url });
    expect(await api.json('/x')).toEqual({ ok: true });
    expect(times.length).toBe(2);
    expect(times[1]! - times[0]!).toBeGreaterThanOrEqual(7000);
  });

  it('the limiter is shared by every client of one connector: a penalty holds the others too', async () => {
    const times: number[] = [];
    const { server, ctx, clock } = await world((_req, res) => {
      times.push(clock.now());
      sendJson(res, 200, {});
    });
    const a = vendorClient(ctx, { baseUrl: server.url });
    const b = vendorClient(ctx, { baseUrl: server.url });
    expect(a.limiter).toBe(b.limiter);
    const t0 = clock.now();
    a.limiter.penalize(5000);
    await b.json('/y');
    expect(times[0]! - t0).toBeGreaterThanOrEqual(5000);
  });

  it('declared windows are kept: 3 requests per second → the 4th waits for the window', async () => {
    const times: number[] = [];
    const { server, ctx, clock } = await world((_req, res) => {
      times.push(clock.now());
      sendJson(res, 200, {});
    });
    const api = vendorClient(ctx, { baseUrl: server.url, rateLimit: { windows: [{ limit: 3, intervalMs: 1000 }] } });
    for (let i = 0; i < 4; i++) await api.json('/z');
    expect(times[3]! - times[0]!).toBeGreaterThanOrEqual(1000);
  });

  it('gives up after repeated 429s with a message that says what to do', async () => {
    const { server, ctx } = await world((_req, res) => sendJson(res, 429, {}, { 'retry-after': '1' }));
    const api = vendorClient(ctx, { baseUrl: server.url, maxRateLimitRetries: 2 });
    await expect(api.json('/x')).rejects.toMatchObject({ code: 'RATE_LIMITED' });
  });
});
