// `revloop check --live` against the Salesforce emulator: API version, daily API requests and the
// custom fields the actions write, read-only.
import { afterEach, describe, expect, it } from 'vitest';
import { liveCheckConnectors } from '@revloop/core';
import { world, type World } from './helpers.js';

let w: World | undefined;
afterEach(async () => {
  await w?.close();
  w = undefined;
});

function addRevloopFields(wd: World) {
  for (const sobject of ['Contact', 'Lead'] as const) {
    wd.em.state.addCustomField(sobject, { name: 'revloop_score__c', type: 'double' });
    wd.em.state.addCustomField(sobject, { name: 'revloop_segment__c', type: 'string' });
  }
  wd.em.state.addCustomField('Task', { name: 'revloop_key__c', type: 'string' });
}

describe('salesforce live check', () => {
  it('an org with the fields, the version and requests left: every finding ok', async () => {
    w = await world({ dailyApiLimit: 1000 });
    addRevloopFields(w);
    const runtime = await w.runtime();
    const [result] = await liveCheckConnectors(runtime);
    expect(result!.ok).toBe(true);
    const byWhat = Object.fromEntries(result!.findings.map((f) => [f.what, f]));
    expect(byWhat['API version 62.0']).toMatchObject({ ok: true, detail: expect.stringContaining('served by the org') });
    expect(byWhat['daily API requests']).toMatchObject({ ok: true, detail: expect.stringMatching(/^\d+ of 1000 remaining/) });
    expect(byWhat['field Contact.revloop_score__c']).toMatchObject({ ok: true });
    expect(byWhat['field Task.revloop_key__c']).toMatchObject({ ok: true });
  });

  it('the custom fields the actions write, missing, are what would fail, each with its fix', async () => {
    w = await world({ dailyApiLimit: 1000 });
    w.em.state.addCustomField('Task', { name: 'revloop_key__c', type: 'string' });
    const runtime = await w.runtime();
    const [result] = await liveCheckConnectors(runtime);
    expect(result!.ok).toBe(false);
    const failed = result!.findings.filter((f) => !f.ok);
    expect(failed.map((f) => f.what).sort()).toEqual(['field Contact.revloop_score__c', 'field Contact.revloop_segment__c', 'field Lead.revloop_score__c', 'field Lead.revloop_segment__c']);
    expect(failed.find((f) => f.what === 'field Lead.revloop_score__c')!.fix).toContain('Object Manager → Lead');
    expect(result!.findings.find((f) => f.what === 'field Task.revloop_key__c')).toMatchObject({ ok: true });
    expect(result!.message).toMatch(/^4 of \d+ would fail/);
  });

  it('an allocation spent down to apiReserve is what would fail', async () => {
    w = await world({ dailyApiLimit: 1000 });
    addRevloopFields(w);
    const runtime = await w.runtime({ apiReserve: 999 });
    const [result] = await liveCheckConnectors(runtime);
    expect(result!.ok).toBe(false);
    expect(result!.findings.filter((f) => !f.ok)).toEqual([
      expect.objectContaining({ what: 'daily API requests', detail: expect.stringContaining('apiReserve keeps 999'), fix: expect.stringContaining('lower apiReserve') }),
    ]);
  });

  it('an API version the org does not serve fails the check, and the live check names the newest it serves', async () => {
    w = await world();
    addRevloopFields(w);
    const runtime = await w.runtime({ apiVersion: '63.0' });
    const [result] = await liveCheckConnectors(runtime);
    expect(result!.ok).toBe(false);
    const version = result!.findings.find((f) => f.what === 'API version 63.0');
    expect(version).toMatchObject({ ok: false, detail: 'not served by the org (it serves 31.0 to 62.0)', fix: expect.stringContaining("apiVersion: '62.0'") });
  });
});
