// The CLI's first hour (#25): what a new user meets in an empty folder. Each test runs
// apps/cli/src/bin.ts as a child process (tsx, revloop-source, the network guard).
import { spawnSync } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readRawConfig } from '@revloop/core';
import { CLI_TEST_TIMEOUT_MS, runCli as revloop, startCli } from './cli-child.js';

const repo = resolve(import.meta.dirname, '../..');
/** a PATH with node and the system's tools, and no revloop on it */
const plainPath = [dirname(process.execPath), '/usr/local/bin', '/usr/bin', '/bin'].join(':');

/** a started command: waits for a line of its stdout, then stops it with SIGTERM */
async function startAndStop(cwd: string, args: string[], ready: (stdout: string) => boolean): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = startCli(cwd, args);
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d) => (stdout += d));
  child.stderr!.on('data', (d) => (stderr += d));
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  try {
    const deadline = performance.now() + 150_000;
    while (!ready(stdout)) {
      if (child.exitCode !== null || performance.now() > deadline) throw new Error(`revloop ${args.join(' ')} did not get ready; stderr:\n${stderr}`);
      await sleep(50);
    }
    child.kill('SIGTERM');
    return { code: await exited, stdout, stderr };
  } finally {
    if (child.exitCode === null) child.kill('SIGKILL');
  }
}

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'revloop-first-hour-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('usage errors say what is allowed', { timeout: CLI_TEST_TIMEOUT_MS }, () => {
  it('an unknown command with --help is an unknown command (exit 2), not the main help', () => {
    const costs = revloop(dir, ['costs', '--help']);
    expect(costs.code).toBe(2);
    expect(costs.stdout).toBe('');
    expect(costs.stderr).toMatch(/unknown command 'costs'/);
    expect(costs.stderr).toMatch(/revloop --help/);
    const typo = revloop(dir, ['-c', 'x.yaml', 'stauts', '-h']);
    expect(typo.code).toBe(2);
    expect(typo.stderr).toMatch(/unknown command 'stauts' \(did you mean 'status'\?\)/);
    const sub = revloop(dir, ['approvals', 'lst', '--help']);
    expect(sub.code).toBe(2);
    expect(sub.stderr).toMatch(/unknown command 'lst' for 'revloop approvals' \(did you mean 'list'\?\)/);
    expect(revloop(dir, ['help', 'costs']).code).toBe(2);
    // known commands keep their help
    const help = revloop(dir, ['approvals', 'list', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/Usage: revloop approvals list/);
  });

  it('a negative --days or --seed says the allowed range', () => {
    const days = revloop(dir, ['run', '--days', '-5']);
    expect(days.code).toBe(2);
    expect(days.stderr).toMatch(/--days must be a whole number from 1 to 90 \(the scenario's length\), not "-5"/);
    const seed = revloop(dir, ['run', '--seed', '-1']);
    expect(seed.code).toBe(2);
    expect(seed.stderr).toMatch(/--seed must be a whole number from 0 to 4294967295, not "-1"/);
    const perDay = revloop(dir, ['run', '--actions-per-day', '2.5']);
    expect(perDay.code).toBe(2);
    expect(perDay.stderr).toMatch(/--actions-per-day must be a whole number of 0 or more, not "2.5"/);
  });
});

describe('calling revloop from any folder', { timeout: CLI_TEST_TIMEOUT_MS }, () => {
  it("init's next steps name a revloop that runs here: the clone's bin/revloop, or plain `revloop` once that is on PATH", () => {
    const bin = join(repo, 'bin', 'revloop');
    const init = revloop(dir, ['init'], { PATH: plainPath });
    expect(init.code, init.stderr).toBe(0);
    expect(init.stdout).toContain(`next: ${bin} check && ${bin} sync`);
    expect(init.stdout).toContain(`ln -s ${bin} ~/.local/bin/revloop`);
    // the printed command works from this folder (it runs the built CLI)
    const version = spawnSync(bin, ['--version'], { cwd: dir, encoding: 'utf8', env: { ...process.env, PATH: plainPath } });
    expect(version.status, version.stderr).toBe(0);
    expect(version.stdout.trim()).toBe('0.1.0');

    // with bin/revloop linked into a folder on PATH (as the README says), the steps say `revloop`
    const onPath = join(dir, 'on-path');
    mkdirSync(onPath);
    symlinkSync(bin, join(onPath, 'revloop'));
    const again = revloop(dir, ['init', '--force'], { PATH: `${onPath}:${plainPath}` });
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toContain('next: revloop check && revloop sync');
    expect(again.stdout).not.toContain('ln -s');
    const linked = spawnSync('revloop', ['--version'], { cwd: dir, encoding: 'utf8', env: { ...process.env, PATH: `${onPath}:${plainPath}` } });
    expect(linked.status, linked.stderr).toBe(0);
  });
});

describe('init and check as the docs say', { timeout: CLI_TEST_TIMEOUT_MS }, () => {
  it("the starter has the keys and docs paths the docs say, from the user's folder; check creates no database", async () => {
    expect(revloop(dir, ['init']).code).toBe(0);
    const text = readFileSync(join(dir, 'revloop.config.ts'), 'utf8');
    const docs = [...text.matchAll(/(?:Docs:|action input:) (\S+)/g)].map((m) => m[1]!);
    expect(docs.length).toBeGreaterThanOrEqual(3);
    // absolute: a relative docs path means nothing in the user's folder
    for (const doc of docs) expect(isAbsolute(doc) && existsSync(doc), `${doc} (named in the starter config)`).toBe(true);
    expect(text).not.toMatch(/import \{ env \}/); // an import that fails where @revloop/core is not installed
    // the file has the keys apps/cli/README.md says it has (TS and YAML alike)
    const readme = readFileSync(join(repo, 'apps/cli/README.md'), 'utf8');
    const documented = [.../<!-- starter-keys -->(.*)<!-- \/starter-keys -->/.exec(readme)![1]!.matchAll(/`(\w+)`/g)].map((m) => m[1]);
    expect(Object.keys((await readRawConfig(join(dir, 'revloop.config.ts'))) as object)).toEqual(documented);
    expect(revloop(dir, ['init', '--force', '--format', 'yaml']).code).toBe(0);
    expect(Object.keys((await readRawConfig(join(dir, 'revloop.config.yaml'))) as object)).toEqual(documented);
    rmSync(join(dir, 'revloop.config.yaml'));

    const check = revloop(dir, ['check']);
    expect(check.code, check.stderr).toBe(0);
    expect(check.stdout).toMatch(/sample\s+ok/);
    expect(check.stdout).toContain(`store ${join(dir, '.revloop/revloop.db')}: not created yet`);
    expect(existsSync(join(dir, '.revloop'))).toBe(false);
    // an existing store is used (and kept)
    expect(revloop(dir, ['migrate']).code).toBe(0);
    const again = revloop(dir, ['check']);
    expect(again.code).toBe(0);
    expect(again.stdout).not.toContain('not created yet');
  });
});

describe("the config's sandbox market", { timeout: CLI_TEST_TIMEOUT_MS }, () => {
  it("quickstart runs the config's sandbox market (seed, scenario) and keeps its report beside earlier ones", () => {
    expect(revloop(dir, ['init', '--format', 'yaml']).code).toBe(0);
    // a generated market (385 accounts) keeps the run short; seed 7 replaces its own
    appendFileSync(join(dir, 'revloop.config.yaml'), '\nsandbox:\n  scenario: gen:12\n  seed: 7\n');
    // reports of earlier runs, under the names a run would take: both stay as they are
    mkdirSync(join(dir, 'reports'));
    for (const name of ['run-seed7.html', 'run-seed42.html']) writeFileSync(join(dir, 'reports', name), 'an earlier report');
    const r = revloop(dir, ['quickstart', '--days', '1', '--no-progress']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/closed loop|rules baseline/);
    const path = /report: (\S+\.html)/.exec(r.stdout)?.[1];
    expect(path).toMatch(new RegExp(`^${join(dir, 'reports')}/quickstart-\\d{4}-\\d\\d-\\d\\dT\\d\\d-\\d\\d-\\d\\dZ-seed7\\.html$`));
    expect(readFileSync(path!, 'utf8')).toMatch(/<html/i);
    for (const name of ['run-seed7.html', 'run-seed42.html']) expect(readFileSync(join(dir, 'reports', name), 'utf8')).toBe('an earlier report');
    // the run's store is the market of seed 7
    expect(existsSync(join(dir, '.revloop/run-seed7.db'))).toBe(true);
    expect(existsSync(join(dir, '.revloop/run-seed42.db'))).toBe(false);
  });

  it('sandbox starts the market of sandbox.seed unless --seed says otherwise', async () => {
    appendFileSync(join(dir, 'revloop.config.json'), JSON.stringify({ sandbox: { seed: 7 } }));
    const parsed = (s: string) => {
      try {
        return JSON.parse(s) as { seed: number };
      } catch {
        return undefined;
      }
    };
    const fromConfig = await startAndStop(dir, ['sandbox', '--json'], (out) => !!parsed(out));
    expect(fromConfig.code, fromConfig.stderr).toBe(0);
    expect(parsed(fromConfig.stdout)!.seed).toBe(7);
    const fromFlag = await startAndStop(dir, ['sandbox', '--json', '--seed', '11'], (out) => !!parsed(out));
    expect(parsed(fromFlag.stdout)!.seed).toBe(11);
  });
});

describe('serve talks to a person in text', { timeout: CLI_TEST_TIMEOUT_MS }, () => {
  it('no raw JSON log line among its lines, from start (migrations) to shutdown', async () => {
    expect(revloop(dir, ['init']).code).toBe(0);
    const r = await startAndStop(dir, ['serve', '--port', '0'], (out) => /revloop serving on/.test(out));
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/store: \d+ migrations? applied/);
    expect(r.stderr).toMatch(/SIGTERM: stopping/);
    expect(r.stderr.split('\n').filter((l) => l.trimStart().startsWith('{'))).toEqual([]);
  });
});
