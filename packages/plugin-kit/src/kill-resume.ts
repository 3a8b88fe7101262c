// Proof that a sync killed with SIGKILL mid-stream (no chance to clean up) and run again ends
// with exactly the same unified rows as an uninterrupted sync. The child process kills itself at
// a chosen batch (deterministic: not a race between a timer and a fast connector).
import { spawn } from 'node:child_process';
import { expect } from 'vitest';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { syncStream, type Clock, type ConnectorDefinition } from '@revloop/core';
import { kitRuntime } from './runtime.js';
import { unifiedSnapshot, type UnifiedSnapshot } from './snapshot.js';
import type { KillResumeJob } from './child-sync-run.js';
import { bundleEntry, importable, withoutTsLoader } from './child-bundle.js';
import type { ConformanceOptions, ChildImport } from './harness.js';
import { streamsOf, withWorld } from './world.js';

export interface KillResumeOptions extends ChildImport {
  connector: ConnectorDefinition;
  name: string;
  config: Record<string, unknown>;
  /** the streams synced side by side in the child (killed together), then resumed one by one */
  streams: string[];
  dir: string;
  /** a stream's kill point: the batch the connector hands over after this many of its records were stored (default 1: the second batch) */
  killAfterRecords?: number;
  /** the runtimes' clock (default: a simulated clock at 2024-01-01, as kitRuntime's) */
  clock?: Clock;
}

export interface KillResumeResult {
  /** records stored per stream when the child was killed */
  recordsAtKill: Record<string, number>;
  /** the streams killed mid-stream (the others ended before their kill point) */
  killed: string[];
  /** true when the child ended without being killed (every stream ended before its kill point) */
  finishedBeforeKill: boolean;
  resumed: UnifiedSnapshot;
  uninterrupted: UnifiedSnapshot;
}

const here = dirname(fileURLToPath(import.meta.url));

function childScript(): string {
  const built = join(here, 'child-sync.js');
  return existsSync(built) ? built : join(here, 'child-sync.ts');
}

const isTypeScript = (file: string) => /\.[mc]?tsx?$/.test(file);

/**
 * Node flags for the child: a TypeScript loader (tsx, resolved from the working directory) and
 * the workspace's source condition when the child script or the connector module is TypeScript,
 * as in this repository's tests; none when both are built JavaScript.
 */
export function defaultChildExecArgv(module: string): string[] {
  return isTypeScript(childScript()) || isTypeScript(module) ? ['--conditions=revloop-source', '--import', 'tsx'] : [];
}

const moduleText = (m: string | URL) => (m instanceof URL ? m.href : m);

/**
 * The child's script and flags: from source, one bundle of the guard, child-sync-run.ts and the
 * connector's module (child-bundle.ts: no TypeScript loader needed); built, or without esbuild,
 * child-sync with the flags as given.
 */
async function syncChild(module: string, execArgv: string[]): Promise<{ script: string; execArgv: string[] }> {
  const script = childScript();
  if (!isTypeScript(script)) return { script, execArgv };
  const entry = [
    // the guard first: it is in place before the connector's module is evaluated
    `import ${JSON.stringify(join(here, 'child-sync-guard.ts'))};`,
    `import * as mod from ${JSON.stringify(importable(module))};`,
    `import { runSyncJob } from ${JSON.stringify(join(here, 'child-sync-run.ts'))};`,
    'await runSyncJob(JSON.parse(process.argv[2] ?? "{}"), mod);',
  ].join('\n');
  const bundled = await bundleEntry(entry, here);
  return bundled ? { script: bundled, execArgv: withoutTsLoader(execArgv) } : { script, execArgv };
}

export async function killMidSyncAndResume(options: KillResumeOptions): Promise<KillResumeResult> {
  const dbPath = join(options.dir, 'killed.db');
  const clock = options.clock;
  const now = clock?.now() ?? Date.UTC(2024, 0, 1);
  const module = moduleText(options.module);
  const killAfterRecords = options.killAfterRecords ?? 1;
  const job: KillResumeJob = { module, exportName: options.exportName ?? 'default', name: options.name, config: options.config, dbPath, streams: options.streams, killAfterRecords, now };
  const entry = await syncChild(module, options.execArgv ?? defaultChildExecArgv(module));
  const child = spawn(process.execPath, [...entry.execArgv, entry.script, JSON.stringify(job)], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) => child.on('exit', (c, s) => resolve([c, s])));
  const finished = code === 0 && output.includes('finished');
  if (!finished && signal !== 'SIGKILL') {
    throw new Error(`the sync child of ${options.name} (${options.streams.join(', ')}) exited with ${signal ?? code} before the kill point:\n${output.slice(-2000)}`);
  }

  const resumedRuntime = await kitRuntime({ connector: options.connector, name: options.name, config: options.config, dir: options.dir, file: 'killed.db', clock });
  const runs = await resumedRuntime.store.db.selectFrom('sync_runs').select(['stream', 'status', 'records_read']).execute();
  const recordsAtKill = Object.fromEntries(options.streams.map((s) => [s, Number(runs.find((r) => r.stream === s)?.records_read ?? 0)]));
  // a run still 'running' is one the kill cut off
  const killed = finished ? [] : options.streams.filter((s) => runs.some((r) => r.stream === s && r.status === 'running'));
  for (const s of options.streams) await syncStream(resumedRuntime, options.name, s);
  const resumed = await unifiedSnapshot(resumedRuntime.store);
  await resumedRuntime.close();

  const wholeRuntime = await kitRuntime({ connector: options.connector, name: options.name, config: options.config, dir: options.dir, file: 'whole.db', clock });
  for (const s of options.streams) await syncStream(wholeRuntime, options.name, s);
  const uninterrupted = await unifiedSnapshot(wholeRuntime.store);
  await wholeRuntime.close();

  return { recordsAtKill, killed, finishedBeforeKill: finished, resumed, uninterrupted };
}

/**
 * The conformance check: each stream's sync is killed (SIGKILL, in a child process) while a batch
 * is read but not stored, then resumed; it must end with the rows of an uninterrupted sync. At
 * least one stream must be long enough to be killed mid-stream.
 */
export async function checkKillResume(o: ConformanceOptions): Promise<void> {
  if (!o.child) {
    throw new Error(
      'the kill -9 resume check needs to start the connector in a child process: give describeConnectorConformance child: { module: new URL(\'../src/index.ts\', import.meta.url), exportName: \'<the connector export>\' } ' +
        "(or skip: ['kill-resume'] with the reason in BEHAVIOR.md)",
    );
  }
  const child = o.child;
  const name = o.name ?? 'conn';
  await withWorld(o, async (h) => {
    const dir = mkdtempSync(join(tmpdir(), 'revloop-kill-'));
    try {
      const streams = streamsOf(o, h);
      const result = await killMidSyncAndResume({ ...child, connector: o.connector, name, config: h.config, streams, dir, clock: h.clock });
      if (!result.killed.length) throw new Error(`no stream of ${o.connector.name} reached a second batch, so no sync could be killed mid-stream: give the harness config a page size smaller than the vendor's records`);
      const at = result.killed.map((s) => `${s} after ${result.recordsAtKill[s]}`).join(', ');
      expect(result.resumed, `syncs killed (SIGKILL) mid-stream (${at} stored records) and resumed ended with other rows than uninterrupted ones: never keep progress outside the checkpoint the engine stores with each batch (ctx.state, a file), and start read() from that checkpoint`).toEqual(result.uninterrupted);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
}
