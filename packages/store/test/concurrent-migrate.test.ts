// Two processes migrating one new SQLite file at the same moment both succeed (issue #27): each
// child imports the store's TypeScript source under tsx, waits for a path on stdin and migrates
// it; the test hands both children the same fresh path at once, ten times.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createInterface } from 'node:readline';
import { openSqliteStore } from '@revloop/store';

const repo = resolve(import.meta.dirname, '../../..');
const storeSource = pathToFileURL(join(repo, 'packages/store/src/index.ts')).href;
const childScript = `
import { createInterface } from 'node:readline';
const { openSqliteStore } = await import(${JSON.stringify(storeSource)});
const lines = createInterface({ input: process.stdin });
process.stdout.write('ready\\n');
for await (const path of lines) {
  let store;
  try {
    store = openSqliteStore({ path });
    const r = await store.migrate();
    process.stdout.write(JSON.stringify({ ok: true, applied: r.applied.length }) + '\\n');
  } catch (e) {
    process.stdout.write(JSON.stringify({ ok: false, error: String(e && e.message || e), at: String(e && e.stack || '').split('\\n').slice(1, 4).join(' | ') }) + '\\n');
  } finally {
    await store?.close();
  }
}
`;

interface Child {
  proc: ChildProcess;
  next(): Promise<string>;
}

function startChild(): Child {
  const { NODE_PATH: _ignored, ...env } = process.env;
  const proc = spawn(
    process.execPath,
    ['--conditions=revloop-source', '--import', pathToFileURL(join(repo, 'node_modules/tsx/dist/loader.mjs')).href, '--import', join(repo, 'test/setup/network-guard-child.mjs'), '--input-type=module', '-e', childScript],
    { cwd: repo, env, stdio: ['pipe', 'pipe', 'inherit'] },
  );
  const queue: string[] = [];
  const waiting: ((line: string) => void)[] = [];
  createInterface({ input: proc.stdout! }).on('line', (line) => (waiting.length ? waiting.shift()!(line) : queue.push(line)));
  // a child that died or hangs fails the test with what it said, not with the test's time limit
  const next = () =>
    queue.length
      ? Promise.resolve(queue.shift()!)
      : new Promise<string>((resolve, reject) => {
          const timer = setTimeout(() => reject(new Error('a migrating child did not answer within 60 s')), 60_000);
          waiting.push((line) => (clearTimeout(timer), resolve(line)));
        });
  return { proc, next };
}

let dir: string;
let children: Child[] = [];
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'revloop-migrate-'));
});
afterAll(() => {
  for (const c of children) c.proc.kill();
  rmSync(dir, { recursive: true, force: true });
});

describe('concurrent migrations', () => {
  it('two processes migrating one new database at once both succeed, and the schema is applied once', async () => {
    children = [startChild(), startChild()];
    for (const c of children) expect(await c.next()).toBe('ready');
    let bothApplied = 0;
    for (let round = 0; round < 10; round++) {
      const path = join(dir, `r${round}.db`);
      for (const c of children) c.proc.stdin!.write(`${path}\n`);
      const answers = (await Promise.all(children.map((c) => c.next()))).map((l) => JSON.parse(l) as { ok: boolean; applied?: number; error?: string });
      expect(answers, `round ${round}`).toEqual([expect.objectContaining({ ok: true }), expect.objectContaining({ ok: true })]);
      // exactly one of the two applied the migrations (the other found them applied)
      const applied = answers.map((a) => a.applied!).sort();
      expect(applied[0]).toBe(0);
      if (applied[1]! > 0) bothApplied++;
      const store = openSqliteStore({ path });
      expect((await store.migrate()).applied).toEqual([]);
      await store.close();
    }
    expect(bothApplied).toBe(10);
  }, 120_000);
});
