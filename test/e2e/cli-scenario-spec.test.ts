// `gen:<seed>` wherever a scenario file is accepted: `revloop sandbox --scenario`, the config's
// `sandbox.scenario` and `revloop run --scenario` serve the generated market of that seed; a bad
// spec exits 2 and says what, where and how to fix it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateScenario } from '@revloop/sandbox';
import { CLI_TEST_TIMEOUT_MS, runCli, startCli } from './cli-child.js';

let dir: string;
const revloop = (args: string[]) => runCli(dir, args);
const accounts12 = generateScenario(12).accounts.count;

const config = (scenario: string) => `store: { kind: sqlite, path: ./revloop.db }
log: { level: warn }
sandbox: { scenario: "${scenario}" }
connectors:
  hubspot:
    plugin: "@revloop/connector-hubspot"
    baseUrl: { $sandbox: hubspot.url }
    accessToken: { $sandbox: hubspot.token }
    streams: [companies]
`;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'revloop-spec-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('scenario specs in the CLI', { timeout: CLI_TEST_TIMEOUT_MS }, () => {
  it('revloop sandbox --scenario gen:12 serves the generated market; SIGTERM exits 0', async () => {
    const child = startCli(dir, ['sandbox', '--scenario', 'gen:12', '--days', '2', '--json']);
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (d) => (stdout += d));
    child.stderr!.on('data', (d) => (stderr += d));
    const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    const deadline = Date.now() + 120_000;
    let doc: { seed: number; accounts: number; day: number } | undefined;
    while (!doc && Date.now() < deadline) {
      try {
        doc = JSON.parse(stdout);
      } catch {
        await new Promise((r) => setTimeout(r, 200));
      }
    }
    expect(doc, stderr).toBeDefined();
    expect(doc).toMatchObject({ seed: 12, accounts: accounts12, day: 1 });
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });

  it('a bad spec or a missing file exits 2 naming --scenario', () => {
    const bad = revloop(['sandbox', '--scenario', 'gen:twelve']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/SCENARIO_INVALID/);
    expect(bad.stderr).toMatch(/where: --scenario \(gen:twelve\)/);
    expect(bad.stderr).toMatch(/fix: .*gen:12/);
    const missing = revloop(['sandbox', '--scenario', 'nope.json']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/SCENARIO_NOT_FOUND/);
    const run = revloop(['run', '--scenario', 'gen:-4', '--via', 'direct']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/gen:<seed>/);
  });

  it('the config’s sandbox.scenario: gen:12 feeds the emulators the generated market; gen:x exits 2 naming sandbox.scenario', () => {
    writeFileSync(join(dir, 'revloop.config.yaml'), config('gen:12'));
    const r = revloop(['sync', '--json', '--no-progress']);
    expect(r.code, r.stderr).toBe(0);
    const companies = (r.json().streams as { connector: string; stream: string; written: number }[]).find((s) => s.connector === 'hubspot' && s.stream === 'companies');
    // HubSpot also holds the sandbox's duplicate company records (identity noise): after the sync's
    // identity resolution there is one resolved account per company of the generated market
    expect(companies!.written).toBeGreaterThanOrEqual(accounts12);
    expect(r.json().identity.accounts.entities).toBe(accounts12);
    writeFileSync(join(dir, 'revloop.config.yaml'), config('gen:x'));
    const bad = revloop(['check']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/where: sandbox\.scenario \(gen:x\)/);
    rmSync(join(dir, 'revloop.config.yaml'));
  });

  it('revloop run --scenario gen:12 runs the closed loop on the generated market', () => {
    const r = revloop(['run', '--scenario', 'gen:12', '--days', '3', '--via', 'direct', '--json', '--out', 'gen.html']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.json().scenario).toEqual({ seed: 12, days: 3, accounts: accounts12 });
  });
});
