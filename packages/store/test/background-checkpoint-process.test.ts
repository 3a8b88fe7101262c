// The checkpoint worker and a process's life: a process that closes its store, or forgets to,
// still exits on its own (the worker never keeps it alive, and close() is not cut short); a
// process killed (SIGKILL) while it commits and its worker checkpoints leaves a database that
// passes integrity_check and holds every commit it reported.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createInterface } from 'node:readline';
import BetterSqlite3 from 'better-sqlite3';

const repo = resolve(import.meta.dirname, '../../..');
const storeSource = pathToFileURL(join(repo, 'packages/store/src/index.ts')).href;

/** a child process running `body` (ES module source) with the store's sources under tsx */
function child(body: string, path: string) {
  const script = `const { openSqliteStore } = await import(${JSON.stringify(storeSource)});\nconst path = ${JSON.stringify(path)};\n${body}`;
  const proc = spawn(process.execPath, ['--conditions=revloop-source', '--import', pathToFileURL(join(repo, 'node_modules/tsx/dist/loader.mjs')).href, '--input-type=module', '-e', script], {
    cwd: repo,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  proc.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const exit = new Promise<{ code: number | null; signal: string | null; stderr: string }>((done) => proc.once('exit', (code, signal) => done({ code, signal, stderr })));
  return { proc, exit, lines: createInterface({ input: proc.stdout! }) };
}

const withinMs = <T,>(p: Promise<T>, ms: number) =>
  Promise.race([p, new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`the child process did not exit within ${ms} ms`)), ms))]);

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'revloop-ckpt-proc-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const writeSome = `
const store = openSqliteStore({ path, backgroundCheckpoints: { intervalMs: 5 } });
await store.migrate();
for (let i = 0; i < 50; i++) await store.insertRows([{ table: 'sync_state', rows: [{ connector: 'c', stream: 's' + i, checkpoint: null, updated_at: i }] }]);
await new Promise((r) => setTimeout(r, 50));
`;

describe('the checkpoint worker and the process', () => {
  it('a process that closes its store exits with code 0 once close() is done (the WAL removed)', async () => {
    const path = join(dir, 'closed.db');
    const { exit } = child(`${writeSome}\nawait store.close();\nprocess.stdout.write('closed\\n');`, path);
    const r = await withinMs(exit, 30_000);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(existsSync(`${path}-wal`)).toBe(false);
  });

  it('a process that never closes its store still exits on its own', async () => {
    const path = join(dir, 'open.db');
    const { exit } = child(writeSome, path);
    const r = await withinMs(exit, 30_000);
    expect(r.code).toBe(0);
    const db = new BetterSqlite3(path);
    expect(db.prepare('SELECT count(*) AS n FROM sync_state').get()).toEqual({ n: 50 });
    db.close();
  });

  it('SIGKILL while committing and checkpointing leaves a consistent database with every reported commit', async () => {
    const path = join(dir, 'killed.db');
    const { proc, exit, lines } = child(
      `
const store = openSqliteStore({ path, backgroundCheckpoints: { intervalMs: 1 } });
await store.migrate();
process.stdout.write('ready\\n');
for (let i = 0; ; i++) {
  const rows = Array.from({ length: 20 }, (_, k) => ({ connector: 'c', stream: i + '-' + k, checkpoint: 'x'.repeat(500), updated_at: i }));
  await store.insertRows([{ table: 'sync_state', rows }]);
  process.stdout.write('committed ' + i + '\\n');
}`,
      path,
    );
    let committed = -1;
    await new Promise<void>((done) => {
      lines.on('line', (line) => {
        const m = /committed (\d+)/.exec(line);
        if (!m) return;
        committed = Number(m[1]);
        // kill it in the middle of the load: a few hundred commits in, the worker checkpointing all along
        if (committed === 300) {
          proc.kill('SIGKILL');
          done();
        }
      });
      void exit.then(() => done());
    });
    const r = await withinMs(exit, 30_000);
    expect(r.signal).toBe('SIGKILL');
    const db = new BetterSqlite3(path);
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    const { n } = db.prepare('SELECT count(*) AS n FROM sync_state').get() as { n: number };
    // every commit reported before the kill is there (and whole: 20 rows each)
    expect(n).toBeGreaterThanOrEqual((committed + 1) * 20);
    expect(n % 20).toBe(0);
    db.close();
  });
});
