// Shared by the webhooks-*.test.ts files: a runtime over a temp SQLite file with one connector,
// "pushy", whose webhook signs hex(HMAC-SHA256(secret, timestamp + "." + body)) with a 5-minute
// window and names its signature as the replay key; plus a log sink to read what was logged.
import { mkdtempSync, rmSync } from 'node:fs';
import { createHmac } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { z } from 'zod';
import { createRuntime, defineConnector, parseConfig, SimulatedClock, type RevloopConfigInput, type Runtime } from '../src/index.js';

export const SECRET = 'whsec-test-secret';
export const WINDOW_MS = 300_000;
export const T0 = Date.UTC(2025, 0, 6, 9);

// built once (zod compiles a schema on first use: a schema built per request costs more than the
// rest of the request — the load bench's server uses this connector)
const eventsSchema = z.array(z.object({ id: z.string(), type: z.string(), contact: z.string(), at: z.number(), note: z.string().optional() }));

export const pushy = defineConnector({
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
        const ts = req.headers['x-timestamp'];
        if (!ts || Math.abs(ctx.clock.now() - Number(ts)) > WINDOW_MS) return false;
        return req.headers['x-signature'] === sign(req.body, Number(ts));
      },
      replayKey(_ctx, req) {
        return { key: req.headers['x-signature']!, expiresAt: Number(req.headers['x-timestamp']) + WINDOW_MS + 1 };
      },
      toSignals(_ctx, payload) {
        const events = eventsSchema.parse(payload);
        return events.map((e) => ({ systemId: e.id, fields: { type: e.type, occurred_at: e.at }, links: { contact: e.contact }, attributes: e.note ? { note: e.note } : undefined, raw: e }));
      },
    },
  ],
});

export function sign(body: string, ts: number): string {
  return createHmac('sha256', SECRET).update(`${ts}.${body}`).digest('hex');
}

export function signed(body: string, ts = T0): Record<string, string> {
  return { 'x-signature': sign(body, ts), 'x-timestamp': String(ts), 'content-type': 'application/json' };
}

export class LogSink extends Writable {
  lines: string[] = [];
  override _write(chunk: Buffer, _enc: string, cb: () => void) {
    this.lines.push(...chunk.toString().split('\n').filter(Boolean));
    cb();
  }
  text(): string {
    return this.lines.join('\n');
  }
}

export interface TestWorld {
  runtime: Runtime;
  clock: SimulatedClock;
  log: LogSink;
  dbPath: string;
  close(): Promise<void>;
}

/** a runtime with pushy; `server` overrides the config's server section */
export async function webhookWorld(server: RevloopConfigInput['server'] = {}, dir = mkdtempSync(join(tmpdir(), 'revloop-webhooks-'))): Promise<TestWorld> {
  const dbPath = join(dir, 'r.db');
  const loaded = parseConfig({ store: { kind: 'sqlite', path: dbPath }, log: { level: 'info' }, server, connectors: { pushy: { plugin: pushy, webhookSecret: SECRET } } }, { env: {} });
  const clock = new SimulatedClock(T0);
  const log = new LogSink();
  const runtime = await createRuntime(loaded, { clock, logDestination: log });
  await runtime.store.migrate();
  return {
    runtime,
    clock,
    log,
    dbPath,
    async close() {
      await runtime.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
