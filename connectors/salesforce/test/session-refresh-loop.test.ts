// jsforce refreshes the session on every 401 and replays the request, with no limit (its own
// comment in http-api.js isSessionExpired admits the infinite loop), and replays to the absolute
// URL of the old instance even when the token endpoint named a new instance_url. A loopback org
// whose API refuses every token while its token endpoint keeps issuing new ones must fail the
// request after one refresh with SALESFORCE_SESSION_REFUSED; an ordinary expired session still
// costs exactly one refresh; the replay goes to the new instance_url.
// Each loopback API answers 400 TEST_LOOP_GUARD after LOOP_GUARD data calls, so the unbounded loop
// of the old code ends in a failed assertion instead of a test timeout.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { checkConnectors, createRuntime, parseConfig, syncStream, type Runtime } from '@revloop/core';
import { salesforceConnector } from '../src/index.js';
import { clientFor } from '../src/client.js';
import type { SalesforceConfig } from '../src/config.js';

const LOOP_GUARD = 40;
const servers: Server[] = [];
let runtime: Runtime | undefined;
afterEach(async () => {
  await runtime?.close();
  runtime = undefined;
  for (const s of servers.splice(0)) await new Promise<void>((r) => s.close(() => r()));
});

interface Org {
  base: string;
  /** data calls (everything but the token endpoint), as "METHOD path" */
  data: string[];
  /** token endpoint calls */
  tokens: number;
}

/**
 * a loopback Salesforce: the token endpoint issues fresh-1, fresh-2… with `instanceUrl()` (default:
 * itself); a data call is answered 200 when `accepts(bearer token)`, else 401 INVALID_SESSION_ID
 */
