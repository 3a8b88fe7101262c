// One owner per SQLite store: the lock file beside the database refuses a second owner naming the
// holder, is taken over when its process is dead, and is removed on release only when still ours.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { acquireStoreOwner, CORRUPT_LOCK_GRACE_MS, parseConfig, RevloopError, type StoreOwner } from '../src/index.js';

let dir: string;
const owners: StoreOwner[] = [];
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'revloop-owner-'));
});
afterEach(() => {
  for (const o of owners.splice(0)) o.release();
  rmSync(dir, { recursive: true, force: true });
});

const configAt = (path: string) => parseConfig({ store: { kind: 'sqlite', path } }, { baseDir: dir, env: {} }).config;

async function acquire(path: string, command: string): Promise<StoreOwner> {
  const owner = await acquireStoreOwner(configAt(path), command);
  expect(owner).toBeDefined();
  owners.push(owner!);
  return owner!;
}

async function refusal(path: string, command: string): Promise<RevloopError> {
  const e = await acquireStoreOwner(configAt(path), command).then(
    () => undefined,
    (x: unknown) => x,
  );
  expect(e).toBeInstanceOf(RevloopError);
  return e as RevloopError;
}

/** the pid of a process that has exited */
function deadPid(): number {
  const r = spawnSync(process.execPath, ['-e', '']);
  expect(r.status).toBe(0);
  return r.pid!;
}

describe('acquireStoreOwner', () => {
  it('writes <db>.owner (mode 0600) naming the holder, and refuses a second owner naming pid, command, host and start', async () => {
    const owner = await acquire('data/r.db', 'serve');
    const lock = join(dir, 'data/r.db.owner');
    expect(owner.path).toBe(lock);
    expect(JSON.parse(readFileSync(lock, 'utf8'))).toMatchObject({ pid: process.pid, host: hostname(), command: 'serve', startedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) });
    if (process.platform !== 'win32') expect(statSync(lock).mode & 0o777).toBe(0o600);

    const e = await refusal('data/r.db', 'sync');
    expect(e.code).toBe('STORE_BUSY');
    expect(e.exitCode).toBe(1);
    expect(e.where).toBe('store.path');
    expect(e.message).toContain(join(dir, 'data/r.db'));
    expect(e.message).toMatch(new RegExp(`in use by revloop serve \\(pid ${process.pid} on host .+ since \\d{4}-`));
    expect(e.fix).toMatch(/stop that process first/);

    owner.release();
    expect(existsSync(lock)).toBe(false);
    (await acquire('data/r.db', 'sync')).release(); // free again
  });

  it('takes over a stale lock whose process is dead', async () => {
    const lock = join(dir, 'r.db.owner');
    const pid = deadPid();
    writeFileSync(lock, JSON.stringify({ pid, host: hostname(), command: 'serve', startedAt: '2020-01-01T00:00:00.000Z' }));
    await acquire('r.db', 'serve');
    expect(JSON.parse(readFileSync(lock, 'utf8'))).toMatchObject({ pid: process.pid, command: 'serve' });
  });

  it('refuses a lock held by a live process of this host, and one of another host (it cannot tell)', async () => {
    const lock = join(dir, 'r.db.owner');
    writeFileSync(lock, JSON.stringify({ pid: process.ppid, host: hostname(), command: 'sync', startedAt: '2020-01-01T00:00:00.000Z' }));
    expect((await refusal('r.db', 'serve')).message).toContain(`revloop sync (pid ${process.ppid} on host ${hostname()}`);
    writeFileSync(lock, JSON.stringify({ pid: deadPid(), host: 'elsewhere.example', command: 'serve', startedAt: '2020-01-01T00:00:00.000Z' }));
    const e = await refusal('r.db', 'serve');
    expect(e.message).toContain('on host elsewhere.example');
    expect(e.fix).toContain(lock);
  });

  it('an unreadable lock file is refused while fresh, taken over once older than the grace period', async () => {
    const lock = join(dir, 'r.db.owner');
    writeFileSync(lock, '{"pid":');
    expect((await refusal('r.db', 'sync')).code).toBe('STORE_BUSY');
    const old = (Date.now() - CORRUPT_LOCK_GRACE_MS - 5_000) / 1000;
    utimesSync(lock, old, old);
    await acquire('r.db', 'sync');
    expect(JSON.parse(readFileSync(lock, 'utf8')).pid).toBe(process.pid);
  });

  it('release removes only its own lock', async () => {
    const owner = await acquire('r.db', 'serve');
    const lock = owner.path;
    // someone else's lock replaced ours (e.g. deleted by hand, then another process took the store)
    const theirs = JSON.stringify({ pid: process.ppid, host: hostname(), command: 'sync', startedAt: '2020-01-01T00:00:00.000Z' });
    writeFileSync(lock, theirs);
    owner.release();
    expect(readFileSync(lock, 'utf8')).toBe(theirs);
  });

  it('needs no owner for an in-memory database or Postgres', async () => {
    expect(await acquireStoreOwner(configAt(':memory:'), 'serve')).toBeUndefined();
    const pg = parseConfig({ store: { kind: 'postgres', url: 'postgres://127.0.0.1/x' } }, { env: {} }).config;
    expect(await acquireStoreOwner(pg, 'serve')).toBeUndefined();
  });

  it('the exit handler releases the lock of a process that ends without calling release', () => {
    const db = join(dir, 'exit.db');
    const script = [
      `import { existsSync } from 'node:fs';`,
      `const { acquireStoreOwner, parseConfig } = await import(${JSON.stringify(new URL('../src/index.ts', import.meta.url).href)});`,
      `await acquireStoreOwner(parseConfig({ store: { kind: 'sqlite', path: ${JSON.stringify(db)} } }, { env: {} }).config, 'sync');`,
      `console.log(existsSync(${JSON.stringify(`${db}.owner`)}));`,
      'process.exit(0);',
    ].join('\n');
    const r = spawnSync(process.execPath, ['--conditions=revloop-source', '--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.stdout.trim()).toBe('true');
    expect(existsSync(`${db}.owner`)).toBe(false);
  });
});
