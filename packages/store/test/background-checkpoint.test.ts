// WAL checkpoints in a worker thread (sqlite-checkpointer.ts): the worker copies the WAL into the
// database file while the main connection keeps committing; the main connection's own
// autocheckpoint still rewinds the WAL (bounded under continuous commits); closing the store
// ends the worker before the main connection closes (so that one removes the WAL).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { openSqliteStore, sqlitePragmas } from '@revloop/store';
import { startCheckpointer, type Checkpointer } from '../src/sqlite-checkpointer.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'revloop-ckpt-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const size = (path: string) => (existsSync(path) ? statSync(path).size : 0);
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

function mainConnection(path: string, extra: string[] = []): BetterSqlite3.Database {
  const db = new BetterSqlite3(path);
  for (const pragma of [...sqlitePragmas, ...extra]) db.pragma(pragma);
  db.exec('CREATE TABLE IF NOT EXISTS t (id INTEGER PRIMARY KEY, body BLOB NOT NULL)');
  return db;
}

async function until(check: () => boolean, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not reached');
    await pause(5);
  }
}

/** `n` commits of one ~2 KB row each, yielding to the event loop every 20 */
async function commits(db: BetterSqlite3.Database, n: number): Promise<void> {
  const insert = db.prepare('INSERT INTO t (body) VALUES (?)');
  for (let i = 0; i < n; i++) {
    insert.run(Buffer.alloc(2000, i % 251));
    if (i % 20 === 19) await new Promise((r) => setImmediate(r));
  }
}

describe('background WAL checkpoints', () => {
  it('the worker copies committed pages into the database file while the main connection keeps committing', async () => {
    const run = async (withWorker: boolean) => {
      const path = join(dir, `${withWorker}.db`);
      const db = mainConnection(path);
      const before = size(path);
      const worker = withWorker ? startCheckpointer(path, { intervalMs: 5, rewindFrames: 1e9 }) : undefined;
      await commits(db, 400); // ~1 MB of WAL: far below the main connection's 64 MiB autocheckpoint
      if (worker) await until(() => worker.stats().lastCheckpointed >= worker.stats().lastLog && worker.stats().checkpoints > 2);
      else await pause(100);
      const after = size(path);
      const stats = worker?.stats();
      await worker?.stop();
      db.close();
      return { grew: after - before, stats };
    };
    const without = await run(false);
    const withWorker = await run(true);
    // in WAL mode only a checkpoint writes the database file
    expect(without.grew).toBe(0);
    expect(withWorker.grew).toBeGreaterThan(400 * 2000);
    expect(withWorker.stats!.lastCheckpointed).toBeGreaterThan(0);
    expect(withWorker.stats!.errors).toBe(0);
  });

  it("the WAL stays bounded under continuous commits: the main connection's autocheckpoint rewinds it", async () => {
    /** the WAL file's largest size over 5,000 back-to-back commits (~10 MB appended) */
    const maxWalOf = async (name: string, autocheckpoint: number) => {
      const path = join(dir, name);
      // a 64-page threshold instead of 16,384: the same mechanism in a small file
      const db = mainConnection(path, [`wal_autocheckpoint = ${autocheckpoint}`, 'journal_size_limit = 0']);
      const worker = startCheckpointer(path, { intervalMs: 5, rewindFrames: 1e9 });
      await until(() => worker.stats().checkpoints > 0);
      let maxWal = 0;
      const insert = db.prepare('INSERT INTO t (body) VALUES (?)');
      for (let i = 0; i < 5000; i++) {
        insert.run(Buffer.alloc(2000, i % 251));
        maxWal = Math.max(maxWal, size(`${path}-wal`));
      }
      const { checkpoints } = worker.stats();
      await worker.stop();
      db.close();
      return { maxWal, checkpoints };
    };
    const bounded = await maxWalOf('bounded.db', 64);
    // the control: the worker alone never finds the WAL fully copied with no commit after it, so
    // the WAL is never rewound and grows with every commit
    const workerOnly = await maxWalOf('worker-only.db', 0);
    expect(workerOnly.maxWal).toBeGreaterThan(5000 * 2000);
    expect(bounded.maxWal).toBeLessThan(workerOnly.maxWal / 2);
    expect(bounded.checkpoints).toBeGreaterThan(0);
  });

  it('after a worker checkpoint of a long WAL, the main connection completes it and the WAL is rewound (no autocheckpoint)', async () => {
    /** the WAL file's largest size over 3,000 commits (~6 MB appended), yielding every 20 */
    const maxWalOf = async (name: string, rewind: boolean) => {
      const path = join(dir, name);
      const db = mainConnection(path, ['wal_autocheckpoint = 0', 'journal_size_limit = 0']);
      const worker = startCheckpointer(path, { intervalMs: 5, rewindFrames: rewind ? 64 : 1e9 }, () => db.pragma('wal_checkpoint(PASSIVE)'));
      await until(() => worker.stats().checkpoints > 0);
      let maxWal = 0;
      const insert = db.prepare('INSERT INTO t (body) VALUES (?)');
      for (let i = 0; i < 3000; i++) {
        insert.run(Buffer.alloc(2000, i % 251));
        maxWal = Math.max(maxWal, size(`${path}-wal`));
        if (i % 20 === 19) await new Promise((r) => setTimeout(r, 0));
      }
      await worker.stop();
      db.close();
      return maxWal;
    };
    const rewound = await maxWalOf('rewound.db', true);
    const control = await maxWalOf('never-rewound.db', false);
    expect(control).toBeGreaterThan(3000 * 2000);
    expect(rewound).toBeLessThan(control / 3);
  });

  it('stop() closes the worker connection and ends the thread; a second stop() is harmless', async () => {
    const path = join(dir, 'stop.db');
    const db = mainConnection(path);
    const worker: Checkpointer = startCheckpointer(path, { intervalMs: 5, rewindFrames: 1e9 });
    await until(() => worker.stats().running);
    await commits(db, 50);
    await worker.stop();
    expect(worker.stats().running).toBe(false);
    await worker.stop();
    const checkpoints = worker.stats().checkpoints;
    await commits(db, 50);
    await pause(50);
    expect(worker.stats().checkpoints).toBe(checkpoints);
    db.close();
    // the main connection closed last: it checkpointed and removed the WAL
    expect(existsSync(`${path}-wal`)).toBe(false);
  });

  it("a store's close() ends its worker first, so the store's own close removes the WAL", async () => {
    const path = join(dir, 'store.db');
    const store = openSqliteStore({ path, backgroundCheckpoints: { intervalMs: 5 } });
    await store.migrate();
    await store.insertRows([{ table: 'sync_state', rows: [{ connector: 'c', stream: 's', checkpoint: null, updated_at: 1 }] }]);
    await pause(50);
    expect(existsSync(`${path}-wal`)).toBe(true);
    await store.close();
    // a connection still open in the worker would keep the WAL (only the last connection removes it)
    expect(existsSync(`${path}-wal`)).toBe(false);
    const again = openSqliteStore({ path, backgroundCheckpoints: false });
    expect(await again.db.selectFrom('sync_state').selectAll().execute()).toHaveLength(1);
    await again.close();
  });
});
