import { Client } from '@hubspot/api-client';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { timingSafeEqual } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SimTreatment } from '../../src/market/types.js';
import { signHubSpotWebhookV3, startHubSpotEmulator, type HubSpotEmulator } from '../../src/emulators/hubspot/index.js';
import { contact, smallMarket, t0 } from './market-fixtures.js';

const secret = 'app-secret';
const received: Array<{ headers: Record<string, string>; body: string }> = [];
const target = createServer((req, res) => {
  let body = '';
  req.on('data', (d) => (body += d));
  req.on('end', () => {
    received.push({ headers: req.headers as Record<string, string>, body });
    res.statusCode = 204;
    res.end();
  });
});
let targetUrl = '';
let emu: HubSpotEmulator;
let client: Client;
const treatments: SimTreatment[] = [];

/** What a receiver does: recompute the v3 signature and compare in constant time. */
function verify(uri: string, r: { headers: Record<string, string>; body: string }, clientSecret: string): boolean {
  const expected = Buffer.from(signHubSpotWebhookV3({ clientSecret, method: 'POST', uri, body: r.body, timestamp: r.headers['x-hubspot-request-timestamp']! }));
  const got = Buffer.from(r.headers['x-hubspot-signature-v3'] ?? '');
  return expected.length === got.length && timingSafeEqual(expected, got);
}

beforeAll(async () => {
  await new Promise<void>((r) => target.listen(0, '127.0.0.1', r));
  targetUrl = `http://127.0.0.1:${(target.address() as AddressInfo).port}/hooks/hubspot`;
  emu = await startHubSpotEmulator({
    tokens: ['t'],
    onTreatment: (t) => treatments.push(t),
    webhook: { targetUrl, clientSecret: secret, appId: 77, portalId: 62515, subscriptions: ['contact.creation', 'contact.propertyChange', 'deal.propertyChange'] },
  });
  emu.clock!.set(t0 + 3_600_000);
  for (const e of smallMarket(20)) emu.state.apply(e);
  client = new Client({ accessToken: 't', basePath: emu.url, numberOfApiCallRetries: 1 });
});
afterAll(async () => {
  await emu.stop();
  await new Promise((r) => target.close(r));
});

describe('HubSpot emulator: webhooks', () => {
  it('delivers v3-signed batches; a forged signature and a tampered body are detectable', async () => {
    emu.state.apply({ kind: 'contact', contact: { ...contact(5, 6, t0 + 7_200_000), title: 'CEO' } });
    const result = await emu.state.outbox!.flush();
    expect(result.failed).toBe(0);
    expect(received).toHaveLength(1);
    const events = JSON.parse(received[0]!.body);
    expect(events.filter((e: { subscriptionType: string }) => e.subscriptionType === 'contact.creation')).toHaveLength(20);
    const change = events.find((e: { subscriptionType: string }) => e.subscriptionType === 'contact.propertyChange');
    expect(change).toMatchObject({ propertyName: 'jobtitle', propertyValue: 'CEO', portalId: 62515, appId: 77, objectId: Number(emu.state.hubspotIdOf('con_000005')) });
    expect(verify(targetUrl, received[0]!, secret)).toBe(true);
    expect(verify(targetUrl, received[0]!, 'another-secret')).toBe(false);
    expect(verify(targetUrl, { ...received[0]!, body: received[0]!.body.replace('CEO', 'CFO') }, secret)).toBe(false);
    expect(Number(received[0]!.headers['x-hubspot-request-timestamp'])).toBe(emu.clock!.now());
  });
});

