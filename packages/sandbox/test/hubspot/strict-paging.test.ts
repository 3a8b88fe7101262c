// The emulator pages as strictly as HubSpot: opaque tokens only (a number, a forged token or one of
// another query is a 400 VALIDATION_ERROR naming the parameter), web events per record, and
// per-result paging in v4 association batch reads.
import { Client } from '@hubspot/api-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHubSpotEmulator, type HubSpotEmulator } from '../../src/emulators/hubspot/index.js';
import { smallMarket, t0 } from './market-fixtures.js';

const token = 'pat-strict';
const auth = { headers: { authorization: `Bearer ${token}` } };
let emu: HubSpotEmulator;
let client: Client;
let contactId: string;

beforeAll(async () => {
  emu = await startHubSpotEmulator({ tokens: [token], now: () => t0 + 86_400_000, associationPageSize: 2 });
  for (const e of smallMarket(30)) emu.state.apply(e);
  contactId = emu.state.hubspotIdOf('con_000001')!;
  for (let i = 0; i < 7; i++) emu.state.apply({ kind: 'signal', signal: { id: `w${i}`, accountId: 'acc_000002', contactId: 'con_000001', type: 'page_view', occurredAt: t0 + 1_000 + i } });
  for (let i = 0; i < 5; i++) emu.state.apply({ kind: 'signal', signal: { id: `e${i}`, accountId: 'acc_000002', contactId: 'con_000001', type: 'email_open', occurredAt: t0 + 2_000 + i } });
  client = new Client({ accessToken: token, basePath: emu.url, numberOfApiCallRetries: 1 });
});
afterAll(() => emu.stop());

async function get(path: string): Promise<{ status: number; body: any }> {
  const res = await fetch(`${emu.url}${path}`, auth);
  return { status: res.status, body: await res.json() };
}

function expectHubSpot400(r: { status: number; body: any }, param: string, message: RegExp) {
  expect(r.status).toBe(400);
  expect(r.body).toMatchObject({ status: 'error', category: 'VALIDATION_ERROR', correlationId: expect.any(String), errors: [{ in: param, message: expect.stringMatching(message) }] });
  expect(r.body.message).toMatch(message);
}

describe('HubSpot emulator (strict): web events', () => {
  it('answers one record only: objectType and objectId / objectProperty.* are required', async () => {
    expectHubSpot400(await get('/events/v3/events'), 'objectType', /objectType is required/);
    expectHubSpot400(await get('/events/v3/events?objectType=contact'), 'objectId', /objectId or objectProperty/);
    expectHubSpot400(await get('/events/v3/events?objectType=contact&objectId=abc'), 'objectId', /integer/);
    expectHubSpot400(await get('/events/v3/events?objectType=contact&objectProperty.firstname=First1'), 'objectProperty.firstname', /not a unique identifier/);
    expect((await get(`/events/v3/events?objectType=contact&objectId=${contactId}`)).body.results).toHaveLength(7);
    expect((await get('/events/v3/events?objectType=contact&objectProperty.email=person1%40account2.example')).body.results).toHaveLength(7);
  });

  it('pages with opaque paging.next.after tokens through the SDK; a count, a forged token or another query\'s token is refused', async () => {
    const seen: string[] = [];
    let after: string | undefined;
    const tokens: string[] = [];
    do {
      const page = await client.events.eventsApi.getPage('contact', undefined, after, undefined, 3, undefined, undefined, undefined, Number(contactId));
      seen.push(...page.results.map((e) => e.id));
      after = page.paging?.next?.after;
      if (after) tokens.push(after);
    } while (after);
    expect(seen).toHaveLength(7);
    expect(new Set(seen).size).toBe(7);
    expect(tokens.every((t) => !/^\d+$/.test(t))).toBe(true);
    const base = `/events/v3/events?objectType=contact&objectId=${contactId}&limit=3`;
    expectHubSpot400(await get(`${base}&after=3`), 'after', /not a count/);
    expectHubSpot400(await get(`${base}&after=${tokens[0]!.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A'))}`), 'after', /not a paging token issued/);
    // a token of another query (another record) is not this query's position
    const other = emu.state.hubspotIdOf('con_000002')!;
    expectHubSpot400(await get(`/events/v3/events?objectType=contact&objectId=${other}&limit=3&after=${tokens[0]}`), 'after', /not a paging token issued/);
  });
});

describe('HubSpot emulator (strict): email events', () => {
  it('returns an offset token to send back; a numeric offset is refused', async () => {
    const q = `/email/public/v1/events?eventType=OPEN&startTimestamp=${t0}&limit=2`;
    const ids: string[] = [];
    let r = await get(q);
    for (;;) {
      expect(r.status).toBe(200);
      expect(r.body.offset).toEqual(expect.any(String));
      expect(r.body.offset).not.toMatch(/^\d+$/);
      ids.push(...r.body.events.map((e: { id: string }) => e.id));
      if (!r.body.hasMore) break;
      r = await get(`${q}&offset=${encodeURIComponent(r.body.offset)}`);
    }
    expect(ids).toHaveLength(5);
    expect(new Set(ids).size).toBe(5);
    expectHubSpot400(await get(`${q}&offset=2`), 'offset', /not a count/);
    const first = (await get(q)).body.offset as string;
    expectHubSpot400(await get(`/email/public/v1/events?eventType=CLICK&startTimestamp=${t0}&limit=2&offset=${encodeURIComponent(first)}`), 'offset', /not a token issued for this query/);
  });
});

describe('HubSpot emulator (strict): association batch read', () => {
  it('a record with more associations than a page gets its own paging; { id, after } reads the rest', async () => {
    const company = emu.state.hubspotIdOf('acc_000001')!; // contacts 10, 20, 30 and more
    const first = await client.crm.associations.v4.batchApi.getPage('companies', 'contacts', { inputs: [{ id: company }] });
    expect(first.results).toHaveLength(1);
    const r0 = first.results[0]!;
    expect(r0.to).toHaveLength(2);
    const after = r0.paging?.next?.after;
    expect(after).toEqual(expect.any(String));
    const rest = await client.crm.associations.v4.batchApi.getPage('companies', 'contacts', { inputs: [{ id: company, after: after! }] });
    const all = [...r0.to, ...rest.results[0]!.to].map((t) => String(t.toObjectId));
    expect(new Set(all).size).toBe(all.length);
    expect(all.length).toBe(emu.state.associations.targets('companies', company, 'contacts').length);
    // a record within one page has no paging at all ("absent otherwise")
    const small = await client.crm.associations.v4.batchApi.getPage('contacts', 'companies', { inputs: [{ id: emu.state.hubspotIdOf('con_000001')! }] });
    expect(small.results[0]!.paging).toBeUndefined();
    const bad = await fetch(`${emu.url}/crm/v4/associations/companies/contacts/batch/read`, { method: 'POST', headers: { ...auth.headers, 'content-type': 'application/json' }, body: JSON.stringify({ inputs: [{ id: company, after: '3' }] }) });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ category: 'VALIDATION_ERROR', message: expect.stringMatching(/not a count/) });
  });
});
