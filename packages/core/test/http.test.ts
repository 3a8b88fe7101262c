import { describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pino } from 'pino';
import { createHttpClient, HttpError, retryAfterMs } from '../src/index.js';

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
});
