// Load benchmark (#25 item 10): `revloop serve`'s HTTP server (createServerApp on
// @hono/node-server, loopback, in a child process of its own like a real `serve`) takes signed
// webhook events at a fixed rate from a load generator in this process. Reported: acknowledgement
// latency p50/p99 of the webhook beside GET /healthz at the same rate in the same run (the
// server's own floor, the baseline), events lost (acknowledged vs stored), and the server's RSS at
// the start, the middle and the end of the load (flat memory).
//   BENCH_WEBHOOK_RATE      requests per second (default 500; one event per request)
//   BENCH_WEBHOOK_SECONDS   how long (default 60; BENCH_SMOKE=1: 5)
//   BENCH_WEBHOOK_CHECKPOINTS=main  the store's WAL checkpoints on the event loop only (no checkpoint
//                           worker: the store before it), to compare in the same session
//   BENCH_WEBHOOK_TRACE=1   the server logs each webhook commit over 15 ms (webhook-server.ts)
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request, Agent } from 'node:http';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { openSqliteStore } from '@revloop/store';
import { sign, type ServerStats } from './webhook-server.js';
import { figure, type BenchFigure } from './figure.js';

const RATE = Number(process.env.BENCH_WEBHOOK_RATE ?? 500);
const SECONDS = Number(process.env.BENCH_WEBHOOK_SECONDS ?? (process.env.BENCH_SMOKE ? 5 : 60));
const here = dirname(fileURLToPath(import.meta.url));


/** the server process's resident set (Linux /proc), bytes */
function rssOf(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) * 1024 : NaN;
}

interface Server {
  child: ChildProcess;
  port: number;
  /** SIGTERM, then the server's own stats (event-loop delay, GC pauses since SIGUSR2) */
  stop(): Promise<ServerStats | undefined>;
}

/** BENCH_WEBHOOK_SERVER_ARGS: extra node flags for the server process (e.g. --cpu-prof) */
async function startServer(dbPath: string): Promise<Server> {
  const extra = process.env.BENCH_WEBHOOK_SERVER_ARGS?.split(/\s+/).filter(Boolean) ?? [];
  const child = spawn(process.execPath, [...process.execArgv, ...extra, join(here, 'webhook-server.ts'), dbPath], { stdio: ['ignore', 'pipe', 'inherit'], env: process.env });
  let out = '';
  const port = await new Promise<number>((resolve, reject) => {
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /listening (\d+)/.exec(out);
      if (m) resolve(Number(m[1]));
    });
    child.once('exit', (code) => reject(new Error(`the server exited with ${code} before listening`)));
  });
  const stop = async () => {
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await exited;
    const m = /stats (.+)/.exec(out);
    return m ? (JSON.parse(m[1]!) as ServerStats) : undefined;
  };
  return { child, port, stop };
}

function quantile(sorted: number[], q: number): number {
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]! : NaN;
}

interface Phase {
  latencies: number[];
  acknowledged: number;
  failed: number;
  rss: number[];
}

/** `RATE` requests a second for `SECONDS`, each timed from send to the end of the answer */
async function drive(port: number, pid: number, agent: Agent, make: (i: number) => { method: string; path: string; body?: string; headers?: Record<string, string> }): Promise<Phase> {
  const phase: Phase = { latencies: [], acknowledged: 0, failed: 0, rss: [rssOf(pid)] };
  const total = RATE * SECONDS;
  const start = performance.now();
  const inflight: Promise<void>[] = [];
  for (let i = 0; i < total; i++) {
    const due = start + (i * 1000) / RATE;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    if (i % RATE === 0) phase.rss.push(rssOf(pid));
    const req = make(i);
    inflight.push(
      new Promise<void>((resolve) => {
        const t0 = performance.now();
        const r = request({ host: '127.0.0.1', port, method: req.method, path: req.path, agent, headers: req.headers }, (res) => {
          res.resume();
          res.on('end', () => {
            phase.latencies.push(performance.now() - t0);
            if (res.statusCode && res.statusCode < 300) phase.acknowledged++;
            else phase.failed++;
            resolve();
          });
        });
        r.on('error', () => {
          phase.failed++;
          resolve();
        });
        r.end(req.body);
      }),
    );
    if (inflight.length > 5000) await Promise.all(inflight.splice(0, 2500));
  }
  await Promise.all(inflight);
  phase.rss.push(rssOf(pid));
  phase.latencies.sort((a, b) => a - b);
  return phase;
}

