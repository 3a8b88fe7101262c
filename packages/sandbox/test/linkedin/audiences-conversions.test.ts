import { createHash } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import type { SimTreatment } from '../../src/market/types.js';
import { start } from './helpers.js';

let stops: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(stops.map((s) => s()));
  stops = [];
});

const sha = (email: string) => createHash('sha256').update(email.trim().toLowerCase()).digest('hex');

describe('dmpSegments', () => {
  it('creates a segment, adds and removes hashed emails, rejects bad hashes per element, reports treatments', async () => {
    const treatments: SimTreatment[] = [];
    const { emu, call } = await start({ onTreatment: (t) => treatments.push(t) });
    stops.push(emu.stop);
    emu.state.apply({
      kind: 'contact',
      contact: {
        id: 'con_000001', accountId: 'acc_000001', email: 'Ada@Example.com', firstName: 'Ada', lastName: 'L', persona: 'champion',
        title: 'VP', lifecycleStage: 'lead', createdAt: 0, updatedAt: 0,
      },
    });
    const created = await call('/rest/dmpSegments', {
      method: 'POST',
      body: JSON.stringify({ name: 'Intent: pricing', account: `urn:li:sponsoredAccount:${emu.state.adAccount.id}`, type: 'USER', sourcePlatform: 'REVLOOP' }),
    });
    expect(created.status).toBe(201);
    const id = created.headers.get('x-restli-id')!;
    expect(id).toMatch(/^\d+$/);

    const users = (elements: unknown[], method = 'BATCH_CREATE') =>
      call(`/rest/dmpSegments/${id}/users`, { method: 'POST', headers: { 'X-RestLi-Method': method }, body: JSON.stringify({ elements }) });
    const stranger = sha('someone@else.com');
    const res = await users([
      { action: 'ADD', userIds: [{ idType: 'SHA256_EMAIL', idValue: sha(' ada@example.COM ') }] },
      { action: 'ADD', userIds: [{ idType: 'SHA256_EMAIL', idValue: stranger }] },
      { action: 'ADD', userIds: [{ idType: 'SHA256_EMAIL', idValue: 'not-a-hash' }] },
      { action: 'ADD', userIds: [{ idType: 'SHA256_EMAIL', idValue: sha('x').slice(0, 63) }] },
    ]);
    expect(res.status).toBe(200);
    const statuses = ((await res.json()) as { elements: { status: number }[] }).elements.map((e) => e.status);
    expect(statuses).toEqual([201, 201, 400, 400]);
    expect(emu.state.segmentMembers(Number(id)).sort()).toEqual([sha('ada@example.com'), stranger].sort());
    expect(emu.state.segmentContacts(Number(id))).toEqual(['con_000001']);
    expect(treatments).toEqual([{ accountId: 'acc_000001', contactId: 'con_000001', channel: 'linkedin', at: emu.clock!.now() }]);

    await users([{ action: 'REMOVE', userIds: [{ idType: 'SHA256_EMAIL', idValue: stranger }] }]);
    expect(emu.state.segmentMembers(Number(id))).toEqual([sha('ada@example.com')]);
    const seg = (await (await call(`/rest/dmpSegments/${id}`)).json()) as { name: string; destinations: { audienceSize: number }[] };
    expect(seg.name).toBe('Intent: pricing');
    expect(seg.destinations[0].audienceSize).toBe(1);

    expect((await users([{ action: 'ADD', userIds: [] }], 'CREATE')).status).toBe(400); // method header required
    const malformed = await call(`/rest/dmpSegments/${id}/users`, { method: 'POST', headers: { 'X-RestLi-Method': 'BATCH_CREATE' }, body: '{"elements":[' });
    expect(malformed.status).toBe(400);
    expect(await malformed.json()).toMatchObject({ status: 400 });
    expect((await call('/rest/dmpSegments', { method: 'POST', body: JSON.stringify({ name: 'x' }) })).status).toBe(400);
  });
});

describe('conversionEvents', () => {
  const event = (now: number, over: Record<string, unknown> = {}) => ({
    conversion: 'urn:lla:llaPartnerConversion:123',
    conversionHappenedAt: now - 86_400_000,
    conversionValue: { currencyCode: 'USD', amount: '5000.00' },
    user: { userIds: [{ idType: 'SHA256_EMAIL', idValue: sha('ada@example.com') }] },
    ...over,
  });

  it('accepts single and batch events, rejects >90-day-old ones per element, and dedupes eventId', async () => {
    const { emu, call } = await start();
    stops.push(emu.stop);
    emu.clock!.set(Date.UTC(2024, 5, 1));
    const now = emu.clock!.now();
    const single = await call('/rest/conversionEvents', { method: 'POST', body: JSON.stringify(event(now, { eventId: 'opp_1' })) });
    expect(single.status).toBe(201);
    const tooOldSingle = await call('/rest/conversionEvents', { method: 'POST', body: JSON.stringify(event(now, { conversionHappenedAt: now - 91 * 86_400_000 })) });
    expect(tooOldSingle.status).toBe(400);

    const batch = await call('/rest/conversionEvents', {
      method: 'POST',
      headers: { 'X-RestLi-Method': 'BATCH_CREATE' },
      body: JSON.stringify({
        elements: [
          event(now, { eventId: 'opp_1' }), // duplicate of the single one
          event(now, { eventId: 'opp_2', user: { userIds: [] } }), // empty userIds allowed
          event(now, { eventId: 'opp_3', conversionHappenedAt: now - 90 * 86_400_000 - 1 }),
          event(now, { eventId: 'opp_4', user: {} }), // userIds required
          event(now, { eventId: 'opp_5', conversionHappenedAt: now - 89 * 86_400_000 }),
        ],
      }),
    });
    expect(batch.status).toBe(200);
    const body = (await batch.json()) as { elements: { status: number; error?: { message: string } }[] };
    expect(body.elements.map((e) => e.status)).toEqual([201, 201, 400, 400, 201]);
    expect(body.elements[2].error!.message).toMatch(/90 days/);
    expect(emu.state.receivedConversions().map((c) => c.eventId)).toEqual(['opp_1', 'opp_2', 'opp_5']);

    const tooBig = await call('/rest/conversionEvents', {
      method: 'POST',
      headers: { 'X-RestLi-Method': 'BATCH_CREATE' },
      body: JSON.stringify({ elements: Array.from({ length: 5001 }, () => event(now)) }),
    });
    expect(tooBig.status).toBe(400);
    const notJson = await call('/rest/conversionEvents', { method: 'POST', body: 'conversion=1' });
    expect(notJson.status).toBe(400);
    expect(await notJson.json()).toMatchObject({ status: 400, message: expect.any(String) });
  });
});
