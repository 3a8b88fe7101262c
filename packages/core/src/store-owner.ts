// One owner per SQLite store: a long-running or writing command (serve, sync) holds a lock file
// beside the database (`<db path>.owner`) so that a second one on the same store is refused with
// the holder's command, pid, host and start time. A lock whose process died (kill -9) is stale and
// taken over. Short commands (status, approvals, migrate, check) do not call this.
// Wall time is fine here: the start time is lock bookkeeping, not logic.
import { closeSync, mkdirSync, openSync, readFileSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { dirname } from 'node:path';
import { RevloopError, errorMessage } from './errors.js';
import type { RevloopConfig } from './config/schema.js';
import { isAlive } from './process-alive.js';

export interface StoreOwner {
  /** the lock file */
  readonly path: string;
  /** removes the lock file if it is still ours; safe to call twice */
  release(): void;
}

interface Holder {
  pid: number;
  host: string;
  command: string;
  startedAt: string;
}

/** a lock file that cannot be read as a holder is taken over only after this long (it may be being written) */
export const CORRUPT_LOCK_GRACE_MS = 60_000;

/** lock files this process holds: a second acquire in the same process is refused too */
const held = new Set<string>();

export function storeOwnerPath(config: RevloopConfig): string | undefined {
  const store = config.store;
  if (store.kind !== 'sqlite') return undefined;
  if (store.path === ':memory:' || store.path.startsWith('file::memory:')) return undefined;
  return `${store.path}.owner`;
}

/**
 * Take the store for `command`. Returns undefined when the store needs no owner (Postgres, or an
 * in-memory SQLite database). Throws STORE_BUSY naming the holder when another live process has it.
 */
export async function acquireStoreOwner(config: RevloopConfig, command: string): Promise<StoreOwner | undefined> {
  const path = storeOwnerPath(config);
  if (!path) return undefined;
  mkdirSync(dirname(path), { recursive: true });
  const me: Holder = { pid: process.pid, host: hostname(), command, startedAt: new Date().toISOString() };
  let tookOverStale = false;
  for (let attempt = 0; attempt < 5; attempt++) {
    if (tryCreate(path, me)) return ownerOf(path, me);
    const seen = readLock(path);
    if (seen === 'gone') continue; // released between our two calls: try again
    if (!tookOverStale && isStale(path, seen)) {
      tookOverStale = true; // once: a lock that comes back at once belongs to a live process
      removeIfUnchanged(path, seen);
      continue;
    }
    throw busy(path, seen);
  }
  throw new RevloopError('STORE_BUSY', `the store ${storeOf(path)} changed owners several times while this command tried to take it`, {
    where: 'store.path',
    fix: 'another revloop process is starting or stopping on this store: stop it first, or retry',
    kind: 'failure',
  });
}

function tryCreate(path: string, me: Holder): boolean {
  let fd: number;
  try {
    fd = openSync(path, 'wx', 0o600);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw new RevloopError('STORE_OWNER_FAILED', `cannot create the store's lock file ${path}: ${errorMessage(e)}`, {
      where: 'store.path',
      fix: 'make the folder of the database writable for this user',
      kind: 'failure',
      cause: e,
    });
  }
  try {
    writeSync(fd, JSON.stringify(me));
  } finally {
    closeSync(fd);
  }
  return true;
}

type Seen = { holder: Holder; raw: string } | { holder: undefined; raw: string; ageMs: number } | 'gone';

function readLock(path: string): Seen {
  let raw: string;
  let ageMs: number;
  try {
    raw = readFileSync(path, 'utf8');
    ageMs = Date.now() - statSync(path).mtimeMs;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return 'gone';
    throw e;
  }
  const holder = parseHolder(raw);
  return holder ? { holder, raw } : { holder: undefined, raw, ageMs };
}

function parseHolder(raw: string): Holder | undefined {
  try {
    const v = JSON.parse(raw) as Partial<Holder>;
    if (Number.isInteger(v.pid) && typeof v.host === 'string' && typeof v.command === 'string' && typeof v.startedAt === 'string') return v as Holder;
  } catch {
    // corrupt: the caller decides by the file's age
  }
  return undefined;
}

function isStale(path: string, seen: Exclude<Seen, 'gone'>): boolean {
  if (!seen.holder) return seen.ageMs > CORRUPT_LOCK_GRACE_MS;
  const { pid, host } = seen.holder;
  if (host !== hostname()) return false; // another machine's process: we cannot tell
  // our own pid in a lock this process does not hold: an earlier process with the same pid (a container's pid 1)
  if (pid === process.pid) return !held.has(path);
  return !isAlive(pid);
}

/** remove a stale lock unless another process replaced it meanwhile */
function removeIfUnchanged(path: string, seen: Exclude<Seen, 'gone'>): void {
  try {
    if (readFileSync(path, 'utf8') === seen.raw) unlinkSync(path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
}

function busy(path: string, seen: Exclude<Seen, 'gone'>): RevloopError {
  const h = seen.holder;
  const message = h
    ? `the store ${storeOf(path)} is in use by revloop ${h.command} (pid ${h.pid} on host ${h.host} since ${h.startedAt})`
    : `the store ${storeOf(path)} is in use: its lock file ${path} is being written or unreadable`;
  const fix = h && h.host !== hostname()
    ? `stop that process first (or point this command at another store with --config); if it no longer runs on ${h.host}, delete ${path}`
    : h
      ? 'stop that process first (or point this command at another store with --config)'
      : `wait a minute and retry; if no revloop process uses the store, delete ${path}`;
  return new RevloopError('STORE_BUSY', message, { where: 'store.path', fix, kind: 'failure' });
}

const storeOf = (lockPath: string) => lockPath.slice(0, -'.owner'.length);

function ownerOf(path: string, me: Holder): StoreOwner {
  held.add(path);
  let released = false;
  const release = () => {
    if (released) return;
    released = true;
    held.delete(path);
    process.off('exit', release);
    try {
      const current = parseHolder(readFileSync(path, 'utf8'));
      if (current && current.pid === me.pid && current.host === me.host && current.startedAt === me.startedAt) unlinkSync(path);
    } catch {
      // already gone, or unreadable: not ours to remove
    }
  };
  // a normal exit (process.exit included) never leaves the lock behind
  process.on('exit', release);
  return { path, release };
}
