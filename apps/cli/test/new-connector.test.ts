// `revloop new connector NAME` writes a package that passes its own conformance test as
// generated: scaffolded inside the workspace (so that it resolves the workspace's packages),
// typechecked, and run with vitest in a child process.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { newConnector, workspaceRoot } from '../src/commands/new-connector.js';

const root = workspaceRoot(process.cwd());
const name = `zz-scaffold-${process.pid}`;
const dir = join(root, 'connectors', name);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function sourceFiles(folder: string): string[] {
  return readdirSync(folder).flatMap((f) => (statSync(join(folder, f)).isDirectory() ? sourceFiles(join(folder, f)) : [join(folder, f)]));
}

/** lines of code: not blank, not a comment */
const codeLines = (text: string) => text.split('\n').filter((l) => l.trim() && !/^\s*(\/\/|\/\*\*?|\*)/.test(l)).length;

describe('revloop new connector', () => {
  it('scaffolds a package that typechecks and passes its conformance test as generated', () => {
    const result = newConnector(name, { root });
    expect(result.dir).toBe(dir);
    for (const f of ['package.json', 'tsconfig.json', 'tsup.config.ts', 'src/config.ts', 'src/client.ts', 'src/streams/contacts.ts', 'src/index.ts', 'test/conformance.test.ts', 'README.md', 'BEHAVIOR.md']) {
      expect(existsSync(join(dir, f)), f).toBe(true);
    }
    expect(readFileSync(join(dir, 'src/config.ts'), 'utf8')).toMatch(/apiKey: secret\(\)/);
    expect(readFileSync(join(dir, 'src/streams/contacts.ts'), 'utf8')).toMatch(/cursorPages\(/);

    // the author's own code, field mapping included: within the 100-line target
    const lines = sourceFiles(join(dir, 'src')).reduce((n, f) => n + codeLines(readFileSync(f, 'utf8')), 0);
    expect(lines).toBeLessThanOrEqual(100);

    execFileSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', join(dir, 'tsconfig.json'), '--noEmit'], { cwd: root, stdio: 'pipe' });

    const run = spawnSync(process.execPath, [join(root, 'node_modules/vitest/vitest.mjs'), 'run', relative(root, dir)], { cwd: root, encoding: 'utf8', env: { ...process.env, FORCE_COLOR: '0', NO_COLOR: '1' } });
    const output = `${run.stdout}\n${run.stderr}`;
    expect(run.status, output.slice(-3000)).toBe(0);
    expect(output).toMatch(/Tests\s+\d+ passed/);
    expect(output).not.toMatch(/failed/);
  }, 240_000);

  it('refuses a bad name and an existing folder, saying how to fix it', () => {
    expect(() => newConnector('Acme CRM', { root })).toThrow(/not a connector name/);
    expect(() => newConnector('reference', { root })).toThrow(/already exists/);
  });
});
