// Issue #27, the approve-vs-serve race: `revloop approvals approve` executes a decision from the
// CLI while a `serve` run starts and resumes every execution it finds in progress. Before the
// claim (packages/core/src/workflow/execution-claim.ts) both processes called the vendor: serve's
// look first (reconcile) found nothing because the CLI's write had not landed yet. Two processes
// on one SQLite file; the vendor holds the CLI's write (not applied) until serve has run cycles.
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { createRuntime, listApprovals, parseConfig, runWorkflow, SimulatedClock } from '@revloop/core';
import { tempDir } from './helpers.js';
import { T0, config, seed } from './workflow-fixtures.js';

const repo = resolve(import.meta.dirname, '../..');
const nodeArgs = ['--conditions=revloop-source', '--import', pathToFileURL(join(repo, 'node_modules/tsx/dist/loader.mjs')).href, '--import', join(repo, 'test/setup/network-guard-child.mjs')];
const childScript = join(import.meta.dirname, 'approve-serve-race-child.ts');

/** a CRM whose writes land when it answers them: the first write is held (invisible to a lookup) until release() */
function startVendor() {
  const applied = new Map<string, number>();
  const posts: { key: string; by: string }[] = [];
  let releaseHeld: () => void = () => {};
  const held = new Promise<void>((r) => (releaseHeld = r));
  let holding = true;
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', async () => {
      if (req.method === 'GET') {
        const key = decodeURIComponent(req.url!.split('/').pop()!);
        res.end(JSON.stringify(applied.has(key) ? { found: true, result: { id: `W-${key}` } } : { found: false }));
        return;
      }
      const { key, by } = JSON.parse(body) as { key: string; by: string };
      posts.push({ key, by });
      if (holding && posts.length === 1) await held;
      applied.set(key, (applied.get(key) ?? 0) + 1);
      res.end(JSON.stringify({ id: `W-${key}` }));
    });
  });
  return {
    applied,
    posts,
    release: () => {
      holding = false;
      releaseHeld();
    },
    start: () => new Promise<string>((r) => server.listen(0, '127.0.0.1', () => r(`http://127.0.0.1:${(server.address() as AddressInfo).port}`))),
    stop: () => new Promise<void>((r) => server.close(() => r())),
  };
}

