import { afterEach, describe, expect, it } from 'vitest';
import { createServerApp, syncStream } from '@revloop/core';
import { signHubSpotWebhookV3 } from '@revloop/sandbox';
import { hubspotConnector } from '../src/index.js';
import { company, contact, MIN, NAME, rows, world, type World } from './helpers.js';

let w: World;
afterEach(async () => w?.close());

const SECRET = 'hubspot-app-secret';
const URL_ = 'http://127.0.0.1/webhooks/hs/crm-events';

describe('hubspot: engagement signals and webhooks', () => {
  it('email and web events become typed signals linked to the contact and its company', async () => {
    w = await world();
    company(w.em, 1);
    contact(w.em, 1, 1);
    const at = w.clock.now();
    const kinds = ['page_view', 'pricing_visit', 'demo_visit', 'content_download', 'form_fill', 'email_open', 'email_click'] as const;
    kinds.forEach((type, i) => w.em.state.apply({ kind: 'signal', signal: { id: `sig_${i}`, accountId: 'acc_000001', contactId: 'con_000001', type, topic: 'roi', occurredAt: at + i } }));
    w.em.state.apply({ kind: 'signal', signal: { id: 'sig_acc', accountId: 'acc_000001', type: 'pricing_visit', occurredAt: at + 20 } });
    w.clock.advance(MIN);
    const runtime = await w.runtime();
    await syncStream(runtime, NAME, 'companies');
    await syncStream(runtime, NAME, 'contacts');
    expect((await syncStream(runtime, NAME, 'email_events')).read).toBe(2);
    expect((await syncStream(runtime, NAME, 'web_events')).read).toBe(6);
    const signals = await rows(runtime, 'signals');
    expect(signals.map((s) => s.type).sort()).toEqual([...kinds, 'pricing_visit'].sort());
    const contactEntity = await runtime.store.resolveId(NAME, 'contact', w.em.state.hubspotIdOf('con_000001')!);
    const accountEntity = await runtime.store.resolveId(NAME, 'account', w.em.state.hubspotIdOf('acc_000001')!);
    for (const s of signals) expect(s.account_id).toBe(accountEntity);
    expect(signals.filter((s) => s.contact_id === contactEntity)).toHaveLength(7);
    expect(signals.find((s) => s.type === 'email_open')).toMatchObject({ topic: 'roi', channel: 'email' });
    expect(signals.find((s) => s.type === 'content_download')!.topic).toBe('roi');
    // incremental: nothing new, nothing re-read
    w.clock.advance(MIN);
    expect((await syncStream(runtime, NAME, 'web_events')).read).toBe(0);
    expect((await syncStream(runtime, NAME, 'email_events')).read).toBe(0);
  });

  it('webhook: a valid signature is accepted and stored as signals; forged or older than 5 minutes is refused', async () => {
    w = await world({ webhook: { targetUrl: URL_, clientSecret: SECRET, appId: 1, portalId: 62515 } });
    const runtime = await w.runtime({ webhook: { clientSecret: SECRET } });
    const hook = hubspotConnector.webhooks![0]!;
    const ctx = runtime.contextFor(runtime.connector(NAME)) as never;
    const events = [
      { eventId: 1, subscriptionId: 1, portalId: 62515, appId: 1, occurredAt: w.clock.now(), subscriptionType: 'contact.creation', attemptNumber: 0, objectId: 100000001, changeSource: 'CRM' },
      { eventId: 2, subscriptionId: 1, portalId: 62515, appId: 1, occurredAt: w.clock.now(), subscriptionType: 'contact.propertyChange', attemptNumber: 0, objectId: 100000001, propertyName: 'lifecyclestage', propertyValue: 'customer', changeSource: 'CRM' },
    ];
    const body = JSON.stringify(events);
    const sign = (ts: number, secret = SECRET) => ({
      'x-hubspot-signature-v3': signHubSpotWebhookV3({ clientSecret: secret, method: 'POST', uri: URL_, body, timestamp: ts }),
      'x-hubspot-request-timestamp': String(ts),
    });
    const now = w.clock.now();
    expect(await hook.verify(ctx, { method: 'POST', url: URL_, headers: sign(now), body })).toBe(true);
    expect(await hook.verify(ctx, { method: 'POST', url: URL_, headers: sign(now, 'not-the-secret'), body })).toBe(false);
    expect(await hook.verify(ctx, { method: 'POST', url: URL_, headers: sign(now), body: body.replace('customer', 'lead') })).toBe(false);
    expect(await hook.verify(ctx, { method: 'POST', url: URL_, headers: sign(now - 300_001), body })).toBe(false);
    expect(await hook.verify(ctx, { method: 'POST', url: URL_, headers: sign(now - 299_000), body })).toBe(true);

    // end to end through the server and the emulator's own signed delivery (simulated timestamps)
    const app = createServerApp(runtime);
    const emulatorFetch = globalThis.fetch;
    globalThis.fetch = (async (input: Parameters<typeof fetch>[0], init?: RequestInit) =>
      String(input) === URL_ ? app.fetch(new Request(URL_, init)) : emulatorFetch(input, init)) as typeof fetch;
    try {
      company(w.em, 1);
      const id = contact(w.em, 1, 1);
      w.em.state.update('contacts', id, { lifecyclestage: 'customer' });
      const res = await w.em.state.outbox!.flush();
      expect(res.statuses).toEqual([200]);
    } finally {
      globalThis.fetch = emulatorFetch;
    }
    const signals = await rows(runtime, 'signals');
    // company.creation is not a contact signal; the contact's creation and its property change are
    expect(signals.map((s) => [s.type, s.topic])).toEqual(expect.arrayContaining([['crm_contact_created', null], ['crm_property_change', 'lifecyclestage']]));
    expect(signals).toHaveLength(2);
  });
});
