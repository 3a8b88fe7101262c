// The server side of webhook-load.bench.ts, in a process of its own as `revloop serve` is: a
// runtime over a SQLite file with one connector whose webhook is HMAC-signed (the shape of
// HubSpot's v3 and most vendors'), served on loopback. Prints "listening <port>"; SIGTERM stops it.
import { createHmac } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { serve } from '@hono/node-server';
import { z } from 'zod';
import { createRuntime, createServerApp, defineConnector, parseConfig } from '@revloop/core';

export const SECRET = 'whsec-load-benchmark';
const WINDOW_MS = 300_000;
const sign = (body: string, ts: number) => createHmac('sha256', SECRET).update(`${ts}.${body}`).digest('hex');

const pushy = defineConnector({
  name: 'pushy',
  version: '1.0.0',
  config: z.object({ webhookSecret: z.string() }).strict(),
  async check() {
    return { ok: true, message: 'ok' };
  },
  streams: [],
  webhooks: [
    {
      name: 'events',
      verify(ctx, req) {
        const ts = Number(req.headers['x-timestamp']);
        if (!ts || Math.abs(ctx.clock.now() - ts) > WINDOW_MS) return false;
        return req.headers['x-signature'] === sign(req.body, ts);
      },
      replayKey(_ctx, req) {
        return { key: req.headers['x-signature']!, expiresAt: Number(req.headers['x-timestamp']) + WINDOW_MS + 1 };
      },
      toSignals(_ctx, payload) {
        const events = z.array(z.object({ id: z.string(), type: z.string(), contact: z.string(), at: z.number() })).parse(payload);
        return events.map((e) => ({ systemId: e.id, fields: { type: e.type, occurred_at: e.at }, links: { contact: e.contact }, raw: e }));
      },
    },
  ],
});

async function main(dbPath: string): Promise<void> {
  const runtime = await createRuntime(parseConfig({ store: { kind: 'sqlite', path: dbPath }, log: { level: 'error' }, connectors: { pushy: { plugin: pushy, webhookSecret: SECRET } } }, { env: {} }));
  await runtime.store.migrate();
  const server = serve({ fetch: createServerApp(runtime).fetch, port: 0, hostname: '127.0.0.1' });
  server.once('listening', () => process.stdout.write(`listening ${(server.address() as AddressInfo).port}\n`));
  process.once('SIGTERM', () => server.close(() => void runtime.close().then(() => process.exit(0))));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) void main(process.argv[2]!);
