// #25 item 5: a webhook event for a contact not synced yet is parked (stored without an account)
// and placed on the contact's account by the first sync that brings the contact.
import { afterEach, describe, expect, it } from 'vitest';
import { createServerApp, resolveIdentities } from '../src/index.js';
import { signed, webhookWorld, T0, type TestWorld } from './webhooks-helpers.js';

let world: TestWorld | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

describe('webhooks: events for contacts not synced yet', () => {
  it('are parked without an account, then linked after the sync that brings the contact', async () => {
    world = await webhookWorld();
    const app = createServerApp(world.runtime);
    const body = JSON.stringify([{ id: 'e1', type: 'form_fill', contact: 'c9', at: T0 - 1000 }]);
    expect((await app.request('/webhooks/pushy/events', { method: 'POST', body, headers: signed(body) })).status).toBe(200);
    const db = world.runtime.store.db;
    expect((await db.selectFrom('signals').select('account_id').executeTakeFirstOrThrow()).account_id).toBeNull();

    // the next sync brings the contact and its company
    await world.runtime.store.applyBatch({ system: 'pushy', entityType: 'account', records: [{ systemId: 'a1', fields: { name: 'Acme', domain: 'acme.test' } }], syncedAt: T0 });
    await world.runtime.store.applyBatch({ system: 'pushy', entityType: 'contact', records: [{ systemId: 'c9', fields: { email: 'c9@acme.test' }, links: { account: 'a1' } }], syncedAt: T0 });
    const run = await resolveIdentities(world.runtime.store, { now: T0 });
    expect(run.parkedSignalsLinked).toBe(1);
    const account = await world.runtime.store.resolveId('pushy', 'account', 'a1');
    expect((await db.selectFrom('signals').select('account_id').executeTakeFirstOrThrow()).account_id).toBe(account);
    expect((await resolveIdentities(world.runtime.store, { now: T0 + 1 })).parkedSignalsLinked).toBe(0);
  });
});
