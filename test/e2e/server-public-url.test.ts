// HubSpot webhooks behind a TLS-terminating proxy: HubSpot signs (v3) the PUBLIC https URL, the
// server sees http://127.0.0.1. With server.publicBaseUrl (or trusted X-Forwarded-* headers) the
// URL handed to verify() is the public one and the request is accepted; without, 401. Then the
// same signed request again is a replay (409, row untouched), and a signal for a synced contact
// gets the contact's account while one for an unknown contact keeps none.
import { afterEach, describe, expect, it } from 'vitest';
import { createHmac } from 'node:crypto';
import { join } from 'node:path';
import { createRuntime, createServerApp, parseConfig, SimulatedClock, type RevloopConfigInput, type Runtime } from '@revloop/core';
import { hubspotConnector } from '@revloop/connector-hubspot';
import { tempDir } from './helpers.js';

const SECRET = 'hubspot-app-secret';
const NOW = Date.UTC(2025, 2, 3, 12);
const INTERNAL = 'http://127.0.0.1:8787/webhooks/hs/crm-events?portal=62515';
const PUBLIC = 'https://hooks.example.com/webhooks/hs/crm-events?portal=62515';

let dir: ReturnType<typeof tempDir> | undefined;
let runtime: Runtime | undefined;
afterEach(async () => {
  await runtime?.close();
  runtime = undefined;
  dir?.cleanup();
  dir = undefined;
});

async function hubspotRuntime(server: RevloopConfigInput['server'] = {}): Promise<Runtime> {
  dir = tempDir();
  const loaded = parseConfig(
    { store: { kind: 'sqlite', path: join(dir.path, 'r.db') }, log: { level: 'silent' }, server, connectors: { hs: { plugin: hubspotConnector, accessToken: 'unused', webhook: { clientSecret: SECRET } } } },
    { env: {} },
  );
  runtime = await createRuntime(loaded, { clock: new SimulatedClock(NOW) });
  await runtime.store.migrate();
  return runtime;
}

/** X-HubSpot-Signature-v3 as HubSpot computes it: base64(HMAC-SHA256(secret, method + uri + body + timestamp)) */
function hubspotHeaders(uri: string, body: string, timestamp = NOW): Record<string, string> {
  const signature = createHmac('sha256', SECRET).update(`POST${uri}${body}${timestamp}`).digest('base64');
  return { 'content-type': 'application/json', 'x-hubspot-signature-v3': signature, 'x-hubspot-request-timestamp': String(timestamp) };
}

const events = [
  { eventId: 11, subscriptionId: 1, portalId: 62515, appId: 1, occurredAt: NOW - 1000, subscriptionType: 'contact.propertyChange', attemptNumber: 0, objectId: 501, propertyName: 'lifecyclestage', propertyValue: 'lead', changeSource: 'CRM' },
  { eventId: 12, subscriptionId: 1, portalId: 62515, appId: 1, occurredAt: NOW - 900, subscriptionType: 'contact.creation', attemptNumber: 0, objectId: 999, changeSource: 'CRM' },
];
const body = JSON.stringify(events);

describe('serve: HubSpot webhooks behind a proxy', () => {
  it('refuses a signature over the public https URL without publicBaseUrl (401)', async () => {
    const app = createServerApp(await hubspotRuntime());
    const res = await app.request(INTERNAL, { method: 'POST', body, headers: hubspotHeaders(PUBLIC, body) });
    expect(res.status).toBe(401);
  });

  it('accepts it with server.publicBaseUrl; a replay is refused (409) and the rows stay as they were', async () => {
    const rt = await hubspotRuntime({ publicBaseUrl: 'https://hooks.example.com' });
    // contact 501 is synced and belongs to company 77; contact 999 is not synced yet
    await rt.store.applyBatch({ system: 'hs', entityType: 'account', records: [{ systemId: '77', fields: { name: 'Acme' } }], syncedAt: NOW - 5000 });
    await rt.store.applyBatch({ system: 'hs', entityType: 'contact', records: [{ systemId: '501', fields: { email: 'a@acme.test' }, links: { account: '77' } }], syncedAt: NOW - 5000 });
    const app = createServerApp(rt);
    const headers = hubspotHeaders(PUBLIC, body);
    const res = await app.request(INTERNAL, { method: 'POST', body, headers });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ accepted: 2 });

    const signals = await rt.store.db.selectFrom('signals').selectAll().orderBy('occurred_at').execute();
    const account = await rt.store.resolveId('hs', 'account', '77');
    const known = await rt.store.resolveId('hs', 'contact', '501');
    const unknown = await rt.store.resolveId('hs', 'contact', '999');
    expect(signals.map((s) => [s.type, s.contact_id, s.account_id])).toEqual([
      ['crm_property_change', known, account],
      // contact 999 is not synced: no account; its contact_id is the entity the contact will get
      ['crm_contact_created', unknown, null],
    ]);
    expect(await rt.store.db.selectFrom('contacts').select('id').where('id', '=', unknown!).execute()).toHaveLength(0);

    const replay = await app.request(INTERNAL, { method: 'POST', body, headers });
    expect(replay.status).toBe(409);
    expect(await rt.store.db.selectFrom('signals').selectAll().orderBy('occurred_at').execute()).toEqual(signals);

    // the next contacts sync brings contact 999 under the id the signal already points at
    await rt.store.applyBatch({ system: 'hs', entityType: 'contact', records: [{ systemId: '999', fields: { email: 'b@acme.test' }, links: { account: '77' } }], syncedAt: NOW + 1000 });
    expect(await rt.store.db.selectFrom('contacts').select('id').where('id', '=', unknown!).execute()).toHaveLength(1);
  });

  it('keeps a path prefix of publicBaseUrl in front of the request path', async () => {
    const app = createServerApp(await hubspotRuntime({ publicBaseUrl: 'https://example.com/revloop/' }));
    const publicUri = 'https://example.com/revloop/webhooks/hs/crm-events?portal=62515';
    expect((await app.request(INTERNAL, { method: 'POST', body, headers: hubspotHeaders(publicUri, body) })).status).toBe(200);
  });

  it('uses X-Forwarded-Proto / X-Forwarded-Host only when trustForwardedHeaders is true', async () => {
    const forwarded = { 'x-forwarded-proto': 'https', 'x-forwarded-host': 'hooks.example.com' };
    const untrusting = createServerApp(await hubspotRuntime());
    expect((await untrusting.request(INTERNAL, { method: 'POST', body, headers: { ...hubspotHeaders(PUBLIC, body), ...forwarded } })).status).toBe(401);
    await runtime!.close();
    dir!.cleanup();
    const trusting = createServerApp(await hubspotRuntime({ trustForwardedHeaders: true }));
    expect((await trusting.request(INTERNAL, { method: 'POST', body, headers: { ...hubspotHeaders(PUBLIC, body), ...forwarded } })).status).toBe(200);
  });
});
