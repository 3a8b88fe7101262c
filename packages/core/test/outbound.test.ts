// The outbound address policy (issue #25 item 3): no request, and so no credential, goes to a
// metadata service, a link-local or private address, or a public one over plain http, unless the
// connector's config allows a private network; loopback (the sandbox) stays allowed. Checked after
// DNS resolution, for ctx.http (with its redirects) and for the URLs a vendor SDK is configured with.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { z } from 'zod';
import { checkOutboundUrl, type LookupAll } from '../src/context/outbound.js';
import { assertConfiguredUrls, configuredUrls } from '../src/context/outbound-config.js';
import { createHttpClient } from '../src/context/http.js';
import { checkConnectors, createRuntime, defineAction, defineConnector, defineStream, parseConfig, RevloopError, runAction, syncStream } from '../src/index.js';

/** a DNS that answers from a table (the tests' network guard refuses real lookups) */
const dnsOf =
  (table: Record<string, string[]>): LookupAll =>
  async (host) => {
    const a = table[host];
    if (!a) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND' });
    return a;
  };
const lookup = dnsOf({
  'api.vendor.example': ['203.0.114.10', '2606:4700::10'],
  'rebind.example': ['169.254.169.254'],
  'half-private.example': ['203.0.114.11', '10.0.0.7'],
  'crm.corp.example': ['10.20.30.40'],
  'v6-mapped.example': ['::ffff:169.254.169.254'],
});

async function refusal(url: string, policy: { allowPrivateNetwork?: boolean } = {}): Promise<RevloopError> {
  const e = await checkOutboundUrl(url, { ...policy, lookup }, 'connectors.x.baseUrl').then(
    () => undefined,
    (x: unknown) => x,
  );
  expect(e, url).toBeInstanceOf(RevloopError);
  return e as RevloopError;
}

describe('checkOutboundUrl', () => {
  it('refuses metadata, link-local, private, unspecified addresses and names resolving to them, saying where and how to fix', async () => {
    for (const url of ['http://169.254.169.254/latest/meta-data/iam', 'https://169.254.169.254/', 'https://metadata.google.internal/computeMetadata/v1/', 'https://[fd00:ec2::254]/', 'https://[::ffff:169.254.169.254]/', 'https://rebind.example/', 'https://v6-mapped.example/', 'https://169.254.10.1/', 'https://[fe80::1]/', 'https://0.0.0.0/']) {
      const e = await refusal(url);
      expect(e.code).toBe('OUTBOUND_REFUSED');
      expect(e.where).toBe('connectors.x.baseUrl');
      expect(e.fix).toMatch(/https/);
    }
    expect((await refusal('https://rebind.example/')).message).toMatch(/rebind\.example resolves to 169\.254\.169\.254/);
    for (const url of ['https://10.0.0.5/', 'https://192.168.1.20/', 'https://172.16.3.4/', 'https://[fd12::1]/', 'https://half-private.example/', 'https://crm.corp.example/']) {
      expect((await refusal(url)).fix, url).toMatch(/allowPrivateNetwork: true/);
    }
  });

  it('refuses plain http to a public address; allows https to public addresses and loopback over http', async () => {
    expect((await refusal('http://api.vendor.example/v1')).message).toMatch(/plain http.*unencrypted/);
    await expect(checkOutboundUrl('https://api.vendor.example/v1', { lookup })).resolves.toEqual({ addresses: ['203.0.114.10', '2606:4700::10'] });
    await expect(checkOutboundUrl('http://127.0.0.1:4010/crm', { lookup })).resolves.toBeDefined();
    await expect(checkOutboundUrl('http://[::1]:4010/', { lookup })).resolves.toBeDefined();
    await expect(checkOutboundUrl('http://localhost:4010/', { lookup })).resolves.toBeDefined();
  });

  it('with allowPrivateNetwork: private addresses (https or http) pass; metadata and link-local still do not', async () => {
    const allow = { allowPrivateNetwork: true, lookup };
    await expect(checkOutboundUrl('https://crm.corp.example/', allow)).resolves.toBeDefined();
    await expect(checkOutboundUrl('http://10.0.0.5:8080/', allow)).resolves.toBeDefined();
    expect((await refusal('http://169.254.169.254/', { allowPrivateNetwork: true })).code).toBe('OUTBOUND_REFUSED');
    expect((await refusal('https://rebind.example/', { allowPrivateNetwork: true })).code).toBe('OUTBOUND_REFUSED');
    expect((await refusal('http://api.vendor.example/', { allowPrivateNetwork: true })).message).toMatch(/plain http/);
  });

  it('a name that does not resolve is reported as such', async () => {
    const e = await checkOutboundUrl('https://api.hubapi.typo/', { lookup }).catch((x: unknown) => x as RevloopError);
    expect(e).toMatchObject({ code: 'OUTBOUND_UNRESOLVED', message: expect.stringMatching(/api\.hubapi\.typo.*could not be resolved.*ENOTFOUND/) });
  });
});

