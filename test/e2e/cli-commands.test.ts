// The `revloop` CLI end to end: each test runs apps/cli/src/bin.ts as a child process (tsx, the
// revloop-source condition, the network guard) in a temp folder that has no node_modules.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sampleData } from '../../apps/cli/src/sample-data.js';
import { starterConfig } from '../../apps/cli/src/starter.js';
import { CLI_TEST_TIMEOUT_MS, runCli as revloop } from './cli-child.js';

const repo = resolve(import.meta.dirname, '../..');

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'revloop-cli-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('revloop init / check', { timeout: CLI_TEST_TIMEOUT_MS }, () => {
  it('init writes a starter config and the sample data that check accepts; init refuses to overwrite without --force', () => {
    const init = revloop(dir, ['init']);
    expect(init.code, init.stderr).toBe(0);
    expect(readFileSync(join(dir, 'revloop.config.ts'), 'utf8')).toBe(starterConfig('ts'));
    expect(existsSync(join(dir, 'examples/data/contacts.jsonl'))).toBe(true);

    const check = revloop(dir, ['check', '--json']);
    expect(check.code, check.stderr).toBe(0);
    expect(check.json()).toMatchObject({ ok: true, config: join(dir, 'revloop.config.ts'), connectors: [{ connector: 'sample', ok: true }] });

    const again = revloop(dir, ['init']);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/CONFIG_EXISTS[\s\S]*--force/);
    expect(revloop(dir, ['init', '--force']).code).toBe(0);
  });

  it('init --format yaml writes a YAML config that check accepts, with human output', () => {
    expect(revloop(dir, ['init', '--format', 'yaml']).code).toBe(0);
    const check = revloop(dir, ['check']);
    expect(check.code, check.stderr).toBe(0);
    expect(check.stdout).toMatch(/revloop\.config\.yaml: valid/);
    expect(check.stdout).toMatch(/sample\s+ok/);
  });

  it('bad config: an unknown key exits 2 naming the file and the key, and creates no database', () => {
    writeFileSync(join(dir, 'revloop.config.json'), JSON.stringify({ store: { kind: 'sqlite', path: 'db/revloop.db' }, conectors: {} }));
    const r = revloop(dir, ['check']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(join(dir, 'revloop.config.json'));
    expect(r.stderr).toMatch(/conectors/);
    expect(r.stderr).toMatch(/fix:/);
    expect(existsSync(join(dir, 'db'))).toBe(false);

    const j = revloop(dir, ['sync', '--json']);
    expect(j.code).toBe(2);
    expect(j.json().error).toMatchObject({ code: 'CONFIG_INVALID', config: join(dir, 'revloop.config.json') });
    expect(j.json().error.fix).toBeTruthy();
    expect(existsSync(join(dir, 'db'))).toBe(false);
  });

  it('bad config: a missing env secret exits 2 naming the config path, the variable and the file; nothing written', () => {
    writeFileSync(join(dir, 'revloop.config.yaml'), 'store: { kind: sqlite, path: .revloop/revloop.db }\nconnectors:\n  ref:\n    plugin: "@revloop/connector-reference"\n    syntheticContacts: 10\n    apiKey: { $env: REVLOOP_TEST_MISSING_KEY }\n');
    const r = revloop(dir, ['migrate'], { REVLOOP_TEST_MISSING_KEY: '' });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/REVLOOP_TEST_MISSING_KEY/);
    expect(r.stderr).toMatch(/connectors\.ref\.apiKey/);
    expect(r.stderr).toContain(join(dir, 'revloop.config.yaml'));
    expect(existsSync(join(dir, '.revloop'))).toBe(false);
    // with the secret set, the same config is valid
    expect(revloop(dir, ['check'], { REVLOOP_TEST_MISSING_KEY: 'secret-value' }).code).toBe(0);
  });

  it('a connector whose check fails exits 1; no config at all exits 2', () => {
    writeFileSync(join(dir, 'revloop.config.json'), JSON.stringify({ connectors: { ref: { plugin: '@revloop/connector-reference', dataDir: './nowhere' } } }));
    const r = revloop(dir, ['check']);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/ref\s+FAILED/);
    expect(r.stdout).toMatch(/nowhere/);
    rmSync(join(dir, 'revloop.config.json'));
    const none = revloop(dir, ['check']);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/CONFIG_NOT_FOUND[\s\S]*revloop init/);
  });

  it('a TS config that imports defineConfig and env from @revloop/core loads where the package resolves', () => {
    // the folder where @revloop/core is installed: here, the CLI's own package folder
    const cfg = join(repo, 'apps/cli', `revloop.test-${process.pid}.config.ts`);
    writeFileSync(cfg, `import { defineConfig, env } from '@revloop/core';\nexport default defineConfig({ store: { kind: 'sqlite', path: ${JSON.stringify(join(dir, 'r.db'))} }, connectors: { s: { plugin: '@revloop/connector-reference', syntheticContacts: 5, apiKey: env('REVLOOP_TEST_KEY', { default: 'x' }) } } });\n`);
    try {
      const r = revloop(dir, ['--config', cfg, 'check', '--json']);
      expect(r.code, r.stderr).toBe(0);
      expect(r.json().connectors[0]).toMatchObject({ connector: 's', ok: true });
    } finally {
      rmSync(cfg, { force: true });
    }
    // the same import in a folder without node_modules: bad input that says how to fix it
    writeFileSync(join(dir, 'revloop.config.ts'), `import { defineConfig } from '@revloop/core';\nexport default defineConfig({});\n`);
    const r = revloop(dir, ['check']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/@revloop\/core[\s\S]*fix:.*import type/);
  });
});

