// The server side of webhook-load.bench.ts, in a process of its own as `revloop serve` is: a
// runtime over a SQLite file with the core webhook tests' connector (an HMAC-signed webhook, the
// shape of HubSpot's v3 and most vendors'), served on loopback. Prints "listening <port>";
// SIGTERM stops it.
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { serve } from '@hono/node-server';
import { createRuntime, createServerApp, parseConfig } from '@revloop/core';
import { pushy, SECRET } from '../../packages/core/test/webhooks-helpers.js';

export { SECRET, sign } from '../../packages/core/test/webhooks-helpers.js';

async function main(dbPath: string): Promise<void> {
  const runtime = await createRuntime(parseConfig({ store: { kind: 'sqlite', path: dbPath }, log: { level: 'error' }, connectors: { pushy: { plugin: pushy, webhookSecret: SECRET } } }, { env: {} }));
  await runtime.store.migrate();
  const server = serve({ fetch: createServerApp(runtime).fetch, port: 0, hostname: '127.0.0.1' });
  server.once('listening', () => process.stdout.write(`listening ${(server.address() as AddressInfo).port}\n`));
  process.once('SIGTERM', () => server.close(() => void runtime.close().then(() => process.exit(0))));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) void main(process.argv[2]!);
