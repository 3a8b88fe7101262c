// Developer token, quota and injected faults, seen through the real client.
import { afterEach, expect, test } from 'vitest';
import { errors } from 'google-ads-api';
import { decodeFailure, startWithClient, streamError } from './harness.js';

const NOW = Date.parse('2024-02-10T12:00:00Z');
let stops: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(stops.map((s) => s()));
  stops = [];
});

async function start(...args: Parameters<typeof startWithClient>) {
  const h = await startWithClient(...args);
  stops.push(h.stop);
  for (let c = 0; c < 3; c++) {
    h.emulator.state.apply({ kind: 'campaign', campaign: { id: `cmp_gg_${c}`, platform: 'google', name: `C${c}`, status: 'ACTIVE', dailyBudget: 1, createdAt: 0 } });
  }
  return h;
}
const campaigns = { entity: 'campaign', attributes: ['campaign.id'] };

test('an unknown developer token is UNAUTHENTICATED with authentication_error', async () => {
  const h = await start({ now: () => NOW }, 'stolen-token');
  const { error } = await streamError(h.customer, campaigns);
  expect(error.code).toBe(16);
  expect(decodeFailure(h.customer, error).errors[0]!.error_code.authentication_error).toBe(29); // DEVELOPER_TOKEN_INVALID
  const upload = await h.customer.conversionUploads.uploadClickConversions({ customer_id: h.emulator.customerId, partial_failure: true, conversions: [] } as never).catch((e: unknown) => e);
  expect((upload as errors.GoogleAdsFailure).errors[0]!.error_code!.authentication_error).toBe(29);
});

test('rate-limit storm: RESOURCE_EXHAUSTED with quota_error and a retry delay, not retried by gax', async () => {
  const h = await start({ now: () => NOW, faults: { rateLimitRate: 1 } });
  const started = performance.now();
  const { error } = await streamError(h.customer, campaigns);
  expect(performance.now() - started).toBeLessThan(3000);
  expect(error.code).toBe(8);
  const e = decodeFailure(h.customer, error).errors[0]!;
  expect(e.error_code.quota_error).toBe(2); // RESOURCE_EXHAUSTED
  h.emulator.faults.set({ rateLimitRate: 0 });
  const ok = await streamError(h.customer, { entity: 'campaign', attributes: ['campaign.colour'] });
  expect(ok.error.code).toBe(3); // the next call reaches the query engine again
});

test('server errors are UNAVAILABLE', async () => {
  const h = await start({ now: () => NOW, faults: { serverErrorRate: 1 } });
  const { error } = await streamError(h.customer, campaigns);
  expect(error.code).toBe(14);
});

test('a dropped connection cancels a stream mid-way', async () => {
  const h = await start({ now: () => NOW, faults: { dropConnectionRate: 1 } });
  for (let c = 3; c < 25_000; c++) {
    h.emulator.state.apply({ kind: 'campaign', campaign: { id: `cmp_gg_${c}`, platform: 'google', name: `C${c}`, status: 'ACTIVE', dailyBudget: 1, createdAt: 0 } });
  }
  const { error, rows } = await streamError(h.customer, campaigns);
  expect(error.code).toBe(1); // CANCELLED
  expect(rows).toHaveLength(10_000); // one of three messages arrived
});

test('the daily request quota is counted on the simulated clock', async () => {
  let now = NOW;
  const h = await start({ now: () => now, requestsPerDay: 2 });
  for (let i = 0; i < 2; i++) expect((await streamError(h.customer, { entity: 'campaign', attributes: ['campaign.nope'] })).error.code).toBe(3);
  const { error } = await streamError(h.customer, campaigns);
  expect(error.code).toBe(8);
  now += 86_400_000;
  expect((await streamError(h.customer, { entity: 'campaign', attributes: ['campaign.nope'] })).error.code).toBe(3);
});

test('another customer id is PERMISSION_DENIED', async () => {
  const h = await start({ now: () => NOW });
  const e = await h.customer.conversionUploads.uploadClickConversions({ customer_id: '9999999999', partial_failure: true, conversions: [] } as never).catch((x: unknown) => x);
  expect((e as errors.GoogleAdsFailure).errors[0]!.error_code!.authorization_error).toBeGreaterThan(0);
});
