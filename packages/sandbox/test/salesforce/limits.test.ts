// Salesforce's request-size limits: 16,384 bytes of URI + headers (414 / 431), the composite call
// that carries a long query in its body, and getDeleted's 600,000-id cap (EXCEEDED_ID_LIMIT).
import { afterEach, describe, expect, it } from 'vitest';
import { startSalesforceEmulator, REPLICATION_ID_LIMIT, URI_AND_HEADERS_LIMIT, type SalesforceEmulator } from '../../src/emulators/salesforce/index.js';
import { connect, feedContacts, T0 } from './helpers.js';

let em: SalesforceEmulator | undefined;
afterEach(async () => {
  await em?.stop();
  em = undefined;
});

const customFields = (n: number) => Array.from({ length: n }, (_, i) => `Custom_Field_Number_${String(i + 1).padStart(3, '0')}__c`);

describe('Salesforce emulator: URI + headers limit', () => {
  it('refuses a GET whose URI passes 16,384 bytes with 414, URI + headers with 431, and serves it through POST /composite', async () => {
    expect(URI_AND_HEADERS_LIMIT).toBe(16_384);
    em = await startSalesforceEmulator();
    feedContacts(em, 3, 1);
    for (const name of customFields(600)) em.state.addCustomField('Contact', { name, type: 'string' });
    const get = (soql: string, headers: Record<string, string> = {}) =>
      fetch(`${em!.url}/services/data/v62.0/query?q=${encodeURIComponent(soql)}`, { headers: { authorization: `Bearer ${em!.accessToken}`, ...headers } });

    const long = `SELECT Id, ${customFields(600).join(', ')} FROM Contact`;
    expect(encodeURIComponent(long).length).toBeGreaterThan(16_384);
    const tooLong = await get(long);
    expect(tooLong.status).toBe(414);
    expect(await tooLong.text()).toBe('URI Too Long');

    // a URI just under the limit, pushed over by a large header
    const medium = `SELECT Id, ${customFields(420).join(', ')} FROM Contact`;
    const uri = `/services/data/v62.0/query?q=${encodeURIComponent(medium)}`;
    expect(uri.length).toBeLessThan(16_384);
    expect((await get(medium)).status).toBe(200);
    expect((await get(medium, { 'x-padding': 'x'.repeat(16_384 - uri.length) })).status).toBe(431);

    const before = (await (await fetch(`${em.url}/services/data/v62.0/limits`, { headers: { authorization: `Bearer ${em.accessToken}` } })).json()) as { DailyApiRequests: { Remaining: number } };
    const conn = connect(em);
    const composite = await conn.request<{ compositeResponse: { body: { totalSize: number; records: Record<string, unknown>[] }; httpStatusCode: number; referenceId: string }[] }>({
      method: 'POST',
      url: '/services/data/v62.0/composite',
      body: JSON.stringify({ compositeRequest: [{ method: 'GET', url: `/services/data/v62.0/query?q=${encodeURIComponent(long)}`, referenceId: 'page' }] }),
      headers: { 'content-type': 'application/json' },
    });
    expect(composite.compositeResponse).toHaveLength(1);
    expect(composite.compositeResponse[0]).toMatchObject({ httpStatusCode: 200, referenceId: 'page', body: { totalSize: 3 } });
    expect(Object.keys(composite.compositeResponse[0]!.body.records[0]!)).toContain('Custom_Field_Number_600__c');
    const after = (await (await fetch(`${em.url}/services/data/v62.0/limits`, { headers: { authorization: `Bearer ${em.accessToken}` } })).json()) as { DailyApiRequests: { Remaining: number } };
    expect(before.DailyApiRequests.Remaining - after.DailyApiRequests.Remaining).toBe(2); // the composite call + this /limits call
  });
});

describe('Salesforce emulator: getDeleted id cap', () => {
  it('answers EXCEEDED_ID_LIMIT when a window holds more ids than the cap (600,000 by default), and serves a narrower window', async () => {
    expect(REPLICATION_ID_LIMIT).toBe(600_000);
    em = await startSalesforceEmulator({ limits: { replicationIds: 10 } });
    feedContacts(em, 30, 1);
    for (let n = 1; n <= 15; n++) {
      em.state.apply({ kind: 'deleted', entity: 'contact', id: `con_${String(n).padStart(6, '0')}`, at: em.clock.now() });
      em.clock.advance(60_000);
    }
    em.clock.advance(60_000);
    const window = (from: number, to: number) =>
      fetch(`${em!.url}/services/data/v62.0/sobjects/Contact/deleted/?start=${new Date(from).toISOString()}&end=${new Date(to).toISOString()}`, {
        headers: { authorization: `Bearer ${em!.accessToken}` },
      });
    const all = await window(T0, em.clock.now());
    expect(all.status).toBe(400);
    expect(await all.json()).toEqual([{ errorCode: 'EXCEEDED_ID_LIMIT', message: expect.stringContaining('closer together') }]);
    const half = await window(T0, T0 + 8 * 60_000);
    expect(half.status).toBe(200);
    expect(((await half.json()) as { deletedRecords: unknown[] }).deletedRecords).toHaveLength(8);
  });
});