describe('ctx.http under the policy', () => {
  let server: Server | undefined;
  afterEach(() => server?.close());

  it('sends nothing to a refused address, not even on retries', async () => {
    const sent: string[] = [];
    const http = createHttpClient({ log: pino({ level: 'silent' }), now: () => 0, fetch: (async (u: string) => (sent.push(String(u)), new Response('{}'))) as typeof fetch, outbound: { lookup } });
    await expect(http.request('http://169.254.169.254/latest/meta-data/', { headers: { authorization: 'Bearer t0ken-abcdef' } })).rejects.toMatchObject({ code: 'OUTBOUND_REFUSED' });
    await expect(http.request('https://rebind.example/x')).rejects.toMatchObject({ code: 'OUTBOUND_REFUSED' });
    expect(sent).toEqual([]);
  });

  it('a redirect to the metadata service is refused before it is followed', async () => {
    server = createServer((req, res) => {
      res.writeHead(302, { location: 'http://169.254.169.254/latest/meta-data/iam/security-credentials/' });
      res.end();
    });
    await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const sent: string[] = [];
    const guardedFetch = (async (u: string, init?: RequestInit) => {
      sent.push(String(u));
      if (!String(u).startsWith(base)) throw new Error(`the test's fetch was asked for ${String(u)}`);
      return fetch(u, init);
    }) as typeof fetch;
    const http = createHttpClient({ log: pino({ level: 'silent' }), now: () => 0, fetch: guardedFetch, outbound: { lookup } });
    await expect(http.request(`${base}/start`, { retries: 0 })).rejects.toMatchObject({ code: 'OUTBOUND_REFUSED' });
    expect(sent).toEqual([`${base}/start`]);
  });
});

/**
 * A config whose connector `crm` has the base URL https://crm.vendor.example/api: a host NAME, so
 * it passes the load (an address literal is refused there already, see below), and a runtime whose
 * outbound policy resolves that name to the metadata service (RuntimeOptions.outbound, the test
 * hook: the tests' network guard resolves no outside name), so it is refused when used.
 */
const crmBehindMetadata = dnsOf({ 'crm.vendor.example': ['169.254.169.254'] });
const metadataRefusal = /^https:\/\/crm\.vendor\.example is a metadata address \(crm\.vendor\.example resolves to 169\.254\.169\.254\)/;
function crmRuntime(entry: Record<string, unknown>) {
  const loaded = parseConfig({ store: { kind: 'sqlite', path: ':memory:' }, connectors: { crm: { ...entry, baseUrl: 'https://crm.vendor.example/api' } } }, { env: {} });
  return createRuntime(loaded, { outbound: { lookup: crmBehindMetadata } });
}

describe('config load', () => {
  const load = (entry: Record<string, unknown>) => () => parseConfig({ store: { kind: 'sqlite', path: ':memory:' }, connectors: { crm: { plugin: 'x', ...entry } } }, { env: {} });
  it('refuses a connector URL that is the metadata service, a link-local or private address literal: bad input, with the config path', () => {
    for (const [entry, where] of [
      [{ baseUrl: 'http://169.254.169.254/latest/meta-data/' }, 'connectors.crm.baseUrl'],
      [{ baseUrl: 'https://metadata.google.internal/' }, 'connectors.crm.baseUrl'],
      [{ auth: { tokenUrl: 'https://10.1.2.3/token' } }, 'connectors.crm.auth.tokenUrl'],
      [{ baseUrl: 'http://[::ffff:169.254.169.254]/' }, 'connectors.crm.baseUrl'],
    ] as const) {
      expect(load(entry), JSON.stringify(entry)).toThrow(expect.objectContaining({ code: 'OUTBOUND_REFUSED', where, kind: 'bad_input' }));
    }
  });

  it('accepts loopback, host names (checked after DNS when used) and, with allowPrivateNetwork, a private literal', () => {
    expect(load({ baseUrl: 'http://127.0.0.1:4010' })).not.toThrow();
    expect(load({ baseUrl: 'https://api.vendor.example' })).not.toThrow();
    expect(load({ baseUrl: 'http://10.1.2.3:8080', allowPrivateNetwork: true })).not.toThrow();
    expect(load({ baseUrl: 'http://169.254.169.254/', allowPrivateNetwork: true })).toThrow(/metadata/);
  });
});

