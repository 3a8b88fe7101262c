// `revloop check --live` as a child process against the sandbox's Salesforce and LinkedIn
// emulators (started here on loopback): a table of what would fail and exit 1, the same as JSON,
// then exit 0 once the org has what the actions need.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLinkedInEmulator, startSalesforceEmulator, type LinkedInEmulator, type SalesforceEmulator } from '@revloop/sandbox';
import { CLI_TEST_TIMEOUT_MS, startCli, type CliResult } from './cli-child.js';

/** the child runs while this process serves the emulators (runCli's spawnSync would block them) */
function runCliAsync(cwd: string, args: string[]): Promise<CliResult> {
  const child = startCli(cwd, args);
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d) => (stdout += d));
  child.stderr!.on('data', (d) => (stderr += d));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', (code) => resolve({ code, stdout, stderr, json: () => JSON.parse(stdout) }));
  });
}

let dir: string;
let sf: SalesforceEmulator;
let li: LinkedInEmulator;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'revloop-check-live-'));
  sf = await startSalesforceEmulator();
  li = await startLinkedInEmulator({ now: () => Date.now() });
  const config = {
    store: { kind: 'sqlite', path: 'revloop.db' },
    connectors: {
      crm: {
        plugin: '@revloop/connector-salesforce',
        allowPrivateNetwork: true,
        instanceUrl: sf.url,
        loginUrl: sf.url,
        clientId: sf.credentials.clientId,
        clientSecret: sf.credentials.clientSecret,
        refreshToken: sf.refreshToken,
      },
      ads: {
        plugin: '@revloop/connector-linkedin-ads',
        allowPrivateNetwork: true,
        apiBaseUrl: li.url,
        oauthBaseUrl: li.url,
        clientId: li.clientId,
        clientSecret: li.clientSecret,
        refreshToken: li.refreshToken,
        adAccountId: String(li.state.adAccount.id),
      },
    },
  };
  writeFileSync(join(dir, 'revloop.config.json'), JSON.stringify(config));
});
afterAll(async () => {
  await sf?.stop();
  await li?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('revloop check --live', { timeout: CLI_TEST_TIMEOUT_MS }, () => {
  it('reports per connector what would fail (exit 1, JSON and table), and exit 0 once it is fixed', async () => {
    const json = await runCliAsync(dir, ['check', '--live', '--json']);
    expect(json.code, json.stderr).toBe(1);
    const doc = json.json();
    expect(doc).toMatchObject({ ok: false, live: true });
    const crm = doc.connectors.find((c: { connector: string }) => c.connector === 'crm');
    const ads = doc.connectors.find((c: { connector: string }) => c.connector === 'ads');
    expect(ads).toMatchObject({ ok: true });
    expect(ads.findings.map((f: { what: string }) => f.what)).toContain('token scopes');
    expect(crm.ok).toBe(false);
    expect(crm.findings.filter((f: { ok: boolean }) => !f.ok).map((f: { what: string }) => f.what)).toEqual([
      'field Contact.revloop_score__c',
      'field Contact.revloop_segment__c',
      'field Lead.revloop_score__c',
      'field Lead.revloop_segment__c',
    ]);
    // no secret in the report
    expect(json.stdout).not.toContain(sf.refreshToken);
    expect(json.stdout).not.toContain(li.clientSecret);

    for (const sobject of ['Contact', 'Lead'] as const) {
      sf.state.addCustomField(sobject, { name: 'revloop_score__c', type: 'double' });
      sf.state.addCustomField(sobject, { name: 'revloop_segment__c', type: 'string' });
    }
    const human = await runCliAsync(dir, ['check', '--live']);
    expect(human.code, human.stderr).toBe(0);
    expect(human.stdout).toMatch(/live checks \(read-only calls\)/);
    expect(human.stdout).toMatch(/crm\s+API version 62\.0\s+ok/);
    expect(human.stdout).toMatch(/crm\s+field Task\.revloop_key__c\s+ok\s+not visible/); // optional: falls back
    expect(human.stdout).toMatch(/ads\s+token scopes\s+ok/);
    expect(human.stdout).toContain('nothing found that would fail');
  });
});
