// Group commit (#25 item 10): concurrent requests' events are written in one transaction, each
// request answered only after that commit; replays inside one group are refused like replays
// across groups; one request that cannot be stored does not fail the others of its group.
import { afterEach, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import type { Store } from '@revloop/store';
import { createServerApp } from '../src/server.js';
import { createIngestQueue } from '../src/webhooks/group-commit.js';
import { createReplayGuard } from '../src/webhooks/replay.js';
import { signed, webhookWorld, T0, type TestWorld } from './webhooks-helpers.js';

let world: TestWorld | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

const event = (i: number, contact = `c${i}`) => ({ id: `e${i}`, type: 'form_fill', contact, at: T0 - i });
const post = (app: ReturnType<typeof createServerApp>, body: string, ts = T0) => app.request('/webhooks/pushy/events', { method: 'POST', body, headers: signed(body, ts) });

/** counts the store's transactions that wrote signals (calls of claimAndApply) and the events they held */
function countWrites(w: TestWorld): { calls: number[] } {
  const store = w.runtime.store as { claimAndApply: Store['claimAndApply'] };
  const real = store.claimAndApply.bind(w.runtime.store);
  const seen = { calls: [] as number[] };
  store.claimAndApply = async (claims, at, batchesFor) =>
    real(claims, at, (claimed) => {
      const batches = batchesFor(claimed);
      seen.calls.push(batches.reduce((n, b) => n + b.records.length, 0));
      return batches;
    });
  return seen;
}

/** a store failure inside the transaction (an SQLite trigger): any insert of these rows aborts it */
async function failInserts(w: TestWorld, name: string, table: string, when: string, message: string): Promise<() => Promise<void>> {
  await sql.raw(`CREATE TEMP TRIGGER ${name} BEFORE INSERT ON main.${table} WHEN ${when} BEGIN SELECT RAISE(ABORT, '${message}'); END`).execute(w.runtime.store.db);
  return async () => void (await sql.raw(`DROP TRIGGER temp.${name}`).execute(w.runtime.store.db));
}

describe('webhooks: group commit', () => {
  it('writes the events of concurrent requests in one transaction and answers each after it', async () => {
    world = await webhookWorld();
    const writes = countWrites(world);
    const app = createServerApp(world.runtime, { groupCommit: { maxDelayMs: 20 } });
    const answers = await Promise.all(Array.from({ length: 12 }, (_, i) => post(app, JSON.stringify([event(2 * i), event(2 * i + 1)]))));
    expect(answers.map((a) => a.status)).toEqual(Array(12).fill(200));
    expect(await Promise.all(answers.map((a) => a.json()))).toEqual(Array(12).fill({ accepted: 2 }));
    expect(writes.calls).toEqual([24]); // one transaction for the 12 requests
    expect(await world.runtime.store.db.selectFrom('signals').selectAll().execute()).toHaveLength(24);
  });

  it('starts a group at once when maxEvents events wait, and keeps a group within maxEvents', async () => {
    world = await webhookWorld();
    const writes = countWrites(world);
    const { store } = world.runtime;
    const now = () => T0;
    // a delay no test would wait for: only the event count can start these groups
    const queue = createIngestQueue({ store, replay: createReplayGuard(store, now), now, onLinkError: (e) => { throw e; } }, { maxDelayMs: 60_000, maxEvents: 4 });
    const records = (i: number) => [2 * i, 2 * i + 1].map((n) => ({ systemId: `e${n}`, fields: { type: 'form_fill', occurred_at: T0 } }));
    // submitted in one turn of the event loop: the second reaches 4 events and starts a group of
    // two requests; the other two wait for it and form the next one
    const outcomes = await Promise.all([0, 1, 2, 3].map((i) => queue.submit({ connector: 'pushy', webhook: 'events', records: records(i) })));
    expect(outcomes).toEqual(Array(4).fill({ stored: 2 }));
    expect(writes.calls).toEqual([4, 4]);
  });

  it('refuses the second of two requests with the same signature in one group (409), stores the event once', async () => {
    world = await webhookWorld();
    const writes = countWrites(world);
    const app = createServerApp(world.runtime, { groupCommit: { maxDelayMs: 20 } });
    const body = JSON.stringify([event(1)]);
    const other = JSON.stringify([event(2)]);
    const answers = await Promise.all([post(app, body), post(app, other), post(app, body)]);
    expect(answers.map((a) => a.status)).toEqual([200, 200, 409]);
    expect(await answers[2]!.json()).toEqual({ error: 'replayed request: this signature was already received' });
    expect(writes.calls).toEqual([2]);
    // and in the next group, against the claim in the store
    expect((await post(app, body)).status).toBe(409);
    expect(await world.runtime.store.db.selectFrom('signals').select('id').execute()).toHaveLength(2);
  });

  it('when the group transaction fails, writes each request alone: only the one that fails gets 500, and its signature stays usable', async () => {
    world = await webhookWorld();
    // a record the store cannot take makes any transaction that holds it fail
    const heal = await failInserts(world, 'fail_e13', 'external_ids', "NEW.system_id = 'e13'", 'constraint failed on e13');
    const app = createServerApp(world.runtime, { groupCommit: { maxDelayMs: 20 } });
    const bad = JSON.stringify([event(13)]);
    const answers = await Promise.all([post(app, JSON.stringify([event(1)])), post(app, bad), post(app, JSON.stringify([event(2)]))]);
    expect(answers.map((a) => a.status)).toEqual([200, 500, 200]);
    expect((await world.runtime.store.db.selectFrom('signals').select('id').execute()).length).toBe(2);
    expect(world.log.text()).toMatch(/constraint failed on e13/);
    await heal();
    expect((await post(app, bad)).status).toBe(200); // not a replay: it was never stored
  });

  it('leaves no claim behind when the write fails and the process has no chance to give it back: the retry of the same signed request is stored, once', async () => {
    world = await webhookWorld();
    const { store } = world.runtime;
    const app = createServerApp(world.runtime, { groupCommit: { maxDelayMs: 0 } });
    // the signal write fails…
    const heal = await failInserts(world, 'write_fails', 'signals', '1', 'disk I/O error');
    // …and no claim can be given back afterwards, as when the process is killed between the two
    await sql.raw(`CREATE TEMP TRIGGER no_release BEFORE DELETE ON main.plugin_state WHEN OLD.key LIKE 'webhook-replay:%' BEGIN SELECT RAISE(ABORT, 'process gone'); END`).execute(store.db);
    const body = JSON.stringify([event(7)]);
    expect((await post(app, body)).status).toBe(500);
    expect(await store.db.selectFrom('plugin_state').select('key').execute()).toEqual([]);
    await heal();
    await sql.raw('DROP TRIGGER temp.no_release').execute(store.db);
    // the vendor's retry of the request it never saw acknowledged
    expect((await post(app, body)).status).toBe(200);
    expect(await store.db.selectFrom('signals').select('id').execute()).toHaveLength(1);
    expect((await post(app, body)).status).toBe(409); // and now it is a replay
    expect(await store.db.selectFrom('signals').select('id').execute()).toHaveLength(1);
  });

  it('links the new signals of a group to their contacts\' accounts before answering', async () => {
    world = await webhookWorld();
    const { store } = world.runtime;
    await store.applyBatch({ system: 'pushy', entityType: 'account', records: [{ systemId: 'a1', fields: { name: 'Acme', domain: 'acme.test' } }], syncedAt: T0 });
    await store.applyBatch({ system: 'pushy', entityType: 'contact', records: [{ systemId: 'c1', fields: { email: 'c1@acme.test' }, links: { account: 'a1' } }], syncedAt: T0 });
    const app = createServerApp(world.runtime, { groupCommit: { maxDelayMs: 20 } });
    const answers = await Promise.all([post(app, JSON.stringify([event(1, 'c1')])), post(app, JSON.stringify([event(2, 'c1'), event(3, 'c-unknown')]))]);
    expect(answers.map((a) => a.status)).toEqual([200, 200]);
    const account = await store.resolveId('pushy', 'account', 'a1');
    const rows = await store.db.selectFrom('signals').innerJoin('external_ids', 'external_ids.entity_id', 'signals.id').select(['external_ids.system_id as id', 'signals.account_id']).orderBy('external_ids.system_id').execute();
    expect(rows).toEqual([
      { id: 'e1', account_id: account },
      { id: 'e2', account_id: account },
      { id: 'e3', account_id: null }, // parked: its contact is not synced yet
    ]);
  });
});
