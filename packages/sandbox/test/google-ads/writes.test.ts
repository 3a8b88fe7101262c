// Offline conversion uploads and Customer Match through the real google-ads-api service calls.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { errors } from 'google-ads-api';
import type { SimTreatment } from '../../src/market/types.js';
import { hashEmail } from '../../src/emulators/google-ads/index.js';
import { startWithClient, streamReport } from './harness.js';

const NOW = Date.parse('2024-06-01T12:00:00Z');
const treatments: SimTreatment[] = [];
let h: Awaited<ReturnType<typeof startWithClient>>;

beforeAll(async () => {
  h = await startWithClient({ now: () => NOW, onTreatment: (t) => treatments.push(t) });
  const s = h.emulator.state;
  s.apply({ kind: 'campaign', campaign: { id: 'cmp_gg_001', platform: 'google', name: 'Brand', status: 'ACTIVE', dailyBudget: 1, createdAt: 0 } });
  s.apply({ kind: 'click', click: { clickId: 'gclid_recent01', campaignId: 'cmp_gg_001', accountId: 'acc_7', contactId: 'con_7', date: '2024-05-20', occurredAt: Date.parse('2024-05-20T09:00:00Z') } });
  s.apply({ kind: 'click', click: { clickId: 'gclid_ancient1', campaignId: 'cmp_gg_001', accountId: 'acc_8', date: '2024-01-02', occurredAt: Date.parse('2024-01-02T09:00:00Z') } });
  s.apply({ kind: 'contact', contact: { id: 'con_7', accountId: 'acc_7', email: 'Ada@Example.com ', firstName: 'Ada', lastName: 'L', persona: 'champion', title: 'CTO', lifecycleStage: 'lead', createdAt: 0, updatedAt: 0 } });
});
afterAll(() => h.stop());

const action = 'customers/1234567890/conversionActions/700000001';
const decodePartial = (status: { details: { type_url: string; value: Uint8Array }[] } | null | undefined) =>
  errors.GoogleAdsFailure.decode(status!.details.find((d) => d.type_url.endsWith('errors.GoogleAdsFailure'))!.value);

describe('UploadClickConversions', () => {
  test('partial failure: bad ones reported by operation index, good ones stored once', async () => {
    const conv = (gclid: string, at = '2024-05-25 10:00:00+00:00') => ({ gclid, conversion_action: action, conversion_date_time: at, conversion_value: 1000, currency_code: 'USD' });
    const response = await h.customer.conversionUploads.uploadClickConversions({
      customer_id: h.emulator.customerId,
      partial_failure: true,
      conversions: [conv('gclid_recent01'), conv('???'), conv('gclid_unknown1'), conv('gclid_ancient1', '2024-05-25 10:00:00+00:00'), conv('gclid_recent01')],
    } as never);
    const failure = decodePartial(response.partial_failure_error as never);
    const byIndex = failure.errors.map((e) => [e.location!.field_path_elements![0]!.index, e.error_code!.conversion_upload_error]);
    expect(byIndex).toEqual([
      [1, 3], // UNPARSEABLE_GCLID
      [2, 33], // CLICK_NOT_FOUND
      [3, 43], // EXPIRED_EVENT
      [4, 25], // DUPLICATE_CLICK_CONVERSION_IN_REQUEST
    ]);
    expect(response.results![0]!.gclid).toBe('gclid_recent01');
    expect(response.results![1]!.gclid ?? '').toBe('');
    const stored = h.emulator.state.uploadedConversions();
    expect(stored.map((c) => [c.gclid, c.accountId, c.contactId, c.conversionValue])).toEqual([['gclid_recent01', 'acc_7', 'con_7', 1000]]);

    const again = await h.customer.conversionUploads.uploadClickConversions({ customer_id: h.emulator.customerId, partial_failure: true, conversions: [conv('gclid_recent01')] } as never);
    expect(decodePartial(again.partial_failure_error as never).errors[0]!.error_code!.conversion_upload_error).toBe(23); // CLICK_CONVERSION_ALREADY_EXISTS
    expect(h.emulator.state.uploadedConversions()).toHaveLength(1);
  });

  test('partial_failure=false is refused like the real API', async () => {
    const e = await h.customer.conversionUploads
      .uploadClickConversions({ customer_id: h.emulator.customerId, partial_failure: false, conversions: [] } as never)
      .catch((x: unknown) => x);
    expect(e).toBeInstanceOf(errors.GoogleAdsFailure);
    expect((e as errors.GoogleAdsFailure).errors[0]!.error_code!.partial_failure_error).toBe(2);
  });
});

