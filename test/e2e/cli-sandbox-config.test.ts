// The repository's default config: the sandbox market through every vendor connector, with
// the real SDKs against the loopback emulators, driven by the CLI as a user would.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyFileSync, mkdtempSync, rmSync, cpSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CLI_TEST_TIMEOUT_MS, runCli } from './cli-child.js';

const repo = process.cwd();
let dir: string;

const cli = (args: string[]) => runCli(dir, args);

beforeAll(() => {
  // the repo's config in a folder of its own (plugins resolve through the CLI's bundled copies)
  dir = mkdtempSync(join(tmpdir(), 'revloop-default-config-'));
  copyFileSync(join(repo, 'revloop.config.ts'), join(dir, 'revloop.config.ts'));
  cpSync(join(repo, 'examples'), join(dir, 'examples'), { recursive: true });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the default config (sandbox through the vendor connectors)', { timeout: CLI_TEST_TIMEOUT_MS }, () => {
  it('checks every connector against its emulator', () => {
    const r = cli(['check', '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.json().connectors.map((c: { connector: string; ok: boolean }) => [c.connector, c.ok])).toEqual([
      ['sample', true], ['hubspot', true], ['salesforce', true], ['linkedin', true], ['google', true],
    ]);
  });

  it('syncs the simulated market into the unified model through all four vendor APIs', () => {
    const r = cli(['sync', '--json', '--no-progress']);
    expect(r.code, r.stderr).toBe(0);
    const runs: { connector: string; stream: string; status: string; written: number }[] = r.json().streams;
    const written = (c: string, s: string) => runs.find((x) => x.connector === c && x.stream === s)?.written ?? -1;
    expect(runs.every((x) => x.status === 'succeeded')).toBe(true);
    expect(written('hubspot', 'companies')).toBeGreaterThan(100);
    expect(written('hubspot', 'contacts')).toBeGreaterThan(written('hubspot', 'companies'));
    // both CRMs mirror the market (HubSpot with the sandbox's duplicate company records): after the
    // sync's identity resolution every Salesforce account is one resolved customer with its HubSpot twin
    expect(written('hubspot', 'companies')).toBeGreaterThanOrEqual(written('salesforce', 'accounts'));
    const identity = r.json().identity as { accounts: { rows: number; entities: number } };
    const sampleAccounts = written('sample', 'accounts');
    expect(identity.accounts.entities).toBeLessThanOrEqual(written('salesforce', 'accounts') + sampleAccounts);
    expect(identity.accounts.entities).toBeGreaterThanOrEqual(written('salesforce', 'accounts'));
    expect(written('linkedin', 'campaigns')).toBeGreaterThan(0);
    expect(written('google', 'campaigns')).toBeGreaterThan(0);
  });
});
