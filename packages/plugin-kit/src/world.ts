// One check's world: a fresh vendor (the author's setup), runtimes over SQLite files in a temp
// folder, all closed and removed afterwards.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { syncStream, type ConnectorDefinition, type Runtime, type SyncRunSummary } from '@revloop/core';
import type { ConformanceHarness, ConformanceOptions } from './harness.js';
import { kitRuntime, type KitRuntimeOptions } from './runtime.js';

export type MakeRuntime = (file: string, config?: Record<string, unknown>, extra?: Pick<KitRuntimeOptions, 'logLevel' | 'logDestination' | 'fetch'> & { connector?: ConnectorDefinition }) => Promise<Runtime>;

export async function withWorld<T>(options: ConformanceOptions, fn: (h: ConformanceHarness, make: MakeRuntime) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), 'revloop-kit-'));
  const harness = await options.setup();
  const runtimes: Runtime[] = [];
  const name = options.name ?? 'conn';
  try {
    return await fn(harness, async (file, config, extra = {}) => {
      const { connector, ...rest } = extra;
      const r = await kitRuntime({ connector: connector ?? options.connector, name, config: config ?? harness.config, dir, file, clock: harness.clock, ...rest });
      runtimes.push(r);
      return r;
    });
  } finally {
    for (const r of runtimes) await r.close();
    await harness.teardown();
    rmSync(dir, { recursive: true, force: true });
  }
}

export function streamsOf(options: ConformanceOptions, h: ConformanceHarness): string[] {
  return h.streams ?? options.connector.streams.map((s) => s.name);
}

export async function syncAllStreams(runtime: Runtime, name: string, streams: string[], opts: { mode?: 'full' | 'incremental' } = {}): Promise<Record<string, SyncRunSummary>> {
  const runs: Record<string, SyncRunSummary> = {};
  for (const s of streams) runs[s] = await syncStream(runtime, name, s, { mode: opts.mode });
  return runs;
}

export const tableOf = { account: 'accounts', contact: 'contacts', opportunity: 'opportunities', campaign: 'campaigns', signal: 'signals', touchpoint: 'touchpoints' } as const;

/** the vendor ids of this system's live (not deleted) rows of one entity */
export async function liveSystemIds(runtime: Runtime, system: string, entity: keyof typeof tableOf): Promise<string[]> {
  const table = tableOf[entity];
  const rows = await (runtime.store.db as any)
    .selectFrom('external_ids')
    .innerJoin(table, `${table}.id`, 'external_ids.entity_id')
    .select('external_ids.system_id as id')
    .where('external_ids.system', '=', system)
    .where('external_ids.entity_type', '=', entity)
    .where(`${table}.deleted`, '=', 0)
    .execute();
  return (rows as { id: string }[]).map((r) => r.id).sort();
}