describe('Customer Match', () => {
  test('list → job → add/remove hashed emails → run: membership and a google treatment', async () => {
    const created = await h.customer.userLists.create([
      { name: 'Intent: pricing', description: 'revloop', crm_based_user_list: { upload_key_type: 'CONTACT_INFO', data_source_type: 'FIRST_PARTY' } } as never,
    ]);
    const listResource = created.results[0]!.resource_name!;
    expect(listResource).toMatch(/^customers\/1234567890\/userLists\/\d+$/);

    const job = await h.customer.offlineUserDataJobs.createOfflineUserDataJob({
      customer_id: h.emulator.customerId,
      job: { type: 'CUSTOMER_MATCH_USER_LIST', customer_match_user_list_metadata: { user_list: listResource } },
    } as never);
    const ada = hashEmail('ada@example.com');
    const stranger = hashEmail('nobody@example.com');
    const added = await h.customer.offlineUserDataJobs.addOfflineUserDataJobOperations({
      resource_name: job.resource_name,
      enable_partial_failure: true,
      operations: [
        { create: { user_identifiers: [{ hashed_email: ada }] } },
        { create: { user_identifiers: [{ hashed_email: 'ada@example.com' }] } }, // not hashed
        { create: { user_identifiers: [{ hashed_email: stranger }] } },
        { remove: { user_identifiers: [{ hashed_email: stranger }] } },
      ],
    } as never);
    const failure = decodePartial(added.partial_failure_error as never);
    expect(failure.errors.map((e) => e.location!.field_path_elements![0]!.index)).toEqual([1]);
    expect(failure.errors[0]!.error_code!.offline_user_data_job_error).toBe(25); // INVALID_SHA256_FORMAT

    expect(treatments).toHaveLength(0); // nothing happens before the job runs
    const op = (await h.customer.offlineUserDataJobs.runOfflineUserDataJob({ resource_name: job.resource_name } as never)) as unknown as { done?: boolean };
    expect(op.done).toBe(false); // the job runs asynchronously
    const listId = listResource.split('/').pop()!;
    expect(h.emulator.state.members(listId)).toEqual([]);
    const status = async () =>
      String((await streamReport(h.customer, { entity: 'offline_user_data_job', attributes: ['offline_user_data_job.resource_name', 'offline_user_data_job.status'], constraints: [`offline_user_data_job.resource_name = '${job.resource_name}'`] })).rows[0]!.offline_user_data_job!.status);
    // default processing: done on the second poll (or after 10 emulator minutes)
    expect(await status()).toBe('RUNNING');
    expect(await status()).toBe('SUCCESS');
    expect(h.emulator.state.members(listId)).toEqual([ada]);
    expect(h.emulator.state.memberContacts(listId)).toEqual(['con_7']);
    expect(treatments).toEqual([{ accountId: 'acc_7', contactId: 'con_7', channel: 'google', at: NOW }]);

    const rerun = await h.customer.offlineUserDataJobs.runOfflineUserDataJob({ resource_name: job.resource_name } as never).catch((x: unknown) => x);
    expect((rerun as errors.GoogleAdsFailure).errors[0]!.error_code!.offline_user_data_job_error).toBe(22); // JOB_ALREADY_STARTED
  });

  test('a job for an unknown list is refused', async () => {
    const e = await h.customer.offlineUserDataJobs
      .createOfflineUserDataJob({ customer_id: h.emulator.customerId, job: { type: 'CUSTOMER_MATCH_USER_LIST', customer_match_user_list_metadata: { user_list: 'customers/1234567890/userLists/1' } } } as never)
      .catch((x: unknown) => x);
    expect((e as errors.GoogleAdsFailure).errors[0]!.error_code!.offline_user_data_job_error).toBe(3); // INVALID_USER_LIST_ID
  });
});
