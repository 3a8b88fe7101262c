// uploadPath 'data-manager': Customer Match and offline conversions through the Data Manager API
// emulator (REST on loopback, asynchronous requests polled to completion), for a developer token
// Google has not allow-listed for the Google Ads API uploads.
import { afterEach, describe, expect, it } from 'vitest';
import { runAction, type Runtime } from '@revloop/core';
import { hashEmail as sandboxHash } from '@revloop/sandbox';
import { googleAdsConfigSchema } from '../src/index.js';
import type { CustomerMatchResult } from '../src/actions/customer-match-sync.js';
import type { UploadResult } from '../src/actions/upload-click-conversions.js';
import { campaign, click, START, startHarness, type Harness } from './helpers.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.stop();
  h = undefined;
});

async function dataManagerRuntime(extra: Record<string, unknown> = {}): Promise<Runtime> {
  // not allow-listed: every Google Ads API upload would be refused
  h = await startHarness({ emulator: { uploadAllowlist: [], jobProcessing: { polls: 1_000, ms: 2 * 60_000 } } });
  return h.newRuntime({ uploadPath: 'data-manager', dataManagerEndpoint: h.emu.dataManagerUrl, jobPollIntervalMs: 60_000, ...extra });
}

describe('customer-match-sync through the Data Manager API', () => {
  it('ingests the added members, removes the dropped ones, and waits for each request to finish', async () => {
    const rt = await dataManagerRuntime();
    const sync = (emails: string[], syncId: string) => runAction<CustomerMatchResult>(rt, 'google', 'customer-match-sync', { listName: 'Intent: pricing', emails, syncId });
    const t0 = h!.clock.now();
    const first = await sync(['Ann@Acme.test', 'bob@acme.test', 'nope'], 's1');
    expect(first.result).toMatchObject({ listCreated: true, job: null, added: 2, removed: 0, invalidEmails: 1 });
    expect(first.result.dataManager!.requestIds).toHaveLength(1);
    expect(h!.clock.now() - t0).toBeGreaterThanOrEqual(2 * 60_000); // polled until done
    const listId = first.result.userList.split('/').pop()!;
    expect(new Set(h!.emu.state.members(listId))).toEqual(new Set(['ann@acme.test', 'bob@acme.test'].map(sandboxHash)));
    expect(h!.emu.state.jobs.size).toBe(0); // no offline user data job

    const second = await sync(['bob@acme.test', 'cy@globex.test'], 's2');
    expect(second.result).toMatchObject({ added: 1, removed: 1, unchanged: 1 });
    expect(h!.emu.dataManagerRequests.all().map((r) => r.kind)).toEqual(['audienceMembersIngestion', 'audienceMembersRemoval', 'audienceMembersIngestion']);
    expect(new Set(h!.emu.state.members(listId))).toEqual(new Set(['bob@acme.test', 'cy@globex.test'].map(sandboxHash)));
  });

  it('a request still PROCESSING after jobTimeoutMs fails clearly, naming the request', async () => {
    const rt = await dataManagerRuntime({ jobTimeoutMs: 60_000 });
    const e = await runAction(rt, 'google', 'customer-match-sync', { listName: 'L', emails: ['a@b.test'], syncId: 's1' }).catch((x: unknown) => x);
    expect(e).toMatchObject({ code: 'GOOGLE_DATA_MANAGER_TIMEOUT', message: expect.stringMatching(/Data Manager request dm-\d+-\d+ is still PROCESSING after 60000 ms/) });
  });
});

describe('upload-click-conversions through the Data Manager API', () => {
  it('uploads events by gclid; a re-sent conversion is already_uploaded; a bad gclid fails with the reason counts', async () => {
    const rt = await dataManagerRuntime();
    h!.emu.state.apply(campaign('cmp_gg_001'));
    h!.emu.state.apply(click('gclid_recent01', 'cmp_gg_001', '2024-02-20', 'acc_7', 'con_7'));
    h!.emu.state.apply(click('gclid_recent02', 'cmp_gg_001', '2024-02-21', 'acc_8'));
    const at = START - 2 * 3_600_000;
    const won = { key: 'opp1:closed_won', gclid: 'gclid_recent01', event: 'closed_won', occurredAt: at, valueMicros: 12_500_000_000 };
    const first = await runAction<UploadResult>(rt, 'google', 'upload-click-conversions', { conversions: [won] });
    expect(first.result).toMatchObject({ uploaded: 1, failed: 0 });
    expect(h!.emu.state.uploadedConversions().map((c) => [c.gclid, c.conversionValue, c.currencyCode, c.conversionDateTime, c.orderId])).toEqual([
      ['gclid_recent01', 12_500, 'USD', '2024-03-01 10:00:00+00:00', 'opp1:closed_won'],
    ]);
    // revloop's records lost (a fresh database): the same conversion is sent again, Google dedupes it
    const fresh = await h!.newRuntime({ uploadPath: 'data-manager', dataManagerEndpoint: h!.emu.dataManagerUrl, jobPollIntervalMs: 60_000 });
    const resent = await runAction<UploadResult>(fresh, 'google', 'upload-click-conversions', { conversions: [won] });
    expect(resent.replayed).toBe(false);
    expect(resent.result).toMatchObject({ uploaded: 0, alreadyUploaded: 1, failed: 0 });
    // a batch mixing it with a new one: both are in Google afterwards
    const mixed = await runAction<UploadResult>(rt, 'google', 'upload-click-conversions', { conversions: [won, { key: 'opp2:created', gclid: 'gclid_recent02', event: 'opportunity_created', occurredAt: at }] });
    expect(mixed.result.results.every((r) => r.ok)).toBe(true);
    expect(h!.emu.state.uploadedConversions().map((c) => c.orderId)).toEqual(['opp1:closed_won', 'opp2:created']);
    const bad = await runAction<UploadResult>(rt, 'google', 'upload-click-conversions', { conversions: [{ key: 'opp9:created', gclid: 'gclid_unknown9', event: 'opportunity_created', occurredAt: at }] });
    expect(bad.result).toMatchObject({ uploaded: 0, failed: 1 });
    expect(bad.result.results[0]!.error).toMatch(/Data Manager request dm-\d+-\d+ ended FAILED: 1 × PROCESSING_ERROR_REASON_INVALID_GCLID/);
    expect(h!.emu.state.uploadedConversions()).toHaveLength(2);
  });
});

describe('config', () => {
  it('refuses an http Data Manager endpoint unless it is a loopback emulator with insecure: true', () => {
    const base = { customerId: '1234567890', developerToken: 't', clientId: 'c', clientSecret: 's', refreshToken: 'r', uploadPath: 'data-manager' };
    const r = googleAdsConfigSchema.safeParse({ ...base, dataManagerEndpoint: 'http://datamanager.example.com' });
    expect(r.success).toBe(false);
    expect(JSON.stringify(r.error)).toMatch(/http:\/\/ is only allowed for a loopback emulator with insecure: true/);
    expect(googleAdsConfigSchema.safeParse({ ...base, dataManagerEndpoint: 'http://127.0.0.1:4000' }).success).toBe(false);
    expect(googleAdsConfigSchema.safeParse({ ...base, apiEndpoint: '127.0.0.1:5000', insecure: true, dataManagerEndpoint: 'http://127.0.0.1:4000' }).success).toBe(true);
    expect(googleAdsConfigSchema.parse(base)).toMatchObject({ uploadPath: 'data-manager', dataManagerEndpoint: 'https://datamanager.googleapis.com' });
    expect(googleAdsConfigSchema.safeParse({ ...base, uploadPath: 'datamanager' }).success).toBe(false);
  });
});
