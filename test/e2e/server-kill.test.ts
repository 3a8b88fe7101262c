// An acknowledged webhook event is in the store, whatever moment the serve process dies at (#25
// item 10, with group commit): a serve process (test/bench/webhook-server.ts: createServerApp on
// @hono/node-server over a SQLite file) takes signed events from many concurrent senders and is
// killed with SIGKILL while requests are in flight; every event whose request got a 2xx is then
// found in the database. Three kills, at different moments.
import { spawn, type ChildProcess } from 'node:child_process';
import { request, Agent } from 'node:http';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { openSqliteStore } from '@revloop/store';
import { sign } from '../bench/webhook-server.js';
import { tempDir } from './helpers.js';

const repo = resolve(import.meta.dirname, '../..');
const nodeArgs = ['--conditions=revloop-source', '--import', pathToFileURL(join(repo, 'node_modules/tsx/dist/loader.mjs')).href, '--import', join(repo, 'test/setup/network-guard-child.mjs')];

let dir: ReturnType<typeof tempDir> | undefined;
const children: ChildProcess[] = [];
afterEach(() => {
  for (const c of children.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  dir?.cleanup();
  dir = undefined;
});

async function startServer(dbPath: string): Promise<{ child: ChildProcess; port: number }> {
  const child = spawn(process.execPath, [...nodeArgs, join(repo, 'test/bench/webhook-server.ts'), dbPath], { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, METADATA_SERVER_DETECTION: 'none' } });
  children.push(child);
  const port = await new Promise<number>((ok, fail) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /listening (\d+)/.exec(out);
      if (m) ok(Number(m[1]));
    });
    child.once('exit', (code) => fail(new Error(`the server exited with ${code} before listening`)));
  });
  return { child, port };
}

/** POSTs one signed event; true when acknowledged (2xx), false on any other answer or a dropped connection */
function send(port: number, agent: Agent, id: string): Promise<boolean> {
  const body = JSON.stringify([{ id, type: 'page_view', contact: `c${id}`, at: Date.now() }]);
  const ts = Date.now();
  return new Promise((done) => {
    const r = request({ host: '127.0.0.1', port, method: 'POST', path: '/webhooks/pushy/events', agent, headers: { 'content-type': 'application/json', 'x-timestamp': String(ts), 'x-signature': sign(body, ts) } }, (res) => {
      res.resume();
      res.on('end', () => done(!!res.statusCode && res.statusCode < 300));
      res.on('error', () => done(false));
    });
    r.on('error', () => done(false));
    r.end(body);
  });
}

describe('serve: webhooks under SIGKILL', () => {
  it('every acknowledged event is stored when the process is killed while requests are in flight', { timeout: 120_000 }, async () => {
    dir = tempDir('revloop-kill-');
    const dbPath = join(dir.path, 'r.db');
    const acknowledged: string[] = [];
    let unanswered = 0;
    for (const [round, killAfter] of [150, 400, 777].entries()) {
      const { child, port } = await startServer(dbPath);
      const agent = new Agent({ keepAlive: true, maxSockets: 32 });
      const exited = new Promise((r) => child.once('exit', r));
      const inflight = new Set<Promise<void>>();
      let acked = 0;
      let killed = false;
      // 32 requests in flight at all times until the kill, which lands when the killAfter-th
      // answer comes: the others are then mid-way (read, verified, waiting for a group, written)
      for (let i = 0; !killed; i++) {
        const id = `r${round}-${i}`;
        const p: Promise<void> = send(port, agent, id).then((ok) => {
          inflight.delete(p);
          if (!ok) return void unanswered++;
          acknowledged.push(id);
          if (++acked === killAfter) {
            killed = true;
            child.kill('SIGKILL');
          }
        });
        inflight.add(p);
        if (inflight.size >= 32) await Promise.race(inflight);
      }
      await Promise.all([...inflight]);
      await exited;
      agent.destroy();
      expect(child.signalCode).toBe('SIGKILL');
    }
    // the kills cut requests off: the test saw the moments it is about
    expect(unanswered).toBeGreaterThan(0);

    const store = openSqliteStore({ path: dbPath });
    try {
      const stored = new Set((await store.db.selectFrom('external_ids').select('system_id').where('system', '=', 'pushy').where('entity_type', '=', 'signal').execute()).map((r) => r.system_id));
      const lost = acknowledged.filter((id) => !stored.has(id));
      expect(acknowledged.length).toBeGreaterThanOrEqual(150 + 400 + 777);
      expect(lost).toEqual([]);
      expect((await store.db.selectFrom('signals').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n).toBe(stored.size);
    } finally {
      await store.close();
    }
  });
});
