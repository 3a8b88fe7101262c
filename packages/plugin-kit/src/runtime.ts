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
  /** log level (default silent) and where lines go (default stderr) */
  logLevel?: 'silent' | 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace';
  logDestination?: { write(line: string): void };
  /** the fetch behind ctx.http (the suite wraps it to inject a 429) */
  fetch?: typeof fetch;
}

export async function kitRuntime(options: KitRuntimeOptions): Promise<Runtime> {
  const loaded = parseConfig(
    {
      store: { kind: 'sqlite', path: join(options.dir, options.file ?? 'revloop.db') },
      log: { level: options.logLevel ?? 'silent' },
      connectors: { [options.name]: { plugin: options.connector, ...options.config } },
    },
    { baseDir: options.dir, env: {} },
  );
  const runtime = await createRuntime(loaded, { clock: options.clock ?? new SimulatedClock(Date.UTC(2024, 0, 1)), logDestination: options.logDestination, fetch: options.fetch });
  await runtime.store.migrate();
  return runtime;
}