describe('URLs a vendor SDK is configured with', () => {
  it('finds every http(s) URL in a config, nested too', () => {
    expect(configuredUrls({ accessToken: 'x', baseUrl: 'https://api.hubapi.com', oauth: { tokenUrl: 'http://10.0.0.1/t' }, n: 3 })).toEqual([
      { path: 'baseUrl', url: 'https://api.hubapi.com' },
      { path: 'oauth.tokenUrl', url: 'http://10.0.0.1/t' },
    ]);
  });

  it('revloop check refuses a connector whose base URL is the metadata service, without calling its check()', async () => {
    let called = 0;
    const sdkLike = defineConnector({
      name: 'sdk-like',
      version: '1.0.0',
      config: z.object({ accessToken: z.string(), baseUrl: z.string() }).strict(),
      async check() {
        called++;
        return { ok: true, message: 'ok' };
      },
      streams: [],
    });
    const runtime = await crmRuntime({ plugin: sdkLike, accessToken: 'token-123456789' });
    try {
      const [result] = await checkConnectors(runtime);
      expect(result).toMatchObject({ connector: 'crm', ok: false, message: expect.stringMatching(metadataRefusal) });
      expect(result!.message).toMatch(/; fix: use the vendor's public https address$/);
      expect(called).toBe(0);
      const entry = (config: Record<string, unknown>) => ({ loaded: { config: { connectors: { crm: { plugin: 'x', ...config } } } } });
      const crm = { name: 'crm', definition: { kind: 'connector' } };
      await expect(assertConfiguredUrls(entry({ baseUrl: 'https://crm.corp.example' }), crm, { lookup })).rejects.toMatchObject({ where: 'connectors.crm.baseUrl' });
      await expect(assertConfiguredUrls(entry({ baseUrl: 'https://crm.corp.example', allowPrivateNetwork: true }), { ...crm }, { lookup })).resolves.toBeUndefined();
    } finally {
      await runtime.close();
    }
    // allowPrivateNetwork is the entry's, not the plugin's: a strict plugin schema does not see it
    const allowed = await createRuntime(parseConfig({ store: { kind: 'sqlite', path: ':memory:' }, connectors: { crm: { plugin: sdkLike, allowPrivateNetwork: true, accessToken: 'token-123456789', baseUrl: 'http://127.0.0.1:9/api' } } }, { env: {} }));
    try {
      expect((await checkConnectors(allowed))[0]).toMatchObject({ ok: true });
      expect(called).toBe(1);
    } finally {
      await allowed.close();
    }
  });
});

describe('a connector configured with the metadata service sends nothing there', () => {
  it('neither a sync nor an action reaches the stream or the action: refused with the config path', async () => {
    const reached: string[] = [];
    const bearer = defineConnector({
      name: 'bearer',
      version: '1.0.0',
      config: z.object({ accessToken: z.string(), baseUrl: z.string() }).strict(),
      check: async () => ({ ok: true, message: 'ok' }),
      streams: [
        defineStream<{ accessToken: string; baseUrl: string }, { id: string }, { n: number }>({
          name: 'contacts',
          entity: 'contact',
          cursor: 'n',
          deletes: 'none',
          async *read(ctx) {
            reached.push(`read ${ctx.config.baseUrl}`); // an SDK would send the bearer token here
            yield { records: [], checkpoint: { n: 1 } };
          },
          map: (r) => ({ systemId: r.id, fields: {} }),
        }),
      ],
      actions: [
        defineAction({
          name: 'create-task',
          input: z.object({ subject: z.string() }).strict(),
          idempotencyKey: (i: { subject: string }) => i.subject,
          async run(ctx) {
            reached.push(`run ${(ctx.config as { baseUrl: string }).baseUrl}`);
            return { ok: true };
          },
        }),
      ],
    });
    const runtime = await crmRuntime({ plugin: bearer, accessToken: 'token-123456789' });
    await runtime.store.migrate();
    try {
      await expect(syncStream(runtime, 'crm', 'contacts')).rejects.toMatchObject({ code: 'OUTBOUND_REFUSED', where: 'connectors.crm.baseUrl', message: expect.stringMatching(metadataRefusal) });
      await expect(runAction(runtime, 'crm', 'create-task', { subject: 'call' })).rejects.toMatchObject({ code: 'OUTBOUND_REFUSED', where: 'connectors.crm.baseUrl' });
      expect(reached).toEqual([]);
      // the same name resolution reaches ctx.http: a call to the name is refused before it connects
      await expect(runtime.contextFor(runtime.connector('crm')).http.request('https://crm.vendor.example/api/x', { retries: 0 })).rejects.toMatchObject({ code: 'OUTBOUND_REFUSED', message: expect.stringMatching(metadataRefusal) });
      // nothing was claimed for the refused action: a corrected config sends it
      expect(await runtime.store.db.selectFrom('plugin_state').selectAll().execute()).toEqual([]);
    } finally {
      await runtime.close();
    }
  });
});
