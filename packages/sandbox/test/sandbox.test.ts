// The whole sandbox: one market feeding every emulator, writes routed back as treatments.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client } from '@hubspot/api-client';
import OpenAI from 'openai';
import { startSandbox, smallScenarioPath, type Sandbox } from '../src/index.js';
import { fileURLToPath } from 'node:url';

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startSandbox({ scenario: fileURLToPath(smallScenarioPath), seed: 11 });
  for (let d = 0; d < 3; d++) sandbox.advanceDay();
});
afterAll(() => sandbox?.stop());

describe('startSandbox', () => {
  it('serves the market through every emulator on loopback and publishes refs for the config', async () => {
    expect(Object.keys(sandbox.refs)).toEqual(expect.arrayContaining(['hubspot.url', 'salesforce.url', 'linkedin.url', 'googleAds.endpoint', 'openai.baseURL']));
    for (const [k, v] of Object.entries(sandbox.refs)) if (k.endsWith('.url') || k.endsWith('baseURL')) expect(v).toMatch(/^http:\/\/127\.0\.0\.1:\d+/);
    const hubspot = new Client({ accessToken: sandbox.refs['hubspot.token'], basePath: sandbox.refs['hubspot.url'] });
    const page = await hubspot.crm.companies.basicApi.getPage(100);
    expect(page.results.length).toBe(100);
    expect(sandbox.salesforce!.state.count('Account')).toBe(sandbox.scenario.accounts.count);
  });

  it('routes a sales task written to HubSpot back to the market as a treatment', async () => {
    const before = sandbox.market.stats().treatments.sales_task;
    const hubspot = new Client({ accessToken: sandbox.refs['hubspot.token'], basePath: sandbox.refs['hubspot.url'] });
    const contact = (await hubspot.crm.contacts.basicApi.getPage(1)).results[0]!;
    await hubspot.crm.objects.basicApi.create('tasks', {
      properties: { hs_task_subject: 'Call about pricing', hs_timestamp: String(sandbox.market.now()) },
      associations: [{ to: { id: contact.id }, types: [{ associationCategory: 'HUBSPOT_DEFINED' as never, associationTypeId: 204 }] }],
    });
    expect(sandbox.market.stats().treatments.sales_task).toBe(before + 1);
  });

  it('answers classification with the market ground truth as the oracle', async () => {
    const openai = new OpenAI({ apiKey: sandbox.refs['openai.apiKey'], baseURL: sandbox.refs['openai.baseURL'] });
    const reply = await openai.chat.completions.create({
      model: 'sim-large',
      messages: [{ role: 'user', content: 'Classify intent.\nITEM: {"item_id":"acc_000001","labels":["high","low"]}' }],
    });
    expect(['high', 'low']).toContain(reply.choices[0]!.message.content!.trim().replace(/"/g, ''));
    expect(sandbox.openai!.state.usageOf('sim-large').classifications).toBe(1);
  });
});
