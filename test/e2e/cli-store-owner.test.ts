// One owner per SQLite store, through the CLI as child processes: while `revloop serve` runs, a
// `revloop sync` on the same store exits 1 with STORE_BUSY naming serve's pid, and the short
// commands (status, migrate, approvals list) still work; after serve stops, sync works; after
// serve is killed with SIGKILL, a new serve takes over the stale lock.
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CLI_TEST_TIMEOUT_MS, runCli as revloop, startCli } from './cli-child.js';

interface Running {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

const running: ChildProcess[] = [];
let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'revloop-owner-cli-'));
  writeFileSync(join(dir, 'revloop.config.json'), JSON.stringify({ store: { kind: 'sqlite', path: 'revloop.db' }, connectors: { s: { plugin: '@revloop/connector-reference', syntheticContacts: 20, pageSize: 10, streams: ['contacts'] } } }));
});
afterEach(() => {
  for (const c of running.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

function start(args: string[]): Running {
  const child = startCli(dir, args);
  let out = '';
  let err = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (err += d));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((r) => child.on('exit', (code, signal) => r({ code, signal })));
  running.push(child);
  return { child, stdout: () => out, stderr: () => err, exited };
}

// wide: a child compiles the CLI at start, slowly on a busy CI machine
async function serving(serve: Running, timeoutMs = 90_000): Promise<string> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const url = /revloop serving on (http:\/\/127\.0\.0\.1:\d+)/.exec(serve.stdout())?.[1];
    if (url) return url;
    if (serve.child.exitCode !== null) throw new Error(`serve exited with ${serve.child.exitCode}: ${serve.stderr()}`);
    if (performance.now() > deadline) throw new Error(`serve did not start: ${serve.stderr()}`);
    await sleep(25);
  }
}

const lockFile = () => join(dir, 'revloop.db.owner');

describe('one owner per store', { timeout: CLI_TEST_TIMEOUT_MS }, () => {
  it('refuses sync while serve runs (naming its pid), lets the short commands through, and frees the store when serve stops', async () => {
    const serve = start(['serve', '--port', '0']);
    await serving(serve);
    expect(JSON.parse(readFileSync(lockFile(), 'utf8'))).toMatchObject({ pid: serve.child.pid, command: 'serve' });

    const busy = revloop(dir, ['sync']);
    expect(busy.code, busy.stderr).toBe(1);
    expect(busy.stderr).toContain('STORE_BUSY');
    expect(busy.stderr).toContain(`in use by revloop serve (pid ${serve.child.pid} on host`);
    expect(busy.stderr).toMatch(/fix: +stop that process first/);
    const busyJson = revloop(dir, ['sync', '--json']);
    expect(busyJson.code).toBe(1);
    expect(busyJson.json().error).toMatchObject({ code: 'STORE_BUSY', where: 'store.path' });

    // an operator reads and decides through the CLI while serve runs
    for (const args of [['status', '--json'], ['migrate'], ['approvals', 'list', '--json']]) {
      const r = revloop(dir, args);
      expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(0);
    }

    serve.child.kill('SIGTERM');
    expect(await serve.exited, serve.stderr()).toEqual({ code: 0, signal: null });
    expect(existsSync(lockFile())).toBe(false);
    const sync = revloop(dir, ['sync', '--json']);
    expect(sync.code, sync.stderr).toBe(0);
    expect(sync.json().streams[0]).toMatchObject({ stream: 'contacts', status: 'succeeded', written: 20 });
    expect(existsSync(lockFile())).toBe(false); // sync released it at its end
  });

  it('after serve is killed with SIGKILL, a new serve takes over the stale lock', async () => {
    const first = start(['serve', '--port', '0']);
    await serving(first);
    first.child.kill('SIGKILL');
    expect((await first.exited).signal).toBe('SIGKILL');
    expect(JSON.parse(readFileSync(lockFile(), 'utf8')).pid).toBe(first.child.pid); // left behind

    const second = start(['serve', '--port', '0']);
    await serving(second);
    expect(JSON.parse(readFileSync(lockFile(), 'utf8'))).toMatchObject({ pid: second.child.pid, command: 'serve' });
    second.child.kill('SIGTERM');
    expect(await second.exited, second.stderr()).toEqual({ code: 0, signal: null });
    expect(existsSync(lockFile())).toBe(false);
  });
});
