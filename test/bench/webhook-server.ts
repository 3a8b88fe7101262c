// The server side of webhook-load.bench.ts, in a process of its own as `revloop serve` is: a
// runtime over a SQLite file with the core webhook tests' connector (an HMAC-signed webhook, the
// shape of HubSpot's v3 and most vendors'), served on loopback. Prints "listening <port>";
// SIGTERM stops it and prints "stats <json>" first: the event loop's delay (how long a ready
// callback waited: synchronous work and GC stall every request) and the GC pauses, measured since
// the last SIGUSR2 (the bench sends one when the webhook phase starts) — what explains a tail
// that the handler's own work does not.
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { monitorEventLoopDelay, performance, PerformanceObserver } from 'node:perf_hooks';
import { statSync } from 'node:fs';
import { serve } from '@hono/node-server';
import { createRuntime, createServerApp, parseConfig } from '@revloop/core';
import { openSqliteStore } from '@revloop/store';
import { pushy, SECRET } from '../../packages/core/test/webhooks-helpers.js';

export { SECRET, sign } from '../../packages/core/test/webhooks-helpers.js';

export interface ServerStats {
  loop_delay_ms: { p50: number; p99: number; max: number };
  gc: { pauses: number; total_ms: number; max_ms: number };
}

function watchServer(): { reset(): void; stop(): ServerStats } {
  const loop = monitorEventLoopDelay({ resolution: 5 });
  loop.enable();
  let gc = { pauses: 0, total_ms: 0, max_ms: 0 };
  const observer = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      gc.pauses++;
      gc.total_ms += e.duration;
      gc.max_ms = Math.max(gc.max_ms, e.duration);
    }
  });
  observer.observe({ entryTypes: ['gc'] });
  const ms = (ns: number) => Math.round(ns / 1e4) / 100;
  return {
    reset() {
      loop.reset();
      gc = { pauses: 0, total_ms: 0, max_ms: 0 };
    },
    stop() {
      loop.disable();
      observer.disconnect();
      return { loop_delay_ms: { p50: ms(loop.percentile(50)), p99: ms(loop.percentile(99)), max: ms(loop.max) }, gc: { ...gc, total_ms: Math.round(gc.total_ms), max_ms: Math.round(gc.max_ms * 10) / 10 } };
    },
  };
}

/**
 * BENCH_WEBHOOK_TRACE=1: each webhook commit over 15 ms on stderr, with whether the database file
 * was written meanwhile (in WAL mode only a checkpoint writes it: this commit's autocheckpoint, or
 * the checkpoint worker's) and the WAL file's size before it
 */
function traceCommits(store: { claimAndApply: (...a: never[]) => unknown }, dbPath: string): void {
  const inner = store.claimAndApply.bind(store) as (...a: unknown[]) => Promise<unknown>;
  (store as { claimAndApply: unknown }).claimAndApply = async (...a: unknown[]) => {
    const before = statSync(dbPath).mtimeMs;
    const wal0 = statSync(`${dbPath}-wal`, { throwIfNoEntry: false })?.size ?? 0;
    const t0 = performance.now();
    const r = await inner(...a);
    const ms = performance.now() - t0;
    const checkpointed = statSync(dbPath).mtimeMs !== before;
    if (ms > 15) process.stderr.write(`commit ${ms.toFixed(1)} ms checkpoint=${checkpointed} wal=${Math.round(wal0 / 1048576)}MB\n`);
    return r;
  };
}

async function main(dbPath: string): Promise<void> {
  // BENCH_WEBHOOK_CHECKPOINTS=main: the WAL checkpoints on the event loop only (the store before
  // its checkpoint worker), for a comparison in the same session
  const store = openSqliteStore({ path: dbPath, backgroundCheckpoints: process.env.BENCH_WEBHOOK_CHECKPOINTS !== 'main' });
  const runtime = await createRuntime(parseConfig({ store: { kind: 'sqlite', path: dbPath }, log: { level: 'error' }, connectors: { pushy: { plugin: pushy, webhookSecret: SECRET } } }, { env: {} }), { store });
  await runtime.store.migrate();
  if (process.env.BENCH_WEBHOOK_TRACE) traceCommits(runtime.store, dbPath);
  const stats = watchServer();
  process.on('SIGUSR2', () => stats.reset());
  const server = serve({ fetch: createServerApp(runtime).fetch, port: 0, hostname: '127.0.0.1' });
  server.once('listening', () => process.stdout.write(`listening ${(server.address() as AddressInfo).port}\n`));
  process.once('SIGTERM', () => {
    process.stdout.write(`stats ${JSON.stringify(stats.stop())}\n`);
    server.close(() => void runtime.close().then(() => store.close()).then(() => process.exit(0)));
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) void main(process.argv[2]!);
