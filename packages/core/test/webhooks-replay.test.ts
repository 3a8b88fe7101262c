// Replay protection: a verified request whose replay key (its signature) was already stored within
// its timestamp window is refused with 409 and the row is not rewritten — also after a restart
// (the key lives in the store), also when two copies arrive at once; a request that was not stored
// (the write failed) does not count as seen; expired keys are purged.
import { afterEach, describe, expect, it } from 'vitest';
import { createServerApp } from '../src/index.js';
import { signed, webhookWorld, T0, WINDOW_MS, type TestWorld } from './webhooks-helpers.js';

const worlds: TestWorld[] = [];
afterEach(async () => {
  for (const w of worlds.splice(0).reverse()) await w.close();
});

const body = JSON.stringify([{ id: 'e1', type: 'form_fill', contact: 'c1', at: 1234 }]);
const replayRows = (w: TestWorld) => w.runtime.store.db.selectFrom('plugin_state').selectAll().where('key', 'like', 'webhook-replay:%').execute();

describe('webhooks: replays', () => {
  it('refuses the same signed request again within its window (409) and leaves the row as it was, across a restart', async () => {
    const w = await webhookWorld();
    worlds.push(w);
    const app = createServerApp(w.runtime);
    const headers = signed(body, T0);
    expect(await (await app.request('/webhooks/pushy/events', { method: 'POST', body, headers })).json()).toEqual({ accepted: 1 });
    const before = await w.runtime.store.db.selectFrom('signals').selectAll().executeTakeFirstOrThrow();

    w.clock.advance(60_000);
    const again = await app.request('/webhooks/pushy/events', { method: 'POST', body, headers });
    expect(again.status).toBe(409);
    expect(await again.json()).toEqual({ error: 'replayed request: this signature was already received' });
    const after = await w.runtime.store.db.selectFrom('signals').selectAll().execute();
    expect(after).toEqual([before]); // synced_at not moved: not rewritten

    // a restart: a new runtime and app over the same database still knows the signature
    const dir = w.dbPath.replace(/\/r\.db$/, '');
    await w.runtime.close();
    const w2 = await webhookWorld({}, dir);
    worlds.push(w2);
    w2.clock.advance(120_000);
    const afterRestart = await createServerApp(w2.runtime).request('/webhooks/pushy/events', { method: 'POST', body, headers });
    expect(afterRestart.status).toBe(409);
    expect(await w2.runtime.store.db.selectFrom('signals').selectAll().execute()).toEqual([before]);

    // the vendor's own retry is a new signature (new timestamp): accepted
    const retry = await createServerApp(w2.runtime).request('/webhooks/pushy/events', { method: 'POST', body, headers: signed(body, T0 + 120_000) });
    expect(retry.status).toBe(200);
  });

  it('lets exactly one of two identical requests arriving together through', async () => {
    const w = await webhookWorld();
    worlds.push(w);
    const app = createServerApp(w.runtime);
    const headers = signed(body, T0);
    const statuses = await Promise.all([1, 2, 3].map(async () => (await app.request('/webhooks/pushy/events', { method: 'POST', body, headers })).status));
    expect(statuses.sort()).toEqual([200, 409, 409]);
  });

  it('does not count a request that was not stored as seen', async () => {
    const w = await webhookWorld();
    worlds.push(w);
    const app = createServerApp(w.runtime);
    const headers = signed(body, T0);
    const store = w.runtime.store as { claimAndApply: (...args: unknown[]) => Promise<unknown> };
    const real = store.claimAndApply.bind(w.runtime.store);
    store.claimAndApply = async () => {
      throw new Error('database is locked');
    };
    expect((await app.request('/webhooks/pushy/events', { method: 'POST', body, headers })).status).toBe(500);
    store.claimAndApply = real;
    expect((await app.request('/webhooks/pushy/events', { method: 'POST', body, headers })).status).toBe(200);
  });

  it('forgets a signature once its window is over (the claim is purged)', async () => {
    const w = await webhookWorld();
    worlds.push(w);
    const app = createServerApp(w.runtime);
    expect((await app.request('/webhooks/pushy/events', { method: 'POST', body, headers: signed(body, T0) })).status).toBe(200);
    expect(await replayRows(w)).toHaveLength(1);
    w.clock.advance(WINDOW_MS + 120_000);
    const later = w.clock.now();
    expect((await app.request('/webhooks/pushy/events', { method: 'POST', body, headers: signed(body, later) })).status).toBe(200);
    const rows = await replayRows(w);
    expect(rows).toHaveLength(1); // the old one purged, the new one kept
    expect(Number(rows[0]!.value)).toBe(later + WINDOW_MS + 1);
  });
});
