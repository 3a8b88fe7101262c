// The Data Manager API emulator, over plain fetch: the v1 REST shapes, fast-fail validation
// (google.rpc.BadRequest, nothing processed), destination checks, and asynchronous requests.
import { afterEach, describe, expect, test } from 'vitest';
import { hashEmail, startGoogleAdsEmulator, type GoogleAdsEmulator } from '../../src/emulators/google-ads/index.js';

let emu: GoogleAdsEmulator | undefined;
afterEach(async () => {
  await emu?.stop();
  emu = undefined;
});

let now = Date.parse('2024-06-01T12:00:00Z');
async function start() {
  emu = await startGoogleAdsEmulator({ now: () => now, jobProcessing: { polls: 2, ms: 60_000 } });
  return emu;
}
const post = (e: GoogleAdsEmulator, method: string, body: unknown) => fetch(`${e.dataManagerUrl}/v1/${method}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
const status = async (e: GoogleAdsEmulator, id: string) => (await (await fetch(`${e.dataManagerUrl}/v1/requestStatus:retrieve?requestId=${id}`)).json()) as { requestStatusPerDestination: { requestStatus: string; errorInfo?: { errorCounts: { reason: string; recordCount: string }[] } }[] };
const dest = (e: GoogleAdsEmulator, id: string) => ({ operatingAccount: { accountType: 'GOOGLE_ADS', accountId: e.customerId }, productDestinationId: id });
const member = (email: string) => ({ userData: { userIdentifiers: [{ emailAddress: hashEmail(email) }] } });
const tos = { customerMatchTermsOfServiceStatus: 'ACCEPTED' };

describe('audienceMembers', () => {
  test('ingest answers a requestId; the members apply only when the request is done (PROCESSING → SUCCESS)', async () => {
    const e = await start();
    const list = e.state.createUserList('L');
    const r = await post(e, 'audienceMembers:ingest', { destinations: [dest(e, list.id)], audienceMembers: [member('a@b.test'), member('c@d.test')], encoding: 'HEX', termsOfService: tos });
    expect(r.status).toBe(200);
    const { requestId } = (await r.json()) as { requestId: string };
    expect(requestId).toMatch(/^dm-/);
    expect(list.members.size).toBe(0);
    expect((await status(e, requestId)).requestStatusPerDestination[0]!.requestStatus).toBe('PROCESSING');
    const done = await status(e, requestId);
    expect(done.requestStatusPerDestination[0]).toMatchObject({ requestStatus: 'SUCCESS', audienceMembersIngestionStatus: { recordCount: '2' } });
    expect(new Set(list.members)).toEqual(new Set([hashEmail('a@b.test'), hashEmail('c@d.test')]));
    const removed = (await (await post(e, 'audienceMembers:remove', { destinations: [dest(e, list.id)], audienceMembers: [member('a@b.test')], encoding: 'HEX' })).json()) as { requestId: string };
    now += 60_000; // or enough time
    expect((await status(e, removed.requestId)).requestStatusPerDestination[0]!.requestStatus).toBe('SUCCESS');
    expect([...list.members]).toEqual([hashEmail('c@d.test')]);
  });

  test('fast fail: one bad record, a missing encoding or unaccepted terms refuse the whole request with a BadRequest', async () => {
    const e = await start();
    const list = e.state.createUserList('L');
    const bad = await post(e, 'audienceMembers:ingest', { destinations: [dest(e, list.id)], audienceMembers: [member('a@b.test'), { userData: { userIdentifiers: [{ emailAddress: 'a@b.test' }] } }], encoding: 'HEX', termsOfService: tos });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({
      error: { code: 400, status: 'INVALID_ARGUMENT', details: [{ '@type': 'type.googleapis.com/google.rpc.BadRequest', fieldViolations: [{ field: 'audienceMembers[1].userData.userIdentifiers[0].emailAddress' }] }] },
    });
    expect((await post(e, 'audienceMembers:ingest', { destinations: [dest(e, list.id)], audienceMembers: [member('a@b.test')], termsOfService: tos })).status).toBe(400); // no encoding
    const terms = await post(e, 'audienceMembers:ingest', { destinations: [dest(e, list.id)], audienceMembers: [member('a@b.test')], encoding: 'HEX' });
    expect(((await terms.json()) as { error: { message: string } }).error.message).toMatch(/termsOfService\.customerMatchTermsOfServiceStatus/);
    const tooMany = await post(e, 'audienceMembers:ingest', { destinations: [dest(e, list.id)], audienceMembers: Array.from({ length: 10_001 }, () => member('a@b.test')), encoding: 'HEX', termsOfService: tos });
    expect(tooMany.status).toBe(400);
    expect(e.dataManagerRequests.all()).toHaveLength(0);
    expect(list.members.size).toBe(0);
  });

  test('destinations: another account is PERMISSION_DENIED, an unknown list INVALID_ARGUMENT', async () => {
    const e = await start();
    const other = await post(e, 'audienceMembers:ingest', { destinations: [{ operatingAccount: { accountType: 'GOOGLE_ADS', accountId: '9999999999' }, productDestinationId: '1' }], audienceMembers: [member('a@b.test')], encoding: 'HEX', termsOfService: tos });
    expect(other.status).toBe(403);
    expect(((await other.json()) as { error: { status: string } }).error.status).toBe('PERMISSION_DENIED');
    const unknown = await post(e, 'audienceMembers:ingest', { destinations: [dest(e, '42')], audienceMembers: [member('a@b.test')], encoding: 'HEX', termsOfService: tos });
    expect(unknown.status).toBe(400);
    expect(((await unknown.json()) as { error: { message: string } }).error.message).toMatch(/destinations\[0\]\.productDestinationId: user list 42 not found/);
  });
});

describe('events', () => {
  test('events:ingest stores conversions when done; unknown gclids and duplicate transactionIds are counted per reason', async () => {
    const e = await start();
    e.state.apply({ kind: 'campaign', campaign: { id: 'cmp_gg_001', platform: 'google', name: 'Brand', status: 'ACTIVE', dailyBudget: 1, createdAt: 0 } });
    e.state.apply({ kind: 'click', click: { clickId: 'gclid_recent01', campaignId: 'cmp_gg_001', accountId: 'acc_7', date: '2024-05-20', occurredAt: Date.parse('2024-05-20T09:00:00Z') } });
    const event = (gclid: string, transactionId: string) => ({ adIdentifiers: { gclid }, transactionId, eventTimestamp: '2024-05-25T10:00:00Z', conversionValue: 12.5, currency: 'USD' });
    const send = async (events: unknown[]) => ((await (await post(e, 'events:ingest', { destinations: [dest(e, '700000001')], events })).json()) as { requestId: string }).requestId;
    const id = await send([event('gclid_recent01', 't1'), event('gclid_nope0001', 't2'), event('gclid_recent01', 't1')]);
    await status(e, id);
    const s = await status(e, id);
    expect(s.requestStatusPerDestination[0]).toMatchObject({ requestStatus: 'PARTIAL_SUCCESS', eventsIngestionStatus: { recordCount: '3' } });
    expect(s.requestStatusPerDestination[0]!.errorInfo!.errorCounts).toEqual([
      { reason: 'PROCESSING_ERROR_REASON_INVALID_GCLID', recordCount: '1' },
      { reason: 'PROCESSING_ERROR_REASON_DUPLICATE_TRANSACTION_ID', recordCount: '1' },
    ]);
    expect(e.state.uploadedConversions().map((c) => [c.gclid, c.orderId, c.conversionDateTime, c.conversionValue])).toEqual([['gclid_recent01', 't1', '2024-05-25 10:00:00+00:00', 12.5]]);
    const noTime = await post(e, 'events:ingest', { destinations: [dest(e, '700000001')], events: [{ adIdentifiers: { gclid: 'gclid_recent01' }, transactionId: 't3', eventTimestamp: '2024-05-25 10:00:00' }] });
    expect(noTime.status).toBe(400);
    const tooMany = await post(e, 'events:ingest', { destinations: [dest(e, '700000001')], events: Array.from({ length: 2_001 }, (_, i) => event('gclid_recent01', `t${i}`)) });
    expect(tooMany.status).toBe(400);
    const unknownRequest = await fetch(`${e.dataManagerUrl}/v1/requestStatus:retrieve?requestId=nope`);
    expect(unknownRequest.status).toBe(404);
  });
});
