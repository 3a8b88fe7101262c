// Proof that a sync killed with SIGKILL mid-stream (no chance to clean up) and run again ends
// with exactly the same unified rows as an uninterrupted sync.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openSqliteStore } from '@revloop/store';
import { syncStream, type ConnectorDefinition } from '@revloop/core';
import { kitRuntime } from './runtime.js';
import { unifiedSnapshot, type UnifiedSnapshot } from './snapshot.js';
import type { KillResumeJob } from './child-sync.js';

export interface KillResumeOptions {
  connector: ConnectorDefinition;
  /** how the child process imports the connector: a package name or an absolute path, and the export */
  module: string;
  exportName?: string;
  name: string;
  config: Record<string, unknown>;
  stream: string;
  dir: string;
  /** kill once at least this many records are committed (default 1: after the first batch) */
  killAfterRecords?: number;
  /** node flags for the child (e.g. a TypeScript loader and the network guard) */
  execArgv?: string[];
}

export interface KillResumeResult {
  /** records committed when the child was killed */
  recordsAtKill: number;
  /** true when the child had already finished (the kill came too late to prove anything) */
  finishedBeforeKill: boolean;
  resumed: UnifiedSnapshot;
  uninterrupted: UnifiedSnapshot;
}

function childScript(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  const built = join(here, 'child-sync.js');
  return existsSync(built) ? built : join(here, 'child-sync.ts');
}

export async function killMidSyncAndResume(options: KillResumeOptions): Promise<KillResumeResult> {
  const dbPath = join(options.dir, 'killed.db');
  const job: KillResumeJob = { module: options.module, exportName: options.exportName ?? 'default', name: options.name, config: options.config, dbPath, stream: options.stream };
  const child = spawn(process.execPath, [...(options.execArgv ?? []), childScript(), JSON.stringify(job)], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));

  const want = options.killAfterRecords ?? 1;
  let committed = 0;
  let finished = false;
  // watch the child's database: the run's read counter moves one committed batch at a time
  for (;;) {
    if (child.exitCode !== null) {
      if (!output.includes('finished')) throw new Error(`the sync child exited with ${child.exitCode} before it could be killed:\n${output}`);
      finished = true;
      break;
    }
    if (output.includes('ready') && existsSync(dbPath)) {
      const store = openSqliteStore({ path: dbPath });
      try {
        const row = await store.db.selectFrom('sync_runs').select('records_read').where('stream', '=', options.stream).where('status', '=', 'running').executeTakeFirst();
        committed = row ? Number(row.records_read) : 0;
      } finally {
        await store.close();
      }
      if (committed >= want) break;
    }
    await new Promise((r) => setTimeout(r, 5));
  }
  if (!finished) child.kill('SIGKILL');
  await exited;

  const resumedRuntime = await kitRuntime({ connector: options.connector, name: options.name, config: options.config, dir: options.dir, file: 'killed.db' });
  await syncStream(resumedRuntime, options.name, options.stream);
  const resumed = await unifiedSnapshot(resumedRuntime.store);
  await resumedRuntime.close();

  const wholeRuntime = await kitRuntime({ connector: options.connector, name: options.name, config: options.config, dir: options.dir, file: 'whole.db' });
  await syncStream(wholeRuntime, options.name, options.stream);
  const uninterrupted = await unifiedSnapshot(wholeRuntime.store);
  await wholeRuntime.close();

  return { recordsAtKill: committed, finishedBeforeKill: finished, resumed, uninterrupted };
}
