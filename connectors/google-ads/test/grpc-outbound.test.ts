// The gRPC channel connects only to addresses the outbound policy checked (issue #25 item 3).
// Two resolvers are told apart: the policy's (dns.lookup, callback form) and grpc-js's own
// (dns.promises.lookup). Each test answers them differently, as a DNS-rebinding name would answer
// the check and then the connect: the channel must follow the checked answer, never its own.
import { execFileSync } from 'node:child_process';
import dns from 'node:dns';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import { connect, createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { checkConnectors, syncStream } from '@revloop/core';
import { campaign, startHarness, type Harness } from './helpers.js';

const NAME = 'gads.revloop.test';
const CLIENT_ID = 'outbound-client.apps.googleusercontent.com';
const CLIENT_SECRET = 'outbound-client-secret';
const REFRESH_TOKEN = '1//outbound-refresh-token';

let certDir: string;
/** a certificate for NAME only, and one for another name that is valid for 127.0.0.1 as well */
let certs: { name: { keyPem: string; certPem: string; caPath: string }; other: { keyPem: string; certPem: string; caPath: string } };

function makeCert(tag: string, subjectAltName: string) {
  const key = join(certDir, `${tag}-key.pem`);
  const cert = join(certDir, `${tag}-cert.pem`);
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '1', '-subj', `/CN=${tag}`, '-addext', `subjectAltName=${subjectAltName}`], { stdio: 'ignore' });
  return { keyPem: readFileSync(key, 'utf8'), certPem: readFileSync(cert, 'utf8'), caPath: cert };
}

beforeAll(() => {
  certDir = mkdtempSync(join(tmpdir(), 'revloop-gads-outbound-'));
  certs = { name: makeCert('name', `DNS:${NAME}`), other: makeCert('other', 'DNS:other.revloop.test,IP:127.0.0.1') };
});
afterAll(() => rmSync(certDir, { recursive: true, force: true }));

type Answer = string | Error;
/** the policy's lookups of NAME (callback dns.lookup) and grpc-js's own (dns.promises.lookup) */
function answerLookups(check: () => Answer, grpc: () => Answer) {
  const asked = { check: 0, grpc: 0 };
  const notFound = () => Object.assign(new Error(`getaddrinfo ENOTFOUND ${NAME}`), { code: 'ENOTFOUND' });
  const originalLookup = dns.lookup;
  const originalPromises = dns.promises.lookup;
  vi.spyOn(dns, 'lookup').mockImplementation(((hostname: string, options: unknown, callback?: unknown) => {
    if (hostname !== NAME) return (originalLookup as (...a: unknown[]) => void)(hostname, options, callback);
    const cb = (typeof options === 'function' ? options : callback) as (err: Error | null, a?: unknown) => void;
    asked.check++;
    const a = check();
    process.nextTick(() => (a instanceof Error ? cb(a) : cb(null, [{ address: a, family: a.includes(':') ? 6 : 4 }])));
  }) as typeof dns.lookup);
  vi.spyOn(dns.promises, 'lookup').mockImplementation((async (hostname: string, options?: unknown) => {
    if (hostname !== NAME) return originalPromises(hostname, options as never);
    asked.grpc++;
    const a = grpc();
    if (a instanceof Error) throw a;
    return [{ address: a, family: a.includes(':') ? 6 : 4 }];
  }) as typeof dns.promises.lookup);
  return { asked, notFound };
}