describe('HubSpot emulator: treatments and signals', () => {
  it('a task with hs_task_subject associated to a contact is a sales_task treatment', async () => {
    const contactId = emu.state.hubspotIdOf('con_000004')!;
    await client.crm.objects.tasks.basicApi.create({
      properties: { hs_task_subject: 'Call about pricing', hs_timestamp: String(t0), revloop_topic: 'pricing' },
      associations: [{ to: { id: contactId }, types: [{ associationCategory: 'HUBSPOT_DEFINED' as never, associationTypeId: 204 }] }],
    });
    expect(treatments.at(-1)).toMatchObject({ channel: 'sales_task', contactId: 'con_000004', accountId: 'acc_000005', topic: 'pricing', at: emu.clock!.now() });
    // the rep works it when it is due: the due time's hour (UTC) is the touch's hour
    expect(treatments.at(-1)!.sendHour).toBe(new Date(t0).getUTCHours());
    await client.crm.objects.tasks.basicApi.create({
      properties: { hs_task_subject: 'Call at two', hs_timestamp: new Date(Date.UTC(2025, 0, 8, 14, 0)).toISOString() },
      associations: [{ to: { id: contactId }, types: [{ associationCategory: 'HUBSPOT_DEFINED' as never, associationTypeId: 204 }] }],
    });
    expect(treatments.at(-1)).toMatchObject({ channel: 'sales_task', contactId: 'con_000004', sendHour: 14 });
  });

  it('setting revloop_next_action=email is an email treatment with topic, variant and send hour', async () => {
    const before = treatments.length;
    const id = emu.state.hubspotIdOf('con_000006')!;
    await client.crm.contacts.basicApi.update(id, { properties: { revloop_next_action: 'email', revloop_topic: 'security', revloop_variant: 'B', revloop_send_hour: '9' } });
    expect(treatments.slice(before)).toEqual([{ channel: 'email', accountId: 'acc_000007', contactId: 'con_000006', topic: 'security', variant: 'B', sendHour: 9, at: emu.clock!.now() }]);
    await client.crm.contacts.basicApi.update(id, { properties: { firstname: 'Sam' } });
    expect(treatments.length).toBe(before + 1); // other writes are not treatments
  });

  it('adding contacts to a revloop-email list enrols them (missing ids reported)', async () => {
    const before = treatments.length;
    const created = await client.crm.lists.listsApi.create({ name: 'revloop-email:roi', objectTypeId: '0-1', processingType: 'MANUAL' });
    const ids = [emu.state.hubspotIdOf('con_000008')!, emu.state.hubspotIdOf('con_000009')!, '424242'];
    const res = await client.crm.lists.membershipsApi.add(created.list.listId as never, ids);
    expect(res.recordsIdsAdded.sort()).toEqual(ids.slice(0, 2).sort());
    expect(res.recordIdsMissing).toEqual(['424242']);
    expect(treatments.slice(before).map((t) => [t.channel, t.contactId, t.topic])).toEqual([
      ['email', 'con_000008', 'roi'],
      ['email', 'con_000009', 'roi'],
    ]);
    const other = await client.crm.lists.listsApi.create({ name: 'plain list', objectTypeId: '0-1', processingType: 'MANUAL' });
    await client.crm.lists.membershipsApi.add(other.list.listId as never, [ids[0]!]);
    expect(treatments.length).toBe(before + 2);
  });

  it('market signals show up as email events and web events', async () => {
    emu.state.apply({ kind: 'signal', signal: { id: 'sig_1', accountId: 'acc_000003', contactId: 'con_000002', type: 'email_click', topic: 'roi', occurredAt: t0 + 10 } });
    emu.state.apply({ kind: 'signal', signal: { id: 'sig_2', accountId: 'acc_000003', contactId: 'con_000002', type: 'demo_visit', occurredAt: t0 + 20 } });
    emu.state.apply({ kind: 'signal', signal: { id: 'sig_3', accountId: 'acc_000003', type: 'pricing_visit', occurredAt: t0 + 30 } });
    const auth = { headers: { authorization: 'Bearer t' } };
    const email = (await (await fetch(`${emu.url}/email/public/v1/events?eventType=CLICK&startTimestamp=${t0}`, auth)).json()) as any;
    expect(email.events).toHaveLength(1);
    expect(email.events[0]).toMatchObject({ type: 'CLICK', recipient: 'person2@account3.example', created: t0 + 10 });
    const campaign = (await (await fetch(`${emu.url}/email/public/v1/campaigns/${email.events[0].emailCampaignId}`, auth)).json()) as any;
    expect(campaign.name).toBe('roi');
    // the events API answers per record: objectType + objectId (or objectProperty.email for a contact)
    const since = `eventType=e_visited_page&occurredAfter=${new Date(t0).toISOString()}`;
    const webOf = async (query: string) => ((await (await fetch(`${emu.url}/events/v3/events?${since}&${query}`, auth)).json()) as any).results.map((r: { objectType: string; properties: { hs_url: string } }) => [r.objectType, r.properties.hs_url.split('/').pop()]);
    expect(await webOf(`objectType=contact&objectId=${emu.state.hubspotIdOf('con_000002')}`)).toEqual([['CONTACT', 'demo']]);
    expect(await webOf('objectType=contact&objectProperty.email=person2%40account3.example')).toEqual([['CONTACT', 'demo']]);
    expect(await webOf(`objectType=company&objectId=${emu.state.hubspotIdOf('acc_000003')}`)).toEqual([['COMPANY', 'pricing']]);
    expect((await fetch(`${emu.url}/events/v3/events?${since}`, auth)).status).toBe(400);
  });
});
