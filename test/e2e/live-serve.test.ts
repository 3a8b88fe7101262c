// The production loop closing live, as a RevOps engineer runs it: `revloop sandbox --live` and
// `revloop serve` as separate processes, serve configured with the documented YAML file
// (examples/live/revloop.yaml, its ports moved to free ones). Within a bounded time the store and
// the emulators show syncs, decisions, executions at the vendor, a gated decision approved through
// the CLI and executed, outcomes recorded and a model version learned from them; a second serve
// on the same store is refused.
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, startCli } from './cli-child.js';

const repo = resolve(import.meta.dirname, '../..');
const smallScenario = join(repo, 'packages/sandbox/scenarios/small.json');
const TIMEOUT_MS = 720_000; // a live market on a loaded 2-core machine: each step may take minutes of wall clock

let dir: string;
let config: string;
let db: Database.Database;
let sandbox: ChildProcess;
let serve: ChildProcess;
let serveErr = '';
let sandboxErr = '';
const portBase = 42_000 + (process.pid % 400) * 10;

async function until<T>(what: string, probe: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 300_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    let value: T | undefined | false;
    try {
      value = await probe();
    } catch {
      value = undefined;
    }
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}\n--- serve stderr (tail) ---\n${serveErr.slice(-3000)}\n--- sandbox stderr (tail) ---\n${sandboxErr.slice(-1500)}`);
    await sleep(250);
  }
}

const count = (sql: string, ...params: unknown[]) => (db.prepare(sql).get(...params) as { n: number }).n;
const exited = (c: ChildProcess) => new Promise<number | null>((r) => (c.exitCode !== null ? r(c.exitCode) : c.on('exit', (code) => r(code))));

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'revloop-live-serve-'));
  // the documented config, on this test's ports, store and a faster schedule
  const text = readFileSync(join(repo, 'examples/live/revloop.yaml'), 'utf8')
    .replace(/127\.0\.0\.1:4710(\d)/g, (_, d: string) => `127.0.0.1:${portBase + Number(d)}`)
    .replace('path: ../../.revloop/live.db', `path: ${join(dir, 'live.db')}`)
    .replace('cron: "*/20 * * * * *"', 'cron: "*/3 * * * * *"');
  expect(text).toContain(`127.0.0.1:${portBase + 3}`);
  config = join(dir, 'revloop.yaml');
  writeFileSync(config, text);

  sandbox = startCli(dir, ['sandbox', '--live', '--day-seconds', '2', '--warmup-days', '10', '--port-base', String(portBase), '--scenario', smallScenario, '--json']);
  let sandboxOut = '';
  sandbox.stdout!.on('data', (d) => (sandboxOut += d));
  sandbox.stderr!.on('data', (d) => (sandboxErr += d));
  await until('the live sandbox', () => JSON.parse(sandboxOut));

  serve = startCli(dir, ['serve', '--port', '0', '--config', config]);
  serve.stdout!.on('data', () => {});
  serve.stderr!.on('data', (d) => (serveErr += d));
  await until('the store', () => {
    db = new Database(join(dir, 'live.db'), { readonly: true, fileMustExist: true });
    return true;
  });
}, TIMEOUT_MS);

afterAll(async () => {
  db?.close();
  for (const c of [serve, sandbox]) if (c && c.exitCode === null) c.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

describe('revloop serve against revloop sandbox --live', { timeout: TIMEOUT_MS }, () => {
  it('syncs, decides and executes into the emulators', async () => {
    await until('a succeeded sync of every connector', () => count(`select count(distinct connector) as n from sync_runs where status = 'succeeded'`) === 4);
    const email = await until('an executed email decision', () => db.prepare(`select output from decisions where status = 'executed' and output like '%upsert-contact-properties%' limit 1`).get() as { output: string } | undefined);
    // the vendor's own state: the contact carries the properties the decision wrote
    const planned = JSON.parse(email.output) as { input: { records: { id: string; properties: Record<string, string> }[] } };
    const record = planned.input.records[0]!;
    const res = await fetch(`http://127.0.0.1:${portBase}/crm/v3/objects/contacts/${record.id}?properties=revloop_next_action,revloop_topic`, { headers: { authorization: 'Bearer pat-na1-revloop-sandbox' } });
    expect(res.status).toBe(200);
    const contact = (await res.json()) as { properties: Record<string, string> };
    expect(contact.properties.revloop_next_action).toBe('email');
    expect(contact.properties.revloop_topic).toBe(record.properties.revloop_topic);
  });

  it('a gated decision waits, is approved through the CLI and executed', async () => {
    const pending = await until('a decision waiting for approval', () => db.prepare(`select id from approvals where state = 'pending' limit 1`).get() as { id: string } | undefined);
    const shown = runCli(dir, ['approvals', 'show', pending.id, '--config', config]);
    expect(shown.code, shown.stderr).toBe(0);
    expect(shown.stdout).toContain('regulated-industry');
    const approved = runCli(dir, ['approvals', 'approve', pending.id, '--by', 'e2e', '--reason', 'looks right', '--config', config, '--json']);
    expect(approved.code, approved.stdout + approved.stderr).toBe(0);
    expect(approved.json()).toMatchObject({ state: 'approved', execution: { ok: true } });
    const row = db.prepare(`select d.status from approvals a join decisions d on d.id = a.decision_id where a.id = ?`).get(pending.id) as { status: string };
    expect(row.status).toBe('executed');
  });

  it('records outcomes and learns a new model version from them', async () => {
    await until('an outcome joined to a decision', () => count(`select count(*) as n from outcomes where decision_id is not null`) > 0);
    await until('a model version learned', () => count(`select count(*) as n from model_versions`) > 0);
    const versions = db.prepare(`select model, capability, version from model_versions`).all();
    expect(versions.length).toBeGreaterThan(0);
  });

  it('refuses a second serve on the same store, naming the one that holds it', async () => {
    const second = runCli(dir, ['serve', '--port', '0', '--config', config]);
    expect(second.code).toBe(1);
    expect(second.stderr).toContain('STORE_BUSY');
    expect(second.stderr).toContain(String(serve.pid));
  });

  it('stops on SIGTERM with exit 0', async () => {
    serve.kill('SIGTERM');
    expect(await exited(serve)).toBe(0);
    sandbox.kill('SIGTERM');
    expect(await exited(sandbox)).toBe(0);
  });
});
