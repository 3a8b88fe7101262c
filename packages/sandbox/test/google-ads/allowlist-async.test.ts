// Strict like Google for new adopters: Customer Match (OfflineUserDataJobService) and
// UploadClickConversions answer CUSTOMER_NOT_ALLOWLISTED_FOR_THIS_FEATURE for a developer token
// off the upload allow-list; offline user data jobs run asynchronously (PENDING → RUNNING → SUCCESS).
import { afterEach, describe, expect, test } from 'vitest';
import { errors } from 'google-ads-api';
import { startWithClient, streamReport } from './harness.js';
import { smallScenarioPath, startSandbox } from '../../src/sandbox.js';

let h: Awaited<ReturnType<typeof startWithClient>> | undefined;
afterEach(async () => {
  await h?.stop();
  h = undefined;
});

const notAllowlisted = (e: unknown) => (e as errors.GoogleAdsFailure).errors?.[0]?.error_code?.not_allowlisted_error;
const CUSTOMER_NOT_ALLOWLISTED_FOR_THIS_FEATURE = 2;

async function listAndJob(c: NonNullable<typeof h>) {
  const list = c.emulator.state.createUserList('L');
  const resource = `customers/${c.emulator.customerId}/userLists/${list.id}`;
  return { list, resource };
}

describe('the upload allow-list', () => {
  test('a token off the list is refused on every Customer Match method and on UploadClickConversions; reads still work', async () => {
    h = await startWithClient({ uploadAllowlist: [] });
    const { resource } = await listAndJob(h);
    const create = await h.customer.offlineUserDataJobs
      .createOfflineUserDataJob({ customer_id: h.emulator.customerId, job: { type: 'CUSTOMER_MATCH_USER_LIST', customer_match_user_list_metadata: { user_list: resource } } } as never)
      .catch((e: unknown) => e);
    expect(notAllowlisted(create)).toBe(CUSTOMER_NOT_ALLOWLISTED_FOR_THIS_FEATURE);
    expect((create as errors.GoogleAdsFailure).errors[0]!.message).toMatch(/not allowlisted/i);
    // a job that exists (created before the token lost its place) cannot be filled or run either
    const job = h.emulator.state.createJob(resource.split('/').pop()!);
    const jobName = `customers/${h.emulator.customerId}/offlineUserDataJobs/${job.id}`;
    const add = await h.customer.offlineUserDataJobs.addOfflineUserDataJobOperations({ resource_name: jobName, enable_partial_failure: true, operations: [] } as never).catch((e: unknown) => e);
    expect(notAllowlisted(add)).toBe(CUSTOMER_NOT_ALLOWLISTED_FOR_THIS_FEATURE);
    const run = await h.customer.offlineUserDataJobs.runOfflineUserDataJob({ resource_name: jobName } as never).catch((e: unknown) => e);
    expect(notAllowlisted(run)).toBe(CUSTOMER_NOT_ALLOWLISTED_FOR_THIS_FEATURE);
    const upload = await h.customer.conversionUploads.uploadClickConversions({ customer_id: h.emulator.customerId, conversions: [], partial_failure: true } as never).catch((e: unknown) => e);
    expect(notAllowlisted(upload)).toBe(CUSTOMER_NOT_ALLOWLISTED_FOR_THIS_FEATURE);
    expect(job.status).toBe('PENDING');
    const rows = (await streamReport(h.customer, { entity: 'user_list', attributes: ['user_list.resource_name'] })).rows;
    expect(rows).toHaveLength(1);
  });

  test('the default list holds every accepted token; taking one off applies at once', async () => {
    h = await startWithClient();
    await expect(h.customer.conversionUploads.uploadClickConversions({ customer_id: h.emulator.customerId, conversions: [], partial_failure: true } as never)).resolves.toBeTruthy();
    h.emulator.uploadAllowlist.delete(h.emulator.developerToken);
    const e = await h.customer.conversionUploads.uploadClickConversions({ customer_id: h.emulator.customerId, conversions: [], partial_failure: true } as never).catch((x: unknown) => x);
    expect(notAllowlisted(e)).toBe(CUSTOMER_NOT_ALLOWLISTED_FOR_THIS_FEATURE);
  });
});

describe('the sandbox says whether its token is allow-listed', () => {
  test('googleAdsUploadsAllowlisted: false empties the allow-list; refs name the Data Manager endpoint', async () => {
    const closed = await startSandbox({ vendors: ['googleAds'], scenario: smallScenarioPath.pathname, googleAdsUploadsAllowlisted: false });
    const open = await startSandbox({ vendors: ['googleAds'], scenario: smallScenarioPath.pathname });
    try {
      expect([...closed.googleAds!.uploadAllowlist]).toEqual([]);
      expect([...open.googleAds!.uploadAllowlist]).toEqual([open.googleAds!.developerToken]);
      expect(closed.refs['googleAds.dataManagerEndpoint']).toBe(closed.googleAds!.dataManagerUrl);
      expect(closed.refs['googleAds.dataManagerEndpoint']).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    } finally {
      await closed.stop();
      await open.stop();
    }
  });
});

describe('offline user data jobs run asynchronously', () => {
  test('RUNNING after the run, SUCCESS (members applied) once enough emulator time has passed', async () => {
    let now = Date.parse('2024-06-01T12:00:00Z');
    h = await startWithClient({ now: () => now, jobProcessing: { polls: 100, ms: 5 * 60_000 } });
    const { list, resource } = await listAndJob(h);
    const job = await h.customer.offlineUserDataJobs.createOfflineUserDataJob({ customer_id: h.emulator.customerId, job: { type: 'CUSTOMER_MATCH_USER_LIST', customer_match_user_list_metadata: { user_list: resource } } } as never);
    await h.customer.offlineUserDataJobs.addOfflineUserDataJobOperations({ resource_name: job.resource_name, enable_partial_failure: true, operations: [{ create: { user_identifiers: [{ hashed_email: 'a'.repeat(64) }] } }] } as never);
    const status = async () => String((await streamReport(h!.customer, { entity: 'offline_user_data_job', attributes: ['offline_user_data_job.status'] })).rows[0]!.offline_user_data_job!.status);
    expect(await status()).toBe('PENDING');
    await h.customer.offlineUserDataJobs.runOfflineUserDataJob({ resource_name: job.resource_name } as never);
    expect(await status()).toBe('RUNNING');
    now += 4 * 60_000;
    expect(await status()).toBe('RUNNING');
    expect([...list.members]).toEqual([]);
    now += 60_000;
    expect(await status()).toBe('SUCCESS');
    expect([...list.members]).toEqual(['a'.repeat(64)]);
  });
});
