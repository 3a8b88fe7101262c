// One loop, two clocks: `revloop run`'s simulation harness and `revloop serve`'s scheduled `run`
// job drive the same job graph (core's runLoopCycle: sync → learn → decide → execute). Driven
// over the same seeded market through the vendor connectors and the sandbox's emulators, they
// make the same decisions, record the same outcomes, learn the same model versions and upload
// the same offline conversions.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRuntime, parseConfig, SimulatedClock, type Runtime } from '@revloop/core';
import { loadScenario, smallScenarioPath } from '@revloop/sandbox';
import { scheduledJobs } from '@revloop/cli';
import { defaultModels, loopConfig, openLoopSource, startClosedLoop, type ClosedLoopSession, type LoopSource } from '@revloop/evaluation';

const DAYS = 8;
const scenario = loadScenario(readFileSync(fileURLToPath(smallScenarioPath), 'utf8'));
const options = { actionsPerDay: 10, models: defaultModels(scenario), approvals: { policies: [], regulatedIndustries: [] } };
let dirs: string[] = [];
let harness: ClosedLoopSession;
let served: { runtime: Runtime; source: LoopSource };

type Row = { id: string; status: string; output: string | null; model_version: string | null };
const decisions = (rt: Runtime) => rt.store.db.selectFrom('decisions').select(['id', 'status', 'output', 'model_version']).orderBy('id').execute() as Promise<Row[]>;

beforeAll(async () => {
  const dir = (name: string) => {
    const d = mkdtempSync(join(tmpdir(), `revloop-drivers-${name}-`));
    dirs.push(d);
    return d;
  };
  // the simulation driver: `revloop run`
  harness = await startClosedLoop({ scenario, dir: dir('run'), via: 'connectors', reviewer: 'none', ...options });
  for (let d = 0; d < DAYS; d++) await harness.step();

  // the wall-clock driver: `revloop serve`'s scheduled run job, here under a clock that follows the
  // market (serve passes the wall clock); the job is the one serve schedules from the config
  const source = await openLoopSource({ scenario, via: 'connectors' });
  const serveDir = dir('serve');
  const clock = new SimulatedClock(source.market.now());
  const config = { ...loopConfig({ dir: serveDir, ...options }, source), schedules: [{ name: 'loop', cron: '*/5 * * * *', job: 'run' as const }] };
  const runtime = await createRuntime(parseConfig(config, { env: {}, baseDir: serveDir }), { clock });
  await runtime.store.migrate();
  served = { runtime, source };
  const [job] = scheduledJobs(runtime);
  for (let d = 0; d < DAYS; d++) {
    source.market.advanceDay();
    clock.set(Math.max(clock.now(), source.market.now()));
    await job!.run(new AbortController().signal);
  }
}, 240_000);

afterAll(async () => {
  await harness?.close();
  await served?.runtime.close();
  await served?.source.stop();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('one loop, two drivers', () => {
  it('makes the same decisions through `run` and through `serve`', async () => {
    const a = await decisions(harness.runtime);
    const b = await decisions(served.runtime);
    expect(a.filter((r) => r.status === 'executed').length).toBeGreaterThan(0);
    expect(b.length).toBe(a.length);
    expect(b).toEqual(a);
  });

  it('syncs, records outcomes and learns the same way', async () => {
    for (const table of ['outcomes', 'model_versions', 'sync_runs'] as const) {
      const count = async (rt: Runtime) => Number((await rt.store.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
      const n = await count(harness.runtime);
      expect(n, table).toBeGreaterThan(0);
      expect(await count(served.runtime), table).toBe(n);
    }
    // the loop's last step: outcomes went back to LinkedIn as offline conversions, alike
    const received = (source: LoopSource) => source.sandbox!.linkedin!.state.receivedConversions().map((c) => c.eventId).sort();
    expect(received(harness.source).length).toBeGreaterThan(0);
    expect(received(served.source)).toEqual(received(harness.source));
    const versions = (rt: Runtime) => rt.store.db.selectFrom('model_versions').select(['model', 'version', 'metrics']).orderBy('model').orderBy('version').execute();
    expect(await versions(served.runtime)).toEqual(await versions(harness.runtime));
  });
});
