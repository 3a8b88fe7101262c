// A misspelt config key is refused with its path (no "(root)" glued to it) and the closest allowed
// key, found in the schema that refused it: the config's own keys, a nested object's, and a
// plugin's config keys (plus the entry's plugin / enabled / streams).
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineConnector, loadRegistry, parseConfig, RevloopError } from '../src/index.js';
import { closestKey, editDistance } from '../src/config/closest-key.js';

function refusal(fn: () => unknown): RevloopError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(RevloopError);
    return e as RevloopError;
  }
  throw new Error('expected a config error');
}

describe('config key suggestions', () => {
  it('edit distance and the closest key', () => {
    expect(editDistance('conectors', 'connectors')).toBe(1);
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('', 'abc')).toBe(3);
    expect(closestKey('conectors', ['store', 'connectors', 'models'])).toBe('connectors');
    expect(closestKey('Budget', ['budgets', 'server'])).toBe('budgets');
    expect(closestKey('zzzzzz', ['store', 'connectors'])).toBeUndefined(); // nothing close: no guess
  });

  it('a misspelt top-level key names its path without "(root)" and the key it probably meant', () => {
    const e = refusal(() => parseConfig({ conectors: {} }, { env: {} }));
    expect(e.code).toBe('CONFIG_INVALID');
    expect(e.message).not.toContain('(root)');
    expect(e.message).toContain('conectors: unknown key "conectors": did you mean "connectors"?');
    expect(e.where).toBe('conectors');
    expect(e.fix).toMatch(/^rename conectors to connectors/);
  });

  it('a nested key: its full path, the suggestion from that object, listed before the "missing" key it caused', () => {
    const e = refusal(() => parseConfig({ store: { kind: 'sqlite', pth: 'a.db' } }, { env: {} }));
    expect(e.message).toMatch(/invalid config in \(inline\):\n {2}store\.pth: unknown key "pth": did you mean "path"\?/);
    expect(e.where).toBe('store.pth');
    const s = refusal(() => parseConfig({ schedules: [{ name: 'a', cron: '* * * * *', job: 'sync', conector: 'x' }] }, { env: {} }));
    expect(s.message).toContain('schedules.0.conector: unknown key "conector": did you mean "connector"?');
    const w = refusal(() => parseConfig({ server: { webhooks: { maxBodyByte: 10 } } }, { env: {} }));
    expect(w.message).toContain('server.webhooks.maxBodyByte: unknown key "maxBodyByte": did you mean "maxBodyBytes"?');
  });

  it('a key nothing resembles lists the keys allowed there', () => {
    const e = refusal(() => parseConfig({ sandbox: { wibble: 1 } }, { env: {} }));
    expect(e.message).toContain('sandbox.wibble: unknown key "wibble" (allowed here: enabled, scenario, seed)');
  });

  it("a plugin's config key: the plugin's keys and the entry's own (enabled) are suggested", async () => {
    const ref = defineConnector({ name: 'ref', version: '1.0.0', config: z.object({ dataDir: z.string().optional() }).strict(), async check() { return { ok: true, message: 'ok' }; }, streams: [] });
    const load = (entry: Record<string, unknown>) => loadRegistry(parseConfig({ store: { kind: 'sqlite', path: ':memory:' }, connectors: { sample: { plugin: ref, ...entry } } }, { env: {} }));
    await expect(load({ dataDr: './x' })).rejects.toThrow(/connectors\.sample\.dataDr: unknown key "dataDr": did you mean "dataDir"\?/);
    await expect(load({ enabeld: false })).rejects.toThrow(/connectors\.sample\.enabeld: unknown key "enabeld": did you mean "enabled"\?/);
  });
});