async function org(accepts: (token: string) => boolean, instanceUrl?: () => string, tokenGate?: () => Promise<void>): Promise<Org> {
  const o: Org = { base: '', data: [], tokens: 0 };
  const server = createServer((req: IncomingMessage, res) => {
    const json = (status: number, body: unknown) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    req.resume();
    if (req.url!.startsWith('/services/oauth2/token')) {
      const n = ++o.tokens;
      if (tokenGate) return void tokenGate().then(() => json(200, { access_token: `fresh-${n}`, instance_url: instanceUrl?.() ?? o.base, id: 'https://login.salesforce.com/id/00D000000000001/005000000000001', token_type: 'Bearer' }));
      return json(200, { access_token: `fresh-${o.tokens}`, instance_url: instanceUrl?.() ?? o.base, id: 'https://login.salesforce.com/id/00D000000000001/005000000000001', token_type: 'Bearer' });
    }
    o.data.push(`${req.method} ${req.url}`);
    if (o.data.length > LOOP_GUARD) return json(400, [{ errorCode: 'TEST_LOOP_GUARD', message: `more than ${LOOP_GUARD} data calls` }]);
    const token = (req.headers.authorization ?? '').replace(/^Bearer /, '');
    if (!accepts(token)) return json(401, [{ errorCode: 'INVALID_SESSION_ID', message: 'Session expired or invalid' }]);
    json(200, { totalSize: 0, done: true, records: [], fields: [] });
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  o.base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return o;
}

let now = 0;
async function client(o: Org) {
  now = 0;
  const loaded = parseConfig(
    {
      store: { kind: 'sqlite', path: ':memory:' },
      log: { level: 'silent' },
      connectors: { sf: { plugin: salesforceConnector, instanceUrl: o.base, loginUrl: o.base, clientId: 'id', clientSecret: 'secret', refreshToken: 'refresh-token', accessToken: 'old-token', maxRetries: 3 } },
    },
    { env: {} },
  );
  runtime = await createRuntime(loaded, { clock: { now: () => now, sleep: async (ms) => void (now += ms) } });
  await runtime.store.migrate();
  return clientFor(runtime.contextFor<SalesforceConfig>(runtime.connector('sf')));
}

const read = { method: 'GET', url: '/query?q=SELECT+Id+FROM+Account' } as const;

describe('salesforce: a 401 after a fresh token does not refresh forever', () => {
  it('an API that refuses every token: one refresh, two data calls, SALESFORCE_SESSION_REFUSED with where and how to fix', async () => {
    const o = await org(() => false);
    const sf = await client(o);
    const e = await sf.request(read, 'read accounts').catch((err: unknown) => err);
    expect(e).toMatchObject({
      code: 'SALESFORCE_SESSION_REFUSED',
      where: 'connectors.sf (read accounts)',
      message: expect.stringContaining(o.base),
      fix: expect.stringMatching(/API Enabled.*IP/s),
    });
    expect(o.tokens).toBe(1);
    expect(o.data).toEqual(['GET /services/data/v62.0/query?q=SELECT+Id+FROM+Account', 'GET /services/data/v62.0/query?q=SELECT+Id+FROM+Account']);
    expect(sf.sent).toBe(2); // the first call and its replay with the fresh token; no retry of the refusal
    expect((e as Error).message).not.toContain('fresh-1'); // the session token stays out of the message
  });

  it('the refusal is remembered for a minute of ctx.clock (the rest of a sync sends nothing), then tried once more', async () => {
    const o = await org(() => false);
    const sf = await client(o);
    await expect(sf.request(read, 'first')).rejects.toMatchObject({ code: 'SALESFORCE_SESSION_REFUSED' });
    await expect(syncStream(runtime!, 'sf', 'accounts')).rejects.toMatchObject({ code: 'SALESFORCE_SESSION_REFUSED' });
    await expect(sf.request(read, 'second')).rejects.toMatchObject({ code: 'SALESFORCE_SESSION_REFUSED', where: 'connectors.sf (second)' });
    expect([o.tokens, o.data.length]).toEqual([1, 2]);
    now += 61_000;
    await expect(sf.request(read, 'later')).rejects.toMatchObject({ code: 'SALESFORCE_SESSION_REFUSED' });
    expect([o.tokens, o.data.length]).toEqual([2, 4]);
  });

  it('a sync of a stream against such an API fails after one token call and two data calls', async () => {
    const o = await org(() => false);
    await client(o);
    await expect(syncStream(runtime!, 'sf', 'accounts')).rejects.toMatchObject({ code: 'SALESFORCE_SESSION_REFUSED' });
    expect([o.tokens, o.data.length]).toEqual([1, 2]);
  });

  it('check reports it as not ok, with the instance URL and the settings to look at', async () => {
    const o = await org(() => false);
    await client(o);
    const [check] = await checkConnectors(runtime!);
    expect(check).toMatchObject({ ok: false, message: expect.stringMatching(new RegExp(`${o.base}.*new token was refused too.*API Enabled`, 's')) });
    expect([o.tokens, o.data.length]).toEqual([1, 2]);
  });

  it('concurrent requests against such an API: each fails, at most one refresh each', async () => {
    const o = await org(() => false);
    const sf = await client(o);
    const results = await Promise.allSettled([1, 2, 3].map((n) => sf.request({ method: 'GET', url: `/query?q=${n}` }, `read ${n}`)));
    for (const r of results) expect(r).toMatchObject({ status: 'rejected', reason: { code: 'SALESFORCE_SESSION_REFUSED' } });
    expect(o.tokens).toBeGreaterThanOrEqual(1);
    expect(o.tokens).toBeLessThanOrEqual(3);
    expect(o.data).toHaveLength(6); // each request: its 401 and one replay with a fresh token
  });

  it('an ordinary expired session: one refresh, the request replayed once and answered; the next request sends the fresh token', async () => {
    const o = await org((t) => t === 'fresh-1');
    const sf = await client(o);
    await expect(sf.request(read, 'read accounts')).resolves.toMatchObject({ done: true });
    expect([o.tokens, o.data.length]).toEqual([1, 2]);
    await expect(sf.request({ method: 'GET', url: '/query?q=again' }, 'again')).resolves.toMatchObject({ done: true });
    expect([o.tokens, o.data.length]).toEqual([1, 3]);
  });

  it('concurrent requests with an expired session: one token call, every request answered', async () => {
    const o = await org((t) => t === 'fresh-1');
    const sf = await client(o);
    const answers = await Promise.all([1, 2, 3].map((n) => sf.request({ method: 'GET', url: `/query?q=${n}` }, `read ${n}`)));
    expect(answers).toHaveLength(3);
    expect(o.tokens).toBe(1);
    expect(o.data.length).toBeLessThanOrEqual(6);
  });

  it('the replay after a refresh goes to the instance_url the token endpoint returned, not to the old instance', async () => {
    const moved = await org((t) => t === 'fresh-1');
    const old = await org(() => false, () => moved.base);
    const sf = await client(old);
    await expect(sf.request(read, 'read accounts')).resolves.toMatchObject({ done: true });
    expect(old.data).toEqual(['GET /services/data/v62.0/query?q=SELECT+Id+FROM+Account']); // the 401
    expect(old.tokens).toBe(1);
    expect(moved.data).toEqual(['GET /services/data/v62.0/query?q=SELECT+Id+FROM+Account']); // the replay
    await expect(sf.request({ method: 'GET', url: '/query?q=next' }, 'next')).resolves.toMatchObject({ done: true });
    expect(moved.data).toHaveLength(2); // the connection stays on the new instance
  });

  it('a request started while another one refreshes waits for the token and goes to the new instance_url too', async () => {
    let open!: () => void;
    const gate = new Promise<void>((r) => (open = r));
    let asked!: () => void;
    const tokenAsked = new Promise<void>((r) => (asked = r));
    const moved = await org((t) => t === 'fresh-1');
    const old = await org(() => false, () => moved.base, () => (asked(), gate));
    const sf = await client(old);
    const first = sf.request({ method: 'GET', url: '/query?q=first' }, 'first');
    await tokenAsked; // the refresh is under way
    const second = sf.request({ method: 'GET', url: '/query?q=second' }, 'second');
    await new Promise((r) => setTimeout(r, 50));
    open();
    await expect(Promise.all([first, second])).resolves.toHaveLength(2);
    expect(old.data).toEqual(['GET /services/data/v62.0/query?q=first']);
    expect(old.tokens).toBe(1);
    expect(moved.data.sort()).toEqual(['GET /services/data/v62.0/query?q=first', 'GET /services/data/v62.0/query?q=second']);
  });

  it('a write the client never retries (retry: false) is still replayed once after a refresh: a 401 was never processed', async () => {
    const o = await org((t) => t === 'fresh-1');
    const sf = await client(o);
    await expect(sf.request({ method: 'POST', url: '/composite', body: { compositeRequest: [] }, retry: false }, 'write')).resolves.toBeDefined();
    expect(o.data).toEqual(['POST /services/data/v62.0/composite', 'POST /services/data/v62.0/composite']);
    expect(o.tokens).toBe(1);
  });
});
