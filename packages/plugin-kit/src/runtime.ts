// A revloop runtime over a fresh SQLite file for one connector: what a conformance test needs.
import { join } from 'node:path';
import { createRuntime, parseConfig, SimulatedClock, type Clock, type ConnectorDefinition, type Runtime } from '@revloop/core';

export interface KitRuntimeOptions {
  connector: ConnectorDefinition;
  /** the connector instance's name in config (its "system" in the identity map) */
  name: string;
  config: Record<string, unknown>;
  dir: string;
  file?: string;
  clock?: Clock;
}

export async function kitRuntime(options: KitRuntimeOptions): Promise<Runtime> {
  const loaded = parseConfig(
    {
      store: { kind: 'sqlite', path: join(options.dir, options.file ?? 'revloop.db') },
      log: { level: 'silent' },
      connectors: { [options.name]: { plugin: options.connector, ...options.config } },
    },
    { baseDir: options.dir, env: {} },
  );
  const runtime = await createRuntime(loaded, { clock: options.clock ?? new SimulatedClock(Date.UTC(2024, 0, 1)) });
  await runtime.store.migrate();
  return runtime;
}
