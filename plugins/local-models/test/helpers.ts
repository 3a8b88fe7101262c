// A runtime over a temp SQLite file with the local models enabled, and their context.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRuntime, parseConfig, SimulatedClock, type CapabilityDefinition, type PluginContext, type Runtime } from '@revloop/core';
import { localModels, type LocalModelsConfig } from '../src/index.js';

export function tempDir(): { path: string; cleanup(): void } {
  const path = mkdtempSync(join(tmpdir(), 'revloop-local-models-'));
  return { path, cleanup: () => rmSync(path, { recursive: true, force: true }) };
}

export async function localRuntime(dir: string, config: Record<string, unknown> = {}) {
  const loaded = parseConfig({ store: { kind: 'sqlite', path: join(dir, 'revloop.db') }, log: { level: 'silent' }, models: { local: { plugin: localModels, ...config } } }, { env: {}, baseDir: dir });
  const runtime: Runtime = await createRuntime(loaded, { clock: new SimulatedClock(1_700_000_000_000) });
  await runtime.store.migrate();
  const instance = runtime.registry.models.get('local')!;
  const ctx = runtime.contextFor<LocalModelsConfig>(instance);
  const cap = (task: string) => localModels.capabilities.find((c) => c.task === task)! as CapabilityDefinition<LocalModelsConfig>;
  return { runtime, ctx: ctx as PluginContext<LocalModelsConfig>, cap };
}
