// A connector's secret() config values never reach the store, whatever its map() does (#24):
// the sync strips them from every record's fields, attributes and raw payload.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { createRuntime, createServerApp, defineConnector, defineStream, parseConfig, secret, syncStream, SimulatedClock, type Runtime } from '../src/index.js';
import type { UnifiedRecord } from '@revloop/store';
import { secretStripper } from '../src/sync/strip-secrets.js';

const KEY = 'sk_live_4f9a2c7e1b';
type Config = { apiKey: string; label: string };

/** copies its key everywhere a careless connector could: raw (nested, in a URL), attributes, a field */
const leaky = defineStream<Config, { id: string; clean?: boolean }, { done: boolean }>({
  name: 'people',
  entity: 'contact',
  cursor: 'id',
  deletes: 'none',
  checkpoint: z.object({ done: z.boolean() }),
  async *read() {
    yield { records: [{ id: 'p1' }, { id: 'p2', clean: true }], checkpoint: { done: true } };
  },
  map: (r, ctx): UnifiedRecord =>
    r.clean
      ? { systemId: r.id, fields: { email: `${r.id}@acme.test` }, attributes: { plan: 'pro' }, raw: { id: r.id, note: 'no key here', label: ctx.config.label } }
      : {
          systemId: r.id,
          fields: { email: `${r.id}@acme.test`, title: ctx.config.apiKey },
          attributes: { auth: `Bearer ${ctx.config.apiKey}` },
          raw: { id: r.id, requestedWith: ctx.config.apiKey, glued: `sig=${ctx.config.apiKey}xyz`, next: `https://api.acme.test/v1/people?key=${encodeURIComponent(ctx.config.apiKey)}&page=2`, calls: [{ [ctx.config.apiKey]: true }] },
        },
});

const connector = defineConnector({
  name: 'leaky',
  version: '0.0.1',
  config: z.object({ apiKey: secret(), label: z.string() }).strict(),
  check: async () => ({ ok: true, message: 'ok' }),
  streams: [leaky],
});

let dir: string;
let runtime: Runtime;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'revloop-strip-'));
  const loaded = parseConfig(
    { store: { kind: 'sqlite', path: join(dir, 'r.db') }, log: { level: 'silent' }, connectors: { leaky: { plugin: connector, apiKey: { $env: 'LEAKY_KEY' }, label: 'team-a-label' } } },
    { baseDir: dir, env: { LEAKY_KEY: KEY } },
  );
  runtime = await createRuntime(loaded, { clock: new SimulatedClock(1) });
  await runtime.store.migrate();
});
afterEach(async () => {
  await runtime.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('the sync strips secret config values from what it stores', () => {
  it('a connector that copies its key into raw, attributes and a field stores [REDACTED] instead', async () => {
    const run = await syncStream(runtime, 'leaky', 'people');
    expect(run).toMatchObject({ status: 'succeeded', written: 2, failed: 0 });
    const rows = await runtime.store.db.selectFrom('contacts').select(['email', 'title', 'attributes', 'raw']).orderBy('email').execute();
    const text = JSON.stringify(rows);
    expect(text).not.toContain(KEY);
    expect(text).not.toContain(encodeURIComponent(KEY));
    const p1 = rows[0]!;
    expect(p1.title).toBe('[REDACTED]');
    expect(JSON.parse(p1.attributes as string)).toEqual({ auth: 'Bearer [REDACTED]' });
    expect(JSON.parse(p1.raw as string)).toEqual({ id: 'p1', requestedWith: '[REDACTED]', glued: 'sig=[REDACTED]xyz', next: 'https://api.acme.test/v1/people?key=[REDACTED]&page=2', calls: [{ '[REDACTED]': true }] });
    // the other record: no secret in it, stored as the connector mapped it (a config value that is
    // not secret() is not touched)
    expect(JSON.parse(rows[1]!.raw as string)).toEqual({ id: 'p2', note: 'no key here', label: 'team-a-label' });
  });
});

describe('secretStripper', () => {
  it('returns a record without a secret as the same object (no copy per record)', () => {
    const strip = secretStripper([KEY])!;
    const record = { systemId: 'a', fields: { email: 'a@b.test' }, attributes: { x: [1, 'y'] }, raw: { deep: { list: ['z'] } } };
    expect(strip(record)).toBe(record);
  });

  it('is nothing to do without a secret of a redactable length', () => {
    expect(secretStripper([])).toBeUndefined();
    expect(secretStripper(['short'])).toBeUndefined();
  });

  it('finds the key escaped inside a JSON string held in raw', () => {
    const key = 'k"ey\\with-quotes';
    const out = secretStripper([key])!({ systemId: 'a', fields: {}, raw: { body: JSON.stringify({ token: key }) } });
    expect(JSON.stringify(out.raw)).not.toContain(JSON.stringify(key).slice(1, -1));
  });
});

describe('webhook events', () => {
  it('a webhook that copies the key into its signals\' raw stores [REDACTED] instead', async () => {
    const echo = defineConnector({
      name: 'echo',
      version: '0.0.1',
      config: z.object({ apiKey: secret() }).strict(),
      check: async () => ({ ok: true, message: 'ok' }),
      streams: [],
      webhooks: [
        {
          name: 'events',
          verify: () => true,
          toSignals: (ctx, payload) => (payload as { id: string; at: number }[]).map((e) => ({ systemId: e.id, fields: { type: 'form_fill', occurred_at: e.at }, raw: { ...e, forwardedWith: ctx.config.apiKey } })),
        },
      ],
    });
    const hookDir = mkdtempSync(join(tmpdir(), 'revloop-strip-hook-'));
    const loaded = parseConfig({ store: { kind: 'sqlite', path: join(hookDir, 'r.db') }, log: { level: 'silent' }, connectors: { echo: { plugin: echo, apiKey: KEY } } }, { baseDir: hookDir, env: {} });
    const hooked = await createRuntime(loaded, { clock: new SimulatedClock(1) });
    try {
      await hooked.store.migrate();
      const body = JSON.stringify([{ id: 'e1', at: 1 }]);
      const res = await createServerApp(hooked).request('/webhooks/echo/events', { method: 'POST', body, headers: { 'content-type': 'application/json' } });
      expect(res.status).toBe(200);
      const raw = (await hooked.store.db.selectFrom('signals').select('raw').executeTakeFirstOrThrow()).raw as string;
      expect(JSON.parse(raw)).toEqual({ id: 'e1', at: 1, forwardedWith: '[REDACTED]' });
    } finally {
      await hooked.close();
      rmSync(hookDir, { recursive: true, force: true });
    }
  });
});