describe('revloop migrate / sync / status', { timeout: CLI_TEST_TIMEOUT_MS }, () => {
  it('migrates, syncs the sample, reads nothing on the second run, re-reads after --reset', () => {
    expect(revloop(dir, ['init']).code).toBe(0);
    const m = revloop(dir, ['migrate', '--json']);
    expect(m.code, m.stderr).toBe(0);
    expect(m.json().applied.length).toBeGreaterThan(0);
    expect(revloop(dir, ['migrate', '--json']).json().applied).toEqual([]);

    const first = revloop(dir, ['sync', '--json']);
    expect(first.code, first.stderr).toBe(0);
    const data = sampleData();
    const contactLines = data['contacts.jsonl'].trim().split('\n').map((l) => JSON.parse(l));
    const liveContacts = contactLines.filter((c) => !c.deleted && !c.mergedInto).length;
    expect(first.json()).toMatchObject({
      ok: true,
      interrupted: false,
      streams: [
        { connector: 'sample', stream: 'accounts', status: 'succeeded', read: 50, written: 50 },
        { connector: 'sample', stream: 'contacts', status: 'succeeded', read: liveContacts, written: liveContacts, deleted: 7 },
      ],
    });

    const status = revloop(dir, ['status', '--json']);
    expect(status.code).toBe(0);
    expect(status.json().rows).toMatchObject({ accounts: 50, contacts: liveContacts });
    expect(status.json().checkpoints.map((c: { stream: string }) => c.stream)).toEqual(['accounts', 'contacts']);

    const second = revloop(dir, ['sync', '--json']);
    expect(second.json().streams.map((s: { read: number }) => s.read)).toEqual([0, 0]);

    const reset = revloop(dir, ['sync', 'sample', 'contacts', '--reset', '--json']);
    expect(reset.code, reset.stderr).toBe(0);
    expect(reset.json().reset).toEqual([{ connector: 'sample', stream: 'contacts', checkpoints: 1 }]);
    expect(reset.json().streams).toMatchObject([{ stream: 'contacts', read: liveContacts }]);
    expect(revloop(dir, ['status', '--json']).json().rows.contacts).toBe(liveContacts);

    // human output: a summary table on stdout, a line per stream on stderr (not a TTY)
    const human = revloop(dir, ['sync']);
    expect(human.code).toBe(0);
    expect(human.stdout).toMatch(/stream\s+status\s+read\s+written\s+failed\s+deleted\s+seconds/);
    expect(human.stderr).toMatch(/sample\/contacts: succeeded, 0 read/);
    expect(revloop(dir, ['status']).stdout).toMatch(/last runs[\s\S]*checkpoints[\s\S]*rows/);
  });

  it('bad arguments and usage errors exit 2', () => {
    expect(revloop(dir, ['init']).code).toBe(0);
    const unknown = revloop(dir, ['sync', 'nosuch', '--json']);
    expect(unknown.code).toBe(2);
    expect(unknown.json().error.code).toBe('CONNECTOR_UNKNOWN');
    expect(revloop(dir, ['sync', 'sample', 'nostream']).code).toBe(2);
    expect(revloop(dir, ['bogus']).code).toBe(2);
    expect(revloop(dir, ['sync', 'a', 'b', 'c']).code).toBe(2);
    expect(revloop(dir, ['status', '--nope']).code).toBe(2);
    expect(revloop(dir, ['serve', '--port', 'abc']).code).toBe(2);
    const help = revloop(dir, ['sync', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/Examples:/);
  });

  it('quickstart in an empty folder writes the starter config, migrates, checks, syncs and runs the closed loop', () => {
    const r = revloop(dir, ['quickstart', '--days', '3', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const doc = r.json();
    expect(doc).toMatchObject({ ok: true, created: join(dir, 'revloop.config.ts'), checks: [{ connector: 'sample', ok: true }], rows: { accounts: 50 } });
    expect(doc.migrations.length).toBeGreaterThan(0);
    expect(doc.run).toMatchObject({ scenario: { days: 3 }, baseline: { revenue: expect.any(Number) }, oracle: { revenue: expect.any(Number) } });
    expect(existsSync(doc.run.report_path)).toBe(true);
    const again = revloop(dir, ['quickstart', '--days', '2']);
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/next steps/);
    expect(again.stdout).toMatch(/rules baseline/);
  }); // the closed loop runs through the four vendor emulators: ~20 s alone

  it('quickstart with a bad --days exits 2 before it writes anything', () => {
    const r = revloop(dir, ['quickstart', '--days', '0']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--days/);
    expect(existsSync(join(dir, 'revloop.config.ts'))).toBe(false);
    expect(existsSync(join(dir, '.revloop'))).toBe(false);
    const long = revloop(dir, ['quickstart', '--days', '500']); // longer than the scenario: refused up front too
    expect(long.code).toBe(2);
    expect(long.stderr).toMatch(/--days must be a whole number from 1 to 90/);
    expect(existsSync(join(dir, 'revloop.config.ts'))).toBe(false);
  });
});

describe('shipped files', () => {
  it('examples/data is the generated sample', () => {
    for (const [file, text] of Object.entries(sampleData())) expect(readFileSync(join(repo, 'examples/data', file), 'utf8')).toBe(text);
  });

  it('the root revloop.config.ts is the starter plus the sandbox-backed vendor connectors', () => {
    const root = readFileSync(join(repo, 'revloop.config.ts'), 'utf8');
    expect(root).toContain("sample: { plugin: '@revloop/connector-reference'");
    for (const plugin of ['connector-hubspot', 'connector-salesforce', 'connector-linkedin-ads', 'connector-google-ads']) expect(root).toContain(`'@revloop/${plugin}'`);
    expect(root).toContain("$sandbox: 'hubspot.url'");
    expect(starterConfig('ts')).not.toContain('$sandbox'); // `revloop init` elsewhere needs no sandbox
  });
});
