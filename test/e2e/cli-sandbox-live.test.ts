// `revloop sandbox --live` as a child process, the way a separate `revloop serve` would use it:
// one JSON document on stdout (refs, time scale), the same document in --refs-file, a YAML config
// in --config-out that `revloop check` loads as is, a market day that moves with the wall clock
// (stderr lines and the HubSpot emulator's data, never later than the wall clock), SIGTERM → exit 0.
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CLI_TEST_TIMEOUT_MS, runCli, startCli } from './cli-child.js';

const smallScenario = resolve(import.meta.dirname, '../../packages/sandbox/scenarios/small.json');

let dir: string;
const children: ChildProcess[] = [];
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'revloop-sandbox-live-'));
});
afterEach(() => {
  for (const c of children.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

async function until<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, timeoutMs = 120_000): Promise<T> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    let value: T | undefined;
    try {
      value = await probe();
    } catch {
      value = undefined;
    }
    if (value !== undefined && value !== null && (value as unknown) !== false) return value;
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

/** the highest simulated day the stderr progress lines report */
const lastDay = (stderr: string): number => Math.max(-1, ...[...stderr.matchAll(/^sandbox day (\d+) /gm)].map((m) => Number(m[1])));

describe('revloop sandbox --live', { timeout: CLI_TEST_TIMEOUT_MS }, () => {
  it('serves a market that moves with the wall clock, publishes its refs and a config, and stops on SIGTERM with exit 0', async () => {
    const refsFile = join(dir, 'out', 'sandbox.json');
    const configFile = join(dir, 'revloop.sandbox.yaml');
    const child = startCli(dir, ['sandbox', '--live', '--day-seconds', '1', '--warmup-days', '3', '--scenario', smallScenario, '--seed', '5', '--json', '--refs-file', refsFile, '--config-out', configFile]);
    children.push(child);
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (d) => (stdout += d));
    child.stderr!.on('data', (d) => (stderr += d));
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((r) => child.on('exit', (code, signal) => r({ code, signal })));

    const doc = await until('the JSON document', () => JSON.parse(stdout));
    expect(doc).toMatchObject({ live: true, msPerDay: 1000, warmupDays: 3, seed: 5, personas: { hubspot: { persona_1: 'economic_buyer' } } });
    expect(doc.startMs).toBe(doc.startedAt - 3 * 1000);
    expect(doc.startedAt).toBeLessThanOrEqual(Date.now());
    expect(doc.day).toBeGreaterThanOrEqual(2);
    for (const key of ['hubspot.url', 'salesforce.url', 'linkedin.url', 'googleAds.endpoint', 'openai.baseURL']) expect(doc.refs[key], key).toMatch(/^(http:\/\/)?127\.0\.0\.1:\d+/);
    expect(doc.connectors.hubspot).toMatchObject({ baseUrl: doc.refs['hubspot.url'], personas: doc.personas.hubspot });
    expect(JSON.parse(readFileSync(refsFile, 'utf8'))).toEqual(doc);
    expect(readFileSync(configFile, 'utf8')).toContain(`baseUrl: "${doc.refs['hubspot.url']}"`);
    // both hold the emulators' credentials: readable by their owner only (issue #25 item 6)
    if (process.platform !== 'win32') for (const file of [refsFile, configFile]) expect((statSync(file).mode & 0o777).toString(8), file).toBe('600');

    // the market day moves on: ~1 a second
    const t0 = performance.now();
    await until('two more simulated days', () => lastDay(stderr) >= doc.day + 2, 30_000);
    expect(performance.now() - t0).toBeGreaterThan(900);
    // HubSpot serves web events per record: the contacts modified since the start (a web event
    // moves the contact's analytics timestamp), then each one's events
    const events = async () => {
      const headers = { authorization: `Bearer ${doc.refs['hubspot.token']}`, 'content-type': 'application/json' };
      const search = { filterGroups: [{ filters: [{ propertyName: 'lastmodifieddate', operator: 'GTE', value: String(doc.startedAt) }] }], limit: 20 };
      const found = (await (await fetch(`${doc.refs['hubspot.url']}/crm/v3/objects/contacts/search`, { method: 'POST', headers, body: JSON.stringify(search) })).json()) as { results: { id: string }[] };
      const times: number[] = [];
      for (const c of found.results) {
        const res = await fetch(`${doc.refs['hubspot.url']}/events/v3/events?objectType=contact&objectId=${c.id}&limit=100&occurredAfter=${new Date(doc.startedAt).toISOString()}`, { headers });
        const body = (await res.json()) as { results: { occurredAt: string }[] };
        times.push(...body.results.map((e) => Date.parse(e.occurredAt)));
      }
      return { times, receivedAt: Date.now() };
    };
    const seen = await until('web events stamped after the start', async () => ((await events()).times.length ? true : undefined));
    expect(seen).toBe(true);
    const { times, receivedAt } = await events();
    expect(times.length).toBeGreaterThan(0);
    for (const t of times) expect(t).toBeLessThanOrEqual(receivedAt);

    // the YAML it wrote is a config the other process can load: every connector reaches its emulator
    const check = runCli(dir, ['check', '--config', configFile, '--json']);
    expect(check.code, check.stderr).toBe(0);
    expect(check.json().connectors.map((c: { connector: string; ok: boolean }) => [c.connector, c.ok])).toEqual([['hubspot', true], ['salesforce', true], ['linkedin', true], ['google', true]]);

    child.kill('SIGTERM');
    const exit = await exited;
    expect(exit, stderr).toEqual({ code: 0, signal: null });
    expect(existsSync(refsFile)).toBe(true);
    await expect(fetch(`${doc.refs['hubspot.url']}/crm/v3/objects/contacts?limit=1`)).rejects.toThrow();
  });

  it('refuses flags that do not fit, with exit 2', () => {
    const noLive = runCli(dir, ['sandbox', '--day-seconds', '1', '--json']);
    expect(noLive.code).toBe(2);
    expect(noLive.json().error).toMatchObject({ code: 'BAD_ARGUMENT', where: '--day-seconds' });
    const both = runCli(dir, ['sandbox', '--live', '--days', '3', '--json']);
    expect(both.code).toBe(2);
    expect(both.json().error).toMatchObject({ code: 'BAD_ARGUMENT', where: '--days' });
    const fast = runCli(dir, ['sandbox', '--live', '--day-seconds', '0.01', '--json']);
    expect(fast.code).toBe(2);
    expect(fast.json().error.where).toBe('--day-seconds');
  });
});
