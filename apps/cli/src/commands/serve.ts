// `revloop serve`: the long-running process. Migrations, cron schedules from the config, and
// the HTTP surface (/healthz, webhooks). A `run` schedule runs core's loop cycle on the wall clock
// (sync → record outcomes and learn → decide → execute), the same job graph `revloop run` drives
// on a simulated clock; every job waits for the others' runs in progress, so a decision run never
// reads a half-synced store. SIGTERM/SIGINT: stop accepting, abort running syncs
// (they stop after the current batch, checkpoint saved), wait for the scheduler, close the store.
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { createScheduler, createServerApp, runLoopCycle, syncAll, errorMessage, RevloopError, type Job, type Runtime } from '@revloop/core';
import { loadCliConfig, openRuntime, type GlobalOptions } from '../context.js';
import { err, out } from '../output.js';

export interface ServeOptions extends GlobalOptions {
  port?: string;
  host?: string;
}

export function parsePort(value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!/^\d+$/.test(value) || n > 65535) throw new RevloopError('BAD_ARGUMENT', `--port must be a whole number from 0 to 65535, not "${value}"`, { where: '--port', fix: 'pass --port 8787 (0 picks a free port)', kind: 'bad_input' });
  return n;
}

export function scheduledJobs(runtime: Runtime): Job[] {
  const schedules = runtime.loaded.config.schedules;
  const names = schedules.map((s) => s.name);
  return schedules.map((s, i) => {
    const where = `schedules.${i}`;
    // one job at a time on the store: a job starts after the runs of the others in progress
    const after = names.filter((n) => n !== s.name);
    if (s.job === 'sync') {
      if (s.connector) runtime.connector(s.connector); // unknown connector: bad input now, not at 3 a.m.
      if (s.stream && !s.connector) throw new RevloopError('CONFIG_INVALID', `schedule "${s.name}" names a stream without its connector`, { where: `${where}.stream`, fix: 'add connector: <name> to the schedule', kind: 'bad_input' });
      return {
        name: s.name,
        cron: s.cron,
        after,
        async run(signal: AbortSignal) {
          const { runs, failures } = await syncAll(runtime, { connector: s.connector, stream: s.stream }, { signal });
          runtime.log.info({ job: s.name, streams: runs.map((r) => `${r.connector}/${r.stream}: ${r.status} ${r.read} read`) }, 'scheduled sync finished');
          if (failures.length) throw new Error(failures.map((f) => `${f.connector}/${f.stream}: ${f.error.message}`).join('; '));
        },
      };
    }
    for (const [k, w] of (s.workflows ?? []).entries()) {
      if (!runtime.loaded.config.workflows[w]) throw new RevloopError('CONFIG_INVALID', `schedule "${s.name}" names no workflow "${w}"`, { where: `${where}.workflows.${k}`, fix: `use one of: ${Object.keys(runtime.loaded.config.workflows).join(', ') || '(none: add one under workflows)'}`, kind: 'bad_input' });
    }
    return {
      name: s.name,
      cron: s.cron,
      after,
      async run(signal: AbortSignal) {
        const cycle = await runLoopCycle(runtime, { workflows: s.workflows, ingest: s.sync === false ? false : undefined, signal });
        const written = Object.values(cycle.ingest.written).reduce((a, b) => a + b, 0);
        for (const [name, learned] of Object.entries(cycle.learned)) {
          runtime.log.info({ job: s.name, workflow: name, newOutcomes: learned.newOutcomes, attributed: learned.attributed, examples: learned.examples, modelUpdates: learned.updates.map((u) => `${u.model}/${u.task}@${u.version}`) }, 'learned from outcomes');
        }
        for (const [name, summary] of Object.entries(cycle.runs)) {
          runtime.log.info({ job: s.name, workflow: name, synced: written, accounts: summary.accounts, executed: summary.executed, pendingApproval: summary.pendingApproval, deferred: summary.deferred, interrupted: summary.interrupted, retried: summary.retried, heldElsewhere: summary.heldElsewhere, failed: summary.failed }, 'scheduled workflow run finished');
        }
        if (cycle.ingest.failures.length) throw new Error(`sync failed: ${cycle.ingest.failures.map((f) => `${f.stream}: ${f.error}`).join('; ')}`);
      },
    };
  });
}

export async function serveCommand(opts: ServeOptions): Promise<number> {
  const loaded = await loadCliConfig(opts, true);
  const port = parsePort(opts.port, loaded.config.server.port);
  const host = opts.host ?? loaded.config.server.host;
  const controller = new AbortController();
  const runtime = await openRuntime(loaded, controller.signal, { owner: 'serve' });
  let scheduler: ReturnType<typeof createScheduler> | undefined;
  let server: ReturnType<typeof serve> | undefined;
  const stopped = new Promise<NodeJS.Signals>((resolve) => {
    process.once('SIGINT', () => resolve('SIGINT'));
    process.once('SIGTERM', () => resolve('SIGTERM'));
  });
  try {
    const { applied } = await runtime.store.migrate();
    // what a person at the terminal reads is a line of text; the log (JSON) has it at debug
    if (applied.length) {
      runtime.log.debug({ applied }, 'migrations applied');
      err(`store: ${applied.length} migration${applied.length === 1 ? '' : 's'} applied`);
    }
    const jobs = scheduledJobs(runtime);
    try {
      scheduler = createScheduler(jobs, { log: runtime.log, now: () => runtime.clock.now() });
    } catch (e) {
      throw new RevloopError('CONFIG_INVALID', errorMessage(e), { where: 'schedules', fix: 'use a cron expression with 5 or 6 fields, e.g. "*/15 * * * *"', kind: 'bad_input' });
    }
    const app = createServerApp(runtime);
    const address = await new Promise<AddressInfo>((resolve, reject) => {
      server = serve({ fetch: app.fetch, port, hostname: host }, resolve);
      server.once('error', (e: NodeJS.ErrnoException) => reject(new RevloopError('SERVE_LISTEN_FAILED', `cannot listen on ${host}:${port}: ${e.message}`, { where: '--port / server.port', fix: e.code === 'EADDRINUSE' ? 'another process uses this port: pick another with --port' : 'check --host and --port', kind: 'bad_input' })));
    });
    scheduler.start();
    const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
    out(`revloop serving on http://${shownHost}:${address.port}`);
    err(`${jobs.length} schedule${jobs.length === 1 ? '' : 's'}: ${jobs.map((j) => `${j.name} (${j.cron})`).join(', ') || 'none'}; SIGTERM or Ctrl-C stops`);
    const signal = await stopped;
    runtime.log.debug({ signal }, 'stopping');
    err(`${signal}: stopping (running syncs stop after their current batch)`);
    return 0;
  } finally {
    const closing = server ? new Promise<void>((resolve) => server!.close(() => resolve())) : Promise.resolve();
    (server as { closeIdleConnections?: () => void } | undefined)?.closeIdleConnections?.();
    controller.abort(new Error('revloop serve is stopping'));
    await scheduler?.stop();
    await closing;
    await runtime.close();
  }
}
