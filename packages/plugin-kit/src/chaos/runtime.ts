// A runtime for one connector over a SQLite file, with env references resolved from the options:
// the same in the SIGKILL child and in the parent's in-process runs.
import { createRuntime, parseConfig, SimulatedClock, type Clock, type ConnectorDefinition, type Runtime } from '@revloop/core';

export interface ChaosRuntimeOptions {
  connector: ConnectorDefinition;
  name: string;
  config: Record<string, unknown>;
  env?: Record<string, string>;
  dbPath: string;
  clock?: Clock;
  clockStart?: number;
}

export const DEFAULT_CLOCK_START = Date.UTC(2024, 0, 1);

export async function chaosRuntime(options: ChaosRuntimeOptions): Promise<Runtime> {
  const loaded = parseConfig(
    { store: { kind: 'sqlite', path: options.dbPath }, log: { level: 'silent' }, connectors: { [options.name]: { plugin: options.connector, ...options.config } } },
    { env: options.env ?? {} },
  );
  const runtime = await createRuntime(loaded, { clock: options.clock ?? new SimulatedClock(options.clockStart ?? DEFAULT_CLOCK_START) });
  await runtime.store.migrate();
  return runtime;
}