function child(args: string[], vendorUrl: string): { proc: ChildProcess; lines: string[]; err: () => string; exited: Promise<number | null> } {
  const proc = spawn(process.execPath, [...nodeArgs, childScript, ...args], { env: { ...process.env, VENDOR_URL: vendorUrl }, stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: string[] = [];
  let out = '';
  let err = '';
  proc.stdout!.on('data', (d) => {
    out += d;
    const parts = out.split('\n');
    out = parts.pop()!;
    lines.push(...parts.filter(Boolean));
  });
  proc.stderr!.on('data', (d) => (err += d));
  return { proc, lines, err: () => err, exited: new Promise((r) => proc.on('exit', (code) => r(code))) };
}

async function until(what: string, probe: () => boolean, ms = 60_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!probe()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

let dir: ReturnType<typeof tempDir>;
const procs: ChildProcess[] = [];
afterEach(() => {
  for (const p of procs.splice(0)) if (p.exitCode === null) p.kill('SIGKILL');
  dir?.cleanup();
});

describe('approving from the CLI while serve runs', () => {
  it('the vendor sees one write: serve leaves the execution the CLI holds', { timeout: 120_000 }, async () => {
    dir = tempDir();
    const vendor = startVendor();
    const url = await vendor.start();
    // a decision waiting for approval (the fixtures' healthcare account), the others executed
    const setup = await createRuntime(parseConfig(config(dir.path), { env: {} }), { clock: new SimulatedClock(T0) });
    await setup.store.migrate();
    await seed(setup);
    await runWorkflow(setup, 'default', { executor: async () => ({ ok: true }) });
    const [pending] = await listApprovals(setup, 'pending');
    const decisionId = pending!.decisionId;
    const key = (pending!.planned!.input as { email: string }).email;
    await setup.close();

    const approve = child(['approve', dir.path, pending!.id], url);
    procs.push(approve.proc);
    // the CLI's write is at the vendor, not answered: the decision is in progress, claimed by the CLI
    await until('the approval to reach the vendor', () => vendor.posts.length === 1 || approve.proc.exitCode !== null);
    expect(vendor.posts, approve.err()).toEqual([{ key, by: 'approve' }]);

    const serve = child(['serve', dir.path], url);
    procs.push(serve.proc);
    await until('three serve cycles', () => serve.lines.length >= 3 || serve.proc.exitCode !== null);
    expect(serve.proc.exitCode, serve.err()).toBeNull();
    const cycles = serve.lines.map((l) => JSON.parse(l) as { retried: number; heldElsewhere: number });
    // every cycle found the execution in progress in a live process and left it alone
    expect(cycles.every((c) => c.retried === 0 && c.heldElsewhere === 1), JSON.stringify(cycles)).toBe(true);

    vendor.release();
    expect(await approve.exited, approve.err()).toBe(0);
    expect(JSON.parse(approve.lines.at(-1)!)).toMatchObject({ ok: true, result: { id: `W-${key}` } });
    const after = serve.lines.length;
    await until('a serve cycle after the approval', () => serve.lines.length > after);
    serve.proc.kill('SIGTERM');
    await serve.exited;

    expect(vendor.posts).toEqual([{ key, by: 'approve' }]);
    expect([...vendor.applied.entries()]).toEqual([[key, 1]]);
    const check = await createRuntime(parseConfig(config(dir.path), { env: {} }), { clock: new SimulatedClock(T0) });
    const row = await check.store.db.selectFrom('decisions').select(['status', 'execution']).where('id', '=', decisionId).executeTakeFirstOrThrow();
    expect(row.status).toBe('executed');
    expect(JSON.parse(row.execution!)).toMatchObject({ crm: { ok: true } });
    await check.close();
    await vendor.stop();
  });

  it('a CLI killed mid-execution: serve takes the execution over, looks first, and writes once', { timeout: 120_000 }, async () => {
    dir = tempDir();
    const vendor = startVendor();
    const url = await vendor.start();
    const setup = await createRuntime(parseConfig(config(dir.path), { env: {} }), { clock: new SimulatedClock(T0) });
    await setup.store.migrate();
    await seed(setup);
    await runWorkflow(setup, 'default', { executor: async () => ({ ok: true }) });
    const [pending] = await listApprovals(setup, 'pending');
    const key = (pending!.planned!.input as { email: string }).email;
    await setup.close();

    const approve = child(['approve', dir.path, pending!.id], url);
    procs.push(approve.proc);
    await until('the approval to reach the vendor', () => vendor.posts.length === 1 || approve.proc.exitCode !== null);
    approve.proc.kill('SIGKILL');
    await approve.exited;
    vendor.release(); // the killed CLI's write lands after all (its answer goes nowhere)
    await until('the held write to land', () => vendor.applied.size === 1);

    const serve = child(['serve', dir.path], url);
    procs.push(serve.proc);
    await until('a serve cycle', () => serve.lines.length >= 1 || serve.proc.exitCode !== null);
    serve.proc.kill('SIGTERM');
    await serve.exited;
    const first = JSON.parse(serve.lines[0]!) as { retried: number; heldElsewhere: number; executed: number };
    // the dead process's claim is taken over; reconcile finds the write: nothing is sent again
    expect(first).toMatchObject({ retried: 1, heldElsewhere: 0, executed: 1 });
    expect(vendor.posts).toEqual([{ key, by: 'approve' }]);
    expect([...vendor.applied.values()]).toEqual([1]);
    await vendor.stop();
  });
});
