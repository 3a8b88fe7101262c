import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseConfig, loadConfig, env, RevloopError } from '../src/index.js';

function expectConfigError(fn: () => unknown, code: string, path: RegExp) {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(RevloopError);
    const err = e as RevloopError;
    expect(err.code).toBe(code);
    expect(err.exitCode).toBe(2);
    expect(err.message).toMatch(path);
    expect(err.fix).toBeTruthy();
    return err;
  }
  throw new Error('expected a config error');
}

describe('config', () => {
  it('fills defaults for an empty config', () => {
    const { config } = parseConfig({}, { baseDir: '/tmp/x', env: {} });
    expect(config.store).toEqual({ kind: 'sqlite', path: '/tmp/x/.revloop/revloop.db' });
    expect(config.connectors).toEqual({});
    expect(config.log.level).toBe('info');
  });

  it('refuses unknown keys and names their path', () => {
    expectConfigError(() => parseConfig({ stroe: {} }, { env: {} }), 'CONFIG_INVALID', /stroe: unknown key "stroe"/);
    expectConfigError(() => parseConfig({ store: { kind: 'sqlite', path: 'a.db', extra: 1 } }, { env: {} }), 'CONFIG_INVALID', /store\.extra/);
    expectConfigError(() => parseConfig({ schedules: [{ name: 's', cron: 'often', job: 'sync' }] }, { env: {} }), 'CONFIG_INVALID', /schedules\.0\.cron: a cron expression/);
  });

  it('resolves env() secrets and refuses a missing one with its path', () => {
    const raw = { connectors: { crm: { plugin: 'x', accessToken: env('CRM_TOKEN') } } };
    const loaded = parseConfig(raw, { env: { CRM_TOKEN: 'tok-123456' } });
    expect((loaded.config.connectors.crm as Record<string, unknown>).accessToken).toBe('tok-123456');
    expect(loaded.redactor.text('Bearer tok-123456')).toBe('Bearer [REDACTED]');
    const err = expectConfigError(() => parseConfig(raw, { env: {} }), 'CONFIG_SECRET_MISSING', /CRM_TOKEN is not set/);
    expect(err.where).toBe('connectors.crm.accessToken');
  });

  it('redacts an env() secret as a whole token: "revloop sandbox" stays intact', () => {
    const raw = { connectors: { google: { plugin: 'x', clientSecret: env('G_SECRET') } } };
    const { redactor } = parseConfig(raw, { env: { G_SECRET: 'sandbox1' } });
    expect(redactor.text('revloop sandbox1 is ready')).toBe('revloop [REDACTED] is ready');
    expect(redactor.text('mysandbox1 and sandbox10 and revloop sandbox')).toBe('mysandbox1 and sandbox10 and revloop sandbox');
    expect(redactor.text('{"clientSecret":"sandbox1"} ?key=sandbox1&x=1 (sandbox1).')).toBe('{"clientSecret":"[REDACTED]"} ?key=[REDACTED]&x=1 ([REDACTED]).');
  });

  it('refuses an env() secret shorter than 8 characters, naming the config path and the variable', () => {
    const raw = { connectors: { google: { plugin: 'x', clientSecret: env('G_SECRET') } } };
    const err = expectConfigError(() => parseConfig(raw, { env: { G_SECRET: 'sandbox' } }), 'CONFIG_INVALID', /SECRET_TOO_SHORT.*connectors\.google\.clientSecret.*G_SECRET/);
    expect(err.where).toBe('connectors.google.clientSecret');
    expect(err.fix).toMatch(/G_SECRET.*real credential/);
    expect(err.message).not.toContain("'sandbox'"); // the value itself is never shown
    // 8 characters is enough; a default (used when the variable is unset) is not a secret and not checked
    expect(() => parseConfig(raw, { env: { G_SECRET: 'sandbox1' } })).not.toThrow();
    expect(() => parseConfig({ connectors: { a: { plugin: 'x', apiKey: env('UNSET_KEY', { default: 'x' }) } } }, { env: {} })).not.toThrow();
  });

  it('loads YAML and JSON files, and a TypeScript config with env()', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'revloop-config-'));
    writeFileSync(join(dir, 'revloop.config.yaml'), 'store:\n  kind: sqlite\n  path: data/r.db\nconnectors:\n  crm:\n    plugin: ./crm.ts\n    token: { $env: T_TOKEN }\n');
    const y = await loadConfig(undefined, dir, { T_TOKEN: 'abcdef-123' });
    expect(y.config.store).toEqual({ kind: 'sqlite', path: join(dir, 'data/r.db') });
    expect((y.config.connectors.crm as Record<string, unknown>).token).toBe('abcdef-123');

    writeFileSync(join(dir, 'other.json'), JSON.stringify({ log: { level: 'debug' } }));
    expect((await loadConfig('other.json', dir, {})).config.log.level).toBe('debug');

    writeFileSync(join(dir, 'c.config.ts'), "const secret = (name: string) => ({ $env: name }) as unknown as string;\nexport default { log: { level: 'warn' as const }, connectors: { a: { plugin: 'p', key: secret('K_KEY') } } };\n");
    const t = await loadConfig('c.config.ts', dir, { K_KEY: 'kkkkk-kkkkk' });
    expect(t.config.log.level).toBe('warn');

    writeFileSync(join(dir, 'bad.yaml'), 'store: [unclosed\n');
    await expect(loadConfig('bad.yaml', dir, {})).rejects.toMatchObject({ code: 'CONFIG_UNREADABLE', kind: 'bad_input' });
    await expect(loadConfig('missing.yaml', dir, {})).rejects.toMatchObject({ code: 'CONFIG_NOT_FOUND' });
    expect(existsSync(join(dir, 'data'))).toBe(false); // loading writes nothing
  });
});
