// The chaos suite's SIGKILL child, bundled (src/chaos/bundle.ts, src/child-bundle.ts): it runs a job to the end like the
// source child, a bundled module still sees its own import.meta.url (and resolves packages from
// there), and node_modules packages stay outside the bundle.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { chaosChild } from '../src/chaos/bundle.js';
import { withoutTsLoader } from '../src/child-bundle.js';
import type { ChaosJob } from '../src/chaos/child-run.js';

const here = fileURLToPath(new URL('.', import.meta.url));
const fixture = join(here, 'fixtures/where-connector.ts');
const guard = fileURLToPath(new URL('../../../test/setup/network-guard-child.mjs', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'revloop-chaos-bundle-'));
// this test is about the bundle: on, even in a run that turns bundles off to compare
beforeAll(() => {
  vi.stubEnv('REVLOOP_CHILD_BUNDLE', '1');
});
afterAll(() => {
  vi.unstubAllEnvs();
  rmSync(dir, { recursive: true, force: true });
});

describe('chaos child bundle', () => {
  it('runs a job to the end; a bundled module keeps its own import.meta.url and resolves packages from it', async () => {
    const entry = await chaosChild(fixture, join(here, '../src/chaos/child.ts'), ['--conditions=revloop-source', '--import', 'tsx', '--import', guard]);
    expect(entry.script).toMatch(/\.mjs$/);
    expect(entry.execArgv).toEqual(['--conditions=revloop-source', '--import', guard]);
    const job: ChaosJob = { module: fixture, exportName: 'whereConnector', name: 'ref', action: 'where', config: { dataDir: dir }, env: {}, dbPath: join(dir, 'a.db'), inputs: [{ key: 'a' }, { key: 'b' }] };
    writeFileSync(join(dir, 'job.json'), JSON.stringify(job));
    const run = spawnSync(process.execPath, [...entry.execArgv, entry.script, join(dir, 'job.json'), 'first'], { encoding: 'utf8' });
    expect(run.stderr).toBe('');
    expect(run.stdout).toMatch(/finished\n$/);
    const results = run.stdout.split('\n').filter((l) => l.startsWith('done ')).map((l) => JSON.parse(l.replace(/^done \d+ /, '')) as { url: string; zod: string });
    expect(results).toHaveLength(2);
    expect(results[0]).toEqual({ url: pathToFileURL(fixture).href, zod: createRequire(fixture).resolve('zod') });

    // zod is imported by its path from the bundle; no file of node_modules is copied into it (esbuild
    // heads each bundled file with a "// <path>" line)
    const bundle = readFileSync(entry.script, 'utf8');
    expect(bundle).toMatch(/from "\/[^"]*\/node_modules\/[^"]*zod[^"]*\.js"/);
    expect(bundle.split('\n').filter((l) => /^\/\/ .*node_modules\//.test(l))).toEqual([]);
    expect(bundle).toMatch(/^\/\/ .*packages\/core\/src\//m);
    // built once per process, stored by the hash of its text
    expect((await chaosChild(fixture, join(here, '../src/chaos/child.ts'), [])).script).toBe(entry.script);
  }, 60_000);

  it('drops a tsx loader from the flags and keeps the others', () => {
    expect(withoutTsLoader(['--conditions=revloop-source', '--import', 'tsx', '--import', '/g.mjs', '--import=tsx/esm', '--loader', 'tsx', '--require', 'x'])).toEqual([
      '--conditions=revloop-source',
      '--import',
      '/g.mjs',
      '--require',
      'x',
    ]);
  });
});