export default async function (): Promise<BenchFigure[]> {
  const dir = mkdtempSync(join(tmpdir(), 'revloop-bench-webhooks-'));
  const dbPath = join(dir, 'r.db');
  const { child, port, stop } = await startServer(dbPath);
  const pid = child.pid!;
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });
  try {
    process.stderr.write(`webhook load: ${RATE} requests/s for ${SECONDS} s against a serve process, GET /healthz first (the baseline), then signed webhook events\n`);
    const health = await drive(port, pid, agent, () => ({ method: 'GET', path: '/healthz' }));
    child.kill('SIGUSR2'); // the server's stats cover the webhook phase only
    const hooks = await drive(port, pid, agent, (i) => {
      const body = JSON.stringify([{ id: `e${i}`, type: i % 3 ? 'page_view' : 'form_fill', contact: `c${i % 5000}`, at: Date.now() }]);
      const ts = Date.now();
      return { method: 'POST', path: '/webhooks/pushy/events', body, headers: { 'content-type': 'application/json', 'x-timestamp': String(ts), 'x-signature': sign(body, ts) } };
    });
    agent.destroy();
    const server = await stop();
    const store = openSqliteStore({ path: dbPath });
    const stored = Number((await store.db.selectFrom('signals').select((eb) => eb.fn.countAll().as('n')).executeTakeFirst())?.n ?? 0);
    await store.close();
    const sent = RATE * SECONDS;
    const mb = (b: number) => Math.round(b / 1048576);
    const rssMid = hooks.rss[Math.floor(hooks.rss.length / 2)]!;
    const at = (q: number) => Math.round(quantile(hooks.latencies, q) * 10) / 10;
    const latency_ms = { p50: at(0.5), p95: at(0.95), p99: at(0.99), max: at(1) };
    const healthz_ms = { p50: Math.round(quantile(health.latencies, 0.5) * 10) / 10, p99: Math.round(quantile(health.latencies, 0.99) * 10) / 10 };
    const common = { rate_per_s: RATE, seconds: SECONDS, checkpoints: process.env.BENCH_WEBHOOK_CHECKPOINTS === 'main' ? 'main' : 'worker', load_average: loadavg().map((l) => Math.round(l * 10) / 10), sent, acknowledged: hooks.acknowledged, failed: hooks.failed, stored, lost: hooks.acknowledged - stored, server_rss_mb: { start: mb(hooks.rss[0]!), middle: mb(rssMid), end: mb(hooks.rss[hooks.rss.length - 1]!) }, latency_ms, healthz_ms, server };
    process.stderr.write(`webhook load: ${JSON.stringify(latency_ms)} ms (healthz ${JSON.stringify(healthz_ms)} ms), ${hooks.acknowledged}/${sent} acknowledged, ${stored} stored, server RSS ${JSON.stringify(common.server_rss_mb)} MB, server ${JSON.stringify(server)}\n`);
    return [
      figure('webhook_ack_p99_ms', quantile(hooks.latencies, 0.99), `ms from send to answer, 99th percentile, one signed event per request at ${RATE}/s`, quantile(health.latencies, 0.99), { ...common, baseline_name: 'GET /healthz at the same rate, same run', target_ms: 20, p50_ms: quantile(hooks.latencies, 0.5), healthz_p50_ms: quantile(health.latencies, 0.5) }),
      figure('webhook_events_lost', hooks.acknowledged - stored, 'events acknowledged (2xx) but not stored', 0, { ...common, baseline_name: 'none lost', target: 0 }),
      figure('webhook_server_rss_growth_mb', mb(hooks.rss[hooks.rss.length - 1]! - rssMid), 'MB of server RSS added over the second half of the load', mb(rssMid - hooks.rss[0]!), { ...common, baseline_name: 'MB added over the first half' }),
    ];
  } finally {
    agent.destroy();
    if (child.exitCode === null) child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
}