/** a TCP server on loopback that counts the connections it accepts */
async function countingServer(): Promise<{ server: Server; port: number; connections: () => number }> {
  let n = 0;
  const server = createServer((socket) => {
    n++;
    socket.destroy();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, port: (server.address() as { port: number }).port, connections: () => n };
}

/** an HTTP CONNECT proxy on loopback that reaches NAME at 127.0.0.1 (its own resolution) and logs each CONNECT */
async function connectProxy() {
  const connects: string[] = [];
  const server = createHttpServer();
  server.on('connect', (req, client, head) => {
    connects.push(String(req.url));
    const [host, port] = String(req.url).split(':');
    if (host !== NAME) return client.end('HTTP/1.1 403 Forbidden\r\n\r\n');
    const upstream = connect(Number(port), '127.0.0.1', () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.write(head);
      upstream.pipe(client).pipe(upstream);
    });
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  const close = () => new Promise<void>((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  });
  return { connects, url, close };
}

const proxyVars = ['grpc_proxy', 'https_proxy', 'http_proxy', 'no_proxy', 'no_grpc_proxy'] as const;
async function withGrpcProxy(run: (proxy: Awaited<ReturnType<typeof connectProxy>>) => Promise<void>) {
  const saved = Object.fromEntries(proxyVars.map((k) => [k, process.env[k]]));
  const proxy = await connectProxy();
  for (const k of proxyVars) delete process.env[k];
  process.env.grpc_proxy = proxy.url;
  try {
    await run(proxy);
  } finally {
    for (const k of proxyVars) {
      if (saved[k] === undefined) delete process.env[k];
      else process.env[k] = saved[k];
    }
    await proxy.close();
  }
}

let h: Harness | undefined;
let counting: Awaited<ReturnType<typeof countingServer>> | undefined;
afterEach(async () => {
  vi.restoreAllMocks();
  await h?.stop();
  h = undefined;
  await new Promise((resolve) => (counting ? counting.server.close(resolve) : resolve(undefined)));
  counting = undefined;
});

async function harness(cert: { keyPem: string; certPem: string } = certs.name) {
  return startHarness({
    emulator: { tls: cert, oauth: { clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, refreshToken: REFRESH_TOKEN, accessTokenTtlMs: 3_600_000 } },
    connector: { insecure: false, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, refreshToken: REFRESH_TOKEN, maxRetries: 0 },
  });
}

const portOf = (endpoint: string) => Number(endpoint.split(':').pop());

describe('the Google Ads gRPC channel and the outbound policy', () => {
  it.each([
    ['the metadata address', '169.254.169.254', /metadata address \(gads\.revloop\.test resolves to 169\.254\.169\.254\)/],
    ['a private address', '10.20.30.40', /private network address \(gads\.revloop\.test resolves to 10\.20\.30\.40\)/],
  ])('a name whose checked answer is %s is refused (OUTBOUND_REFUSED) with no connection, though its second answer is loopback', { timeout: 120_000 }, async (_what, refused, message) => {
    h = await harness();
    counting = await countingServer();
    // the rebinding name: the check hears the refused address, a resolver of its own would hear loopback
    const { asked } = answerLookups(() => refused, () => '127.0.0.1');
    const runtime = await h.newRuntime({ apiEndpoint: `${NAME}:${counting.port}`, oauthTokenUrl: h.emu.oauthTokenUrl, caCertPath: certs.name.caPath });
    const [check] = await checkConnectors(runtime, 20_000);
    expect(check!.ok).toBe(false);
    expect(check!.message).toContain('OUTBOUND_REFUSED');
    expect(check!.message).toMatch(message);
    const error = await syncStream(runtime, 'google', 'campaigns').catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'OUTBOUND_REFUSED', where: 'connectors.google', kind: 'bad_input' });
    expect(counting.connections()).toBe(0);
    expect(asked.grpc).toBe(0); // grpc-js never resolved the name itself
    expect(asked.check).toBeGreaterThan(0);
    expect(h.emu.oauth!.requests).toBe(0); // refused before the access token was fetched too
  });

  it('a name is connected at its checked address, and TLS verifies the certificate for the name', { timeout: 120_000 }, async () => {
    h = await harness(certs.name); // the certificate names NAME only (no IP): an address-verified handshake would fail
    // the check hears the emulator's loopback address; grpc-js, if it asked, would not find the name
    const { asked, notFound } = answerLookups(() => '127.0.0.1', () => notFound());
    const runtime = await h.newRuntime({ apiEndpoint: `${NAME}:${portOf(h.emu.url)}`, oauthTokenUrl: h.emu.oauthTokenUrl, caCertPath: certs.name.caPath });
    h.emu.state.apply(campaign('11', 'Brand'));
    const [check] = await checkConnectors(runtime, 20_000);
    expect(check).toMatchObject({ ok: true });
    expect((await syncStream(runtime, 'google', 'campaigns')).status).toBe('succeeded');
    expect(asked.grpc).toBe(0);
    expect(asked.check).toBe(1); // resolved when the clients were built, not per call
  });

  it('a certificate valid for the address but not for the name is refused', { timeout: 120_000 }, async () => {
    h = await harness(certs.other); // SAN other.revloop.test + IP 127.0.0.1
    answerLookups(() => '127.0.0.1', () => '127.0.0.1');
    const runtime = await h.newRuntime({ apiEndpoint: `${NAME}:${portOf(h.emu.url)}`, oauthTokenUrl: h.emu.oauthTokenUrl, caCertPath: certs.other.caPath });
    const [check] = await checkConnectors(runtime, 20_000);
    expect(check!.ok).toBe(false);
    expect(check!.message).toContain('GOOGLE_ADS_TLS_UNTRUSTED');
    expect(check!.message).toMatch(/Hostname\/IP does not match/);
  });

  it('after UNAVAILABLE the name is resolved again: the vendor moved to another address', { timeout: 120_000 }, async () => {
    h = await harness(certs.name);
    // the first answer is an address where nothing listens on the emulator's port; then the emulator's
    const answers = ['127.0.0.2', '127.0.0.1'];
    const { asked } = answerLookups(() => answers[Math.min(asked.check - 1, answers.length - 1)]!, () => '127.0.0.1');
    const runtime = await h.newRuntime({ apiEndpoint: `${NAME}:${portOf(h.emu.url)}`, oauthTokenUrl: h.emu.oauthTokenUrl, caCertPath: certs.name.caPath, maxRetries: 2 });
    h.emu.state.apply(campaign('11', 'Brand'));
    expect((await syncStream(runtime, 'google', 'campaigns')).status).toBe('succeeded');
    expect(asked.check).toBe(2);
    expect(asked.grpc).toBe(0);
  });

  it('behind a gRPC CONNECT proxy the name is judged here and sent to the proxy as it is', { timeout: 120_000 }, async () => {
    h = await harness(certs.name);
    const { asked, notFound } = answerLookups(() => '127.0.0.1', () => notFound());
    h.emu.state.apply(campaign('11', 'Brand'));
    await withGrpcProxy(async (proxy) => {
      const runtime = await h!.newRuntime({ apiEndpoint: `${NAME}:${portOf(h!.emu.url)}`, oauthTokenUrl: h!.emu.oauthTokenUrl, caCertPath: certs.name.caPath });
      expect((await syncStream(runtime, 'google', 'campaigns')).status).toBe('succeeded');
      expect(proxy.connects).toEqual([`${NAME}:${portOf(h!.emu.url)}`]); // the name, for the proxy to resolve
      expect(asked).toEqual({ check: 1, grpc: 0 });
      await h!.stop(); // closes the channel before the proxy goes
      h = undefined;
    });
  });

  it('behind a gRPC CONNECT proxy a refused name is refused before the proxy is asked', { timeout: 120_000 }, async () => {
    h = await harness(certs.name);
    answerLookups(() => '169.254.169.254', () => '127.0.0.1');
    await withGrpcProxy(async (proxy) => {
      const runtime = await h!.newRuntime({ apiEndpoint: `${NAME}:${portOf(h!.emu.url)}`, oauthTokenUrl: h!.emu.oauthTokenUrl, caCertPath: certs.name.caPath });
      const error = await syncStream(runtime, 'google', 'campaigns').catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'OUTBOUND_REFUSED' });
      expect(proxy.connects).toEqual([]);
    });
  });
});
