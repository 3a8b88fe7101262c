// server.webhooks.maxBodyBytes on a real listening server (@hono/node-server on 127.0.0.1): an
// unauthenticated body over the limit is refused with 413 while it streams — the server stops
// pulling it right after the limit and its memory does not grow by the body's size — and a
// Content-Length over the limit is refused before a byte of the body is read.
import { afterEach, describe, expect, it } from 'vitest';
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { serve } from '@hono/node-server';
import { createServerApp } from '../src/index.js';
import { signed, webhookWorld, type TestWorld } from './webhooks-helpers.js';

const LIMIT = 64 * 1024;
const MB = 1024 * 1024;
let sockets: Socket[] = [];

let world: TestWorld | undefined;
let server: ReturnType<typeof serve> | undefined;
afterEach(async () => {
  if (server) await new Promise<void>((r) => server!.close(() => r()));
  (server as { closeAllConnections?: () => void } | undefined)?.closeAllConnections?.();
  server = undefined;
  await world?.close();
  world = undefined;
});

async function listen(): Promise<string> {
  world = await webhookWorld({ webhooks: { maxBodyBytes: LIMIT } });
  const app = createServerApp(world.runtime);
  const address = await new Promise<AddressInfo>((resolve) => {
    server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, resolve);
  });
  sockets = [];
  server!.on('connection', (s: Socket) => sockets.push(s));
  return `http://127.0.0.1:${address.port}`;
}

describe('webhooks: body limit', () => {
  it('stops reading an unsigned streamed body soon after the limit and answers 413; memory does not grow by the body', async () => {
    const base = await listen();
    const total = 50 * MB;
    const chunk = new Uint8Array(16 * 1024).fill(0x20);
    let pulled = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (pulled >= total) return controller.close();
        pulled += chunk.byteLength;
        controller.enqueue(chunk);
      },
    });
    global.gc?.();
    const before = process.memoryUsage().rss;
    const res = await fetch(`${base}/webhooks/pushy/events`, { method: 'POST', body, duplex: 'half', headers: { 'content-type': 'application/json' } } as RequestInit);
    const status = res.status;
    const text = await res.text();
    const grew = process.memoryUsage().rss - before;
    // longer than @hono/node-server's 500 ms drain of an unread body: nothing more gets read later
    await new Promise((r) => setTimeout(r, 600));
    const serverRead = sockets.reduce((n, s) => n + s.bytesRead, 0);
    expect(status).toBe(413);
    expect(text).toMatch(/body too large/);
    // the server read the limit plus about one chunk; the client could push a few MB more into
    // the kernel's socket buffers before the connection closed, never the 50 MB
    expect(serverRead).toBeLessThan(LIMIT + 256 * 1024);
    expect(pulled).toBeLessThan(10 * MB);
    expect(grew).toBeLessThan(25 * MB);
    expect(world!.log.text()).toMatch(/body over server\.webhooks\.maxBodyBytes/);
    expect(await world!.runtime.store.db.selectFrom('signals').selectAll().execute()).toHaveLength(0);
  });

  it('answers 413 to a Content-Length over the limit at once, before any of the body is sent', async () => {
    const base = await listen();
    const { port } = new URL(base);
    const answer = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      setTimeout(() => reject(new Error('no answer within 5 s: the server waits for the body')), 5000).unref();
      // headers only; the body would follow after the answer (it never does)
      const req = http.request({ host: '127.0.0.1', port, method: 'POST', path: '/webhooks/pushy/events', headers: { 'content-length': String(600 * MB), 'content-type': 'application/json' } }, (res) => {
        let text = '';
        res.on('data', (d) => (text += d));
        res.on('end', () => resolve({ status: res.statusCode!, body: text }));
      });
      req.on('error', reject);
      req.flushHeaders();
    });
    expect(answer.status).toBe(413);
    expect(JSON.parse(answer.body)).toEqual({ error: `body too large (at most ${LIMIT} bytes)` });
    expect(world!.log.text()).toMatch(/"seen":"declared"/);
  });

  it('accepts a signed body under the limit through the real server', async () => {
    const base = await listen();
    const body = JSON.stringify([{ id: 'e1', type: 'form_fill', contact: 'c1', at: 1 }]);
    const res = await fetch(`${base}/webhooks/pushy/events`, { method: 'POST', body, headers: signed(body) });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ accepted: 1 });
  });
});
