import { describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pino } from 'pino';
import { createHttpClient, HttpError, retryAfterMs } from '../src/index.js';
import { isIdempotentRequest } from '../src/context/http.js';

async function serve(handler: (n: number, res: import('node:http').ServerResponse) => void): Promise<{ url: string; server: Server; calls: () => number }> {
  let n = 0;
  const server = createServer((_req, res) => handler(++n, res));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, server, calls: () => n };
}

describe('http helper', () => {
  it('reads Retry-After in seconds, as a date, and retry-after-ms', () => {
    expect(retryAfterMs(new Headers({ 'retry-after': '2' }), 0)).toBe(2000);
    expect(retryAfterMs(new Headers({ 'retry-after-ms': '150' }), 0)).toBe(150);
    expect(retryAfterMs(new Headers({ 'retry-after': new Date(10_000).toUTCString() }), 4_000)).toBe(6000);
    expect(retryAfterMs(new Headers({}), 0)).toBeUndefined();
  });

  it('retries 429 honouring Retry-After, then succeeds', async () => {
    const s = await serve((n, res) => {
      if (n < 3) res.writeHead(429, { 'retry-after': '1' }).end('slow down');
      else res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
    });
    const waits: number[] = [];
    const http = createHttpClient({ log: pino({ level: 'silent' }), now: () => 0, sleep: async (ms) => void waits.push(ms) });
    expect(await http.json(s.url, { minTimeoutMs: 1 })).toEqual({ ok: true });
    expect(s.calls()).toBe(3);
    expect(waits).toEqual([1000, 1000]);
    s.server.close();
  });

  it('does not retry a 400, and gives up after the retry budget on 5xx', async () => {
    const s = await serve((n, res) => res.writeHead(n === 1 ? 400 : 503).end('nope'));
    const http = createHttpClient({ log: pino({ level: 'silent' }), now: () => 0 });
    await expect(http.request(s.url)).rejects.toBeInstanceOf(HttpError);
    expect(s.calls()).toBe(1);
    await expect(http.request(s.url, { retries: 2, minTimeoutMs: 1, maxTimeoutMs: 2 })).rejects.toMatchObject({ status: 503 });
    expect(s.calls()).toBe(4);
    s.server.close();
  });

  // issue #27: a 5xx or a dropped connection after a POST may mean the vendor applied it; sending it
  // again inside the call would write twice before the action could look (reconcile)
  describe('retries only what cannot write twice', () => {
    const quiet = () => createHttpClient({ log: pino({ level: 'silent' }), now: () => 0, sleep: async () => {} });
    const fast = { retries: 3, minTimeoutMs: 1, maxTimeoutMs: 2 };

    it('a POST answered 5xx is sent once; GET, PUT and DELETE are retried', async () => {
      const s = await serve((_n, res) => res.writeHead(502).end('bad gateway'));
      const http = quiet();
      await expect(http.request(s.url, { method: 'POST', body: '{}', ...fast })).rejects.toMatchObject({ status: 502 });
      expect(s.calls()).toBe(1);
      await expect(http.request(s.url, { method: 'PATCH', body: '{}', ...fast })).rejects.toMatchObject({ status: 502 });
      expect(s.calls()).toBe(2);
      for (const method of ['GET', 'PUT', 'DELETE']) {
        const before = s.calls();
        await expect(http.request(s.url, { method, ...fast })).rejects.toMatchObject({ status: 502 });
        expect(s.calls() - before, method).toBe(4);
      }
      s.server.close();
    });

    it('a POST marked idempotent, or carrying an Idempotency-Key header, is retried after a 5xx', async () => {
      const s = await serve((n, res) => (n % 2 ? res.writeHead(503).end('busy') : res.writeHead(200).end('{}')));
      const http = quiet();
      await http.request(s.url, { method: 'POST', body: '{}', idempotent: true, ...fast });
      expect(s.calls()).toBe(2);
      await http.request(s.url, { method: 'POST', body: '{}', headers: { 'Idempotency-Key': 'k1' }, ...fast });
      expect(s.calls()).toBe(4);
      // and a GET marked not idempotent (it triggers something) is not
      await expect(http.request(s.url, { idempotent: false, ...fast })).rejects.toMatchObject({ status: 503 });
      expect(s.calls()).toBe(5);
      s.server.close();
    });

    it('a POST answered 429 is retried: the vendor did not apply it', async () => {
      const s = await serve((n, res) => (n < 3 ? res.writeHead(429, { 'retry-after-ms': '1' }).end('slow down') : res.writeHead(201).end('{"id":1}')));
      expect(await quiet().json(s.url, { method: 'POST', body: '{}', ...fast })).toEqual({ id: 1 });
      expect(s.calls()).toBe(3);
      s.server.close();
    });

    it('a POST whose connection drops after the request arrived is not sent again; a GET is', async () => {
      // the server reads the request and closes the socket without an answer: the write may have landed
      const s = await serve((_n, res) => res.socket?.destroy());
      const http = quiet();
      await expect(http.request(s.url, { method: 'POST', body: '{}', ...fast })).rejects.toThrow();
      expect(s.calls()).toBe(1);
      await expect(http.request(s.url, fast)).rejects.toThrow();
      expect(s.calls()).toBe(5);
      s.server.close();
    });

    it('a POST to a port nobody listens on is retried: nothing was sent', async () => {
      const s = await serve(() => {});
      const url = s.url;
      await new Promise((r) => s.server.close(r));
      let attempts = 0;
      const http = createHttpClient({ log: pino({ level: 'silent' }), now: () => 0, fetch: (async (u: string, i?: RequestInit) => (attempts++, fetch(u, i))) as typeof fetch, outbound: false });
      await expect(http.request(url, { method: 'POST', body: '{}', ...fast })).rejects.toThrow();
      expect(attempts).toBe(4);
    });

    it('isIdempotentRequest: by method, by header, by the caller', () => {
      expect(isIdempotentRequest({})).toBe(true);
      expect(isIdempotentRequest({ method: 'head' })).toBe(true);
      expect(isIdempotentRequest({ method: 'POST' })).toBe(false);
      expect(isIdempotentRequest({ method: 'POST', headers: [['x-idempotency-key', 'a']] })).toBe(true);
      expect(isIdempotentRequest({ method: 'POST', idempotent: true })).toBe(true);
      expect(isIdempotentRequest({ method: 'PUT', idempotent: false })).toBe(false);
    });
  });
});
