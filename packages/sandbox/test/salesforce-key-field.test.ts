// The sandbox's Salesforce org is set up as the connector's install instructions say: Task carries
// revloop_key__c, the field create_tasks keys its idempotency on (issue #27). An org without it
// (the connector's weaker, documented Description-marker mode) is one option away.
import { afterEach, describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { startSandbox, smallScenarioPath, type Sandbox } from '../src/index.js';

let sandbox: Sandbox | undefined;
afterEach(async () => {
  await sandbox?.stop();
  sandbox = undefined;
});

const taskFields = async (s: Sandbox): Promise<string[]> => {
  const res = await fetch(`${s.salesforce!.url}/services/data/v62.0/sobjects/Task/describe`, { headers: { authorization: `Bearer ${s.salesforce!.accessToken}` } });
  expect(res.status).toBe(200);
  return ((await res.json()) as { fields: { name: string }[] }).fields.map((f) => f.name);
};

describe('sandbox: the Salesforce org', () => {
  it('has Task.revloop_key__c by default', async () => {
    sandbox = await startSandbox({ scenario: fileURLToPath(smallScenarioPath), seed: 3, vendors: ['salesforce'] });
    expect(await taskFields(sandbox)).toContain('revloop_key__c');
  });

  it('has no key field with salesforceTaskKeyField: false', async () => {
    sandbox = await startSandbox({ scenario: fileURLToPath(smallScenarioPath), seed: 3, vendors: ['salesforce'], salesforceTaskKeyField: false });
    expect(await taskFields(sandbox)).not.toContain('revloop_key__c');
  });
});
