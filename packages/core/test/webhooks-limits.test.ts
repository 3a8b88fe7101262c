// What a SIGNED request may make the server store: at most server.webhooks.maxEvents events (more
// is refused with nothing written), an event's raw / attributes over maxStoredPayloadBytes stored
// as the marker { truncated: true, bytes }, and a malformed payload answered with a short 400 that
// names no validator internals (those go to the log). Unexpected errors answer a short 500.
import { afterEach, describe, expect, it } from 'vitest';
import { createServerApp } from '../src/index.js';
import { signed, webhookWorld, type TestWorld } from './webhooks-helpers.js';

let world: TestWorld | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

const post = (app: ReturnType<typeof createServerApp>, body: string) => app.request('/webhooks/pushy/events', { method: 'POST', body, headers: signed(body) });
const event = (i: number, extra: { note?: string } = {}) => ({ id: `e${i}`, type: 'form_fill', contact: 'c1', at: 1000 + i, ...extra });

describe('webhooks: limits on signed requests', () => {
  it('refuses a request with more events than maxEvents (413) and writes none of them', async () => {
    world = await webhookWorld({ webhooks: { maxEvents: 50 } });
    const app = createServerApp(world.runtime);
    const tooMany = JSON.stringify(Array.from({ length: 51 }, (_, i) => event(i)));
    const res = await post(app, tooMany);
    expect(res.status).toBe(413);
    expect(await res.json()).toEqual({ error: 'too many events in one request: 51 (at most 50)' });
    expect(await world.runtime.store.db.selectFrom('signals').selectAll().execute()).toHaveLength(0);
    expect(await world.runtime.store.db.selectFrom('external_ids').selectAll().execute()).toHaveLength(0);

    const justEnough = JSON.stringify(Array.from({ length: 50 }, (_, i) => event(i)));
    expect(await (await post(app, justEnough)).json()).toEqual({ accepted: 50 });
  });

  it('stores an event whose raw / attributes are over maxStoredPayloadBytes as { truncated, bytes }; a small one whole', async () => {
    world = await webhookWorld({ webhooks: { maxStoredPayloadBytes: 1024 } });
    const app = createServerApp(world.runtime);
    const big = event(1, { note: 'x'.repeat(5000) });
    const small = event(2, { note: 'short' });
    const body = JSON.stringify([big, small]);
    expect(await (await post(app, body)).json()).toEqual({ accepted: 2 });
    const rows = await world.runtime.store.db.selectFrom('signals').select(['type', 'occurred_at', 'raw', 'attributes']).orderBy('occurred_at').execute();
    expect(rows).toHaveLength(2);
    expect(JSON.parse(rows[0]!.raw!)).toEqual({ truncated: true, bytes: Buffer.byteLength(JSON.stringify(big)) });
    expect(JSON.parse(rows[0]!.attributes!)).toEqual({ truncated: true, bytes: Buffer.byteLength(JSON.stringify({ note: big.note })) });
    expect(rows[0]).toMatchObject({ type: 'form_fill', occurred_at: 1001 });
    expect(rows[0]!.raw!.length).toBeLessThan(100);
    expect(JSON.parse(rows[1]!.raw!)).toEqual(small);
    expect(JSON.parse(rows[1]!.attributes!)).toEqual({ note: 'short' });
    expect(world.log.text()).toMatch(/truncated raw\/attributes/);
  });

  it('answers a malformed signed payload with a short 400 (no validator internals) and logs the detail', async () => {
    world = await webhookWorld();
    const app = createServerApp(world.runtime);
    const badShape = JSON.stringify([{ id: 'e2' }]);
    const res = await post(app, badShape);
    expect(res.status).toBe(400);
    const reply = await res.text();
    expect(JSON.parse(reply)).toEqual({ error: 'payload not understood: not the events this webhook expects' });
    expect(reply).not.toMatch(/invalid_type|expected|path|code|\[/);
    // the operator finds the validator's detail in the log
    expect(world.log.text()).toMatch(/payload not understood/);
    expect(world.log.text()).toMatch(/invalid_type|expected string/);

    const notJson = '{"oops"';
    const res2 = await post(app, notJson);
    expect(res2.status).toBe(400);
    expect(await res2.json()).toEqual({ error: 'body is not JSON' });
    expect(await world.runtime.store.db.selectFrom('signals').selectAll().execute()).toHaveLength(0);
  });

  it('answers an unexpected error with a short 500 and logs it', async () => {
    world = await webhookWorld();
    const app = createServerApp(world.runtime);
    const store = world.runtime.store as { claimAndApply: unknown };
    store.claimAndApply = async () => {
      throw new Error('disk on fire at /var/lib/secret/path');
    };
    const body = JSON.stringify([event(1)]);
    const res = await post(app, body);
    expect(res.status).toBe(500);
    expect(await res.json()).toEqual({ error: 'internal error' });
    expect(world.log.text()).toMatch(/disk on fire/);
  });
});
