// liveCheckConnectors (`revloop check --live`): each connector's optional liveCheck after its
// check — findings redacted, a connector without the hook reported as unknown, a throwing hook a
// failed finding, a failed check a finding of its own (and the hook still runs).
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createRuntime, defineConnector, liveCheckConnectors, parseConfig, secret, REDACTED, SimulatedClock, type LiveCheckFinding } from '../src/index.js';

const schema = z.object({ key: secret(), checkOk: z.boolean().default(true) }).strict();
const KEY = 'vendor-key-0123456789';

function connector(liveCheck?: () => Promise<LiveCheckFinding[]>) {
  return defineConnector({
    name: 'vendor',
    version: '0.0.0',
    config: schema,
    async check(ctx) {
      return ctx.config.checkOk ? { ok: true, message: 'connected' } : { ok: false, message: 'vendor refused the version' };
    },
    ...(liveCheck ? { liveCheck } : {}),
    streams: [],
  });
}

async function run(connectors: Record<string, { plugin: ReturnType<typeof connector>; checkOk?: boolean }>) {
  const entries = Object.fromEntries(Object.entries(connectors).map(([name, c]) => [name, { ...c, key: KEY }]));
  const runtime = await createRuntime(parseConfig({ store: { kind: 'sqlite', path: ':memory:' }, log: { level: 'silent' }, connectors: entries }, { env: {} }), { clock: new SimulatedClock(0) });
  await runtime.store.migrate();
  try {
    return await liveCheckConnectors(runtime);
  } finally {
    await runtime.close();
  }
}

describe('liveCheckConnectors', () => {
  it('collects each connector\'s findings: ok only when none would fail; secrets redacted', async () => {
    const good = connector(async () => [
      { what: 'scope read', ok: true, detail: 'granted' },
      { what: 'allow-list', ok: true, unknown: true, detail: 'cannot be known without a write' },
    ]);
    const bad = connector(async () => [{ what: 'scope write', ok: false, detail: `token ${KEY} lacks it`, fix: `re-authorise, not with ${KEY}` }]);
    const [a, b] = await run({ a: { plugin: good }, b: { plugin: bad } });
    expect(a).toMatchObject({ connector: 'a', ok: true, message: 'connected' });
    expect(a!.findings).toHaveLength(2);
    expect(b).toMatchObject({ connector: 'b', ok: false, message: '1 of 1 would fail: scope write' });
    expect(b!.findings[0]!.detail).toBe(`token ${REDACTED} lacks it`);
    expect(b!.findings[0]!.fix).not.toContain(KEY);
  });

  it('a connector without liveCheck: unknown, not a failure; a throwing liveCheck: a failed finding', async () => {
    const none = connector();
    const throwing = connector(async () => {
      throw new Error('introspection answered 500');
    });
    const [n, t] = await run({ n: { plugin: none }, t: { plugin: throwing } });
    expect(n).toMatchObject({ ok: true, findings: [{ what: 'live check', ok: true, unknown: true }] });
    expect(t).toMatchObject({ ok: false, findings: [{ what: 'live check', ok: false, detail: 'introspection answered 500' }] });
  });

  it('a failed check is a finding, and the live check still says why', async () => {
    const why = connector(async () => [{ what: 'API version 63.0', ok: false, detail: 'not served', fix: "set apiVersion: '62.0'" }]);
    const [r] = await run({ v: { plugin: why, checkOk: false } });
    expect(r!.ok).toBe(false);
    expect(r!.findings.map((f) => [f.what, f.ok])).toEqual([
      ['connection', false],
      ['API version 63.0', false],
    ]);
  });
});
