// The long-running and interrupted paths of the `revloop` CLI, as child processes: `serve` on
// port 0 (healthz, a scheduled sync, SIGTERM → exit 0), SIGTERM during a sync (exit 1,
// interrupted, checkpoint kept) and SIGKILL during a sync then resume (same rows as an
// uninterrupted sync).
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SYNC_GROUP_RECORDS } from '@revloop/core';
import { CLI_TEST_TIMEOUT_MS, runCli as revloop, startCli } from './cli-child.js';

interface Running {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

function start(cwd: string, args: string[]): Running {
  const child = startCli(cwd, args);
  let out = '';
  let err = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (err += d));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((r) => child.on('exit', (code, signal) => r({ code, signal })));
  running.push(child);
  return { child, stdout: () => out, stderr: () => err, exited };
}

// the default wait is wide: a child compiles the CLI at start, slowly on a busy 2-core CI machine
async function until<T>(what: string, probe: () => T | undefined, timeoutMs = 90_000): Promise<T> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    let value: T | undefined;
    try {
      value = probe();
    } catch {
      value = undefined; // the database or its tables may not exist yet
    }
    if (value !== undefined && value !== null && (value as unknown) !== false) return value;
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(25);
  }
}

function query<T>(db: string, sql: string): T[] {
  const conn = new Database(db, { readonly: true, fileMustExist: true });
  try {
    return conn.prepare(sql).all() as T[];
  } finally {
    conn.close();
  }
}

const running: ChildProcess[] = [];
let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'revloop-cli-'));
});
afterEach(() => {
  for (const c of running.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

function syntheticConfig(folder: string, contacts: number, pageSize: number, extra: object = {}): string {
  mkdirSync(folder, { recursive: true });
  writeFileSync(join(folder, 'revloop.config.json'), JSON.stringify({ store: { kind: 'sqlite', path: 'revloop.db' }, connectors: { s: { plugin: '@revloop/connector-reference', syntheticContacts: contacts, pageSize, streams: ['contacts'] } }, ...extra }));
  return join(folder, 'revloop.db');
}

const checkpointOf = (db: string) => query<{ checkpoint: string }>(db, "select checkpoint from sync_state where connector = 's' and stream = 'contacts'")[0]?.checkpoint;
const contactRows = (db: string) => query<Record<string, unknown>>(db, 'select id, email, first_name, last_name, title, account_id, deleted from contacts order by id');

describe('revloop serve', { timeout: CLI_TEST_TIMEOUT_MS }, () => {
  it('serves /healthz on port 0, runs the scheduled sync, and stops on SIGTERM with exit 0', async () => {
    const db = syntheticConfig(dir, 40, 10, { schedules: [{ name: 'every-second', cron: '* * * * * *', job: 'sync', connector: 's' }] });
    const serve = start(dir, ['serve', '--port', '0']);
    const url = await until('the serving line', () => /revloop serving on (http:\/\/127\.0\.0\.1:\d+)/.exec(serve.stdout())?.[1]);
    const health = await fetch(`${url}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ ok: true, store: 'sqlite' });
    expect((await fetch(`${url}/webhooks/s/nope`, { method: 'POST', body: '{}' })).status).toBe(404);
    // the cron schedule runs the sync inside the server process
    await until('the scheduled sync', () => (query<{ n: number }>(db, 'select count(*) as n from contacts')[0]!.n === 40 ? true : undefined));
    serve.child.kill('SIGTERM');
    const exit = await serve.exited;
    expect(exit, serve.stderr()).toEqual({ code: 0, signal: null });
    expect(serve.stderr()).toMatch(/SIGTERM: stopping/);
    await expect(fetch(`${url}/healthz`)).rejects.toThrow();
  });
});

describe('an interrupted sync', { timeout: CLI_TEST_TIMEOUT_MS }, () => {
  it('SIGTERM stops after the current batch: exit 1, status interrupted, checkpoint kept; the next sync resumes', async () => {
    // five commit groups: with one, a fast machine commits the whole sync at once and the first
    // checkpoint comes too late to interrupt it
    const contacts = 5 * SYNC_GROUP_RECORDS;
    const db = syntheticConfig(dir, contacts, 2);
    const sync = start(dir, ['sync', '--json']);
    await until('the first checkpoint', () => checkpointOf(db));
    sync.child.kill('SIGTERM');
    const exit = await sync.exited;
    expect(exit.code, sync.stderr()).toBe(1);
    const report = JSON.parse(sync.stdout());
    expect(report).toMatchObject({ ok: false, interrupted: true, streams: [{ stream: 'contacts', status: 'interrupted' }] });
    const stored = contactRows(db).length;
    expect(stored).toBe(report.streams[0].written);
    expect(stored).toBeLessThan(contacts);
    // the checkpoint is the last stored record
    expect(JSON.parse(checkpointOf(db)!).id).toBe(`c${String(stored - 1).padStart(9, '0')}`);

    const resumed = revloop(dir, ['sync', '--json']);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.json().streams[0].read).toBe(contacts - stored);
    expect(contactRows(db)).toHaveLength(contacts);
  });

  it('SIGKILL mid-sync, then sync again: the rows equal those of an uninterrupted sync', async () => {
    const N = 20_000;
    const db = syntheticConfig(dir, N, 2);
    const sync = start(dir, ['sync']);
    await until('the first checkpoint', () => checkpointOf(db));
    sync.child.kill('SIGKILL');
    expect((await sync.exited).signal).toBe('SIGKILL');
    const before = contactRows(db).length;
    expect(before).toBeLessThan(N);

    const resumed = revloop(dir, ['sync', '--json']);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.json().streams[0].read).toBe(N - before);
    const status = revloop(dir, ['status', '--json']).json();
    // the run the killed process left 'running' is marked interrupted
    expect(status.runs.map((r: { status: string }) => r.status)).toEqual(['succeeded', 'interrupted']);

    const reference = syntheticConfig(join(dir, 'reference'), N, 500);
    expect(revloop(join(dir, 'reference'), ['sync']).code).toBe(0);
    expect(existsSync(reference)).toBe(true);
    expect(contactRows(db)).toEqual(contactRows(reference));
  });
});
