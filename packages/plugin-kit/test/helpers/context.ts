// A plugin context on a real runtime (SQLite in a temp folder, a simulated clock) for tests of
// the kit's HTTP building blocks.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { defineConnector, SimulatedClock, type PluginContext, type Runtime } from '@revloop/core';
import { kitRuntime } from '../../src/runtime.js';

const probe = defineConnector({
  name: 'http-probe',
  version: '0.0.0',
  config: z.looseObject({}),
  check: async () => ({ ok: true, message: 'ok' }),
  streams: [],
});

export async function testContext(name = 'probe', clock = new SimulatedClock(Date.UTC(2024, 0, 1))): Promise<{ ctx: PluginContext<any>; clock: SimulatedClock; runtime: Runtime; close(): Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), 'revloop-kit-http-'));
  const runtime = await kitRuntime({ connector: probe, name, config: {}, dir, clock });
  return {
    ctx: runtime.contextFor(runtime.connector(name)),
    clock,
    runtime,
    async close() {
      await runtime.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
