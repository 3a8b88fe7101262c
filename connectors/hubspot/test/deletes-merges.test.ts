import { afterEach, describe, expect, it } from 'vitest';
import { syncStream } from '@revloop/core';
import { company, contact, deal, MIN, NAME, pad, rows, world, type World } from './helpers.js';

let w: World;
afterEach(async () => w?.close());

describe('hubspot: archives, merges, custom properties', () => {
  it('archived companies, contacts and deals become soft deletes', async () => {
    w = await world();
    company(w.em, 1);
    company(w.em, 2);
    contact(w.em, 1, 1);
    contact(w.em, 2, 1);
    deal(w.em, 1, 1, 1, 'qualification');
    w.clock.advance(MIN);
    const runtime = await w.runtime();
    for (const s of ['companies', 'contacts', 'deals']) await syncStream(runtime, NAME, s);
    w.em.state.apply({ kind: 'deleted', entity: 'account', id: `acc_${pad(2)}`, at: w.clock.now() });
    w.em.state.apply({ kind: 'deleted', entity: 'contact', id: `con_${pad(2)}`, at: w.clock.now() });
    w.em.state.apply({ kind: 'deleted', entity: 'opportunity', id: `opp_${pad(1)}`, at: w.clock.now() });
    w.clock.advance(MIN);
    for (const s of ['companies', 'contacts', 'deals']) expect((await syncStream(runtime, NAME, s)).deleted).toBe(1);
    expect((await rows(runtime, 'accounts')).map((a) => [a.name, a.deleted])).toEqual([['Account 1', 0], ['Account 2', 1]]);
    expect((await rows(runtime, 'contacts')).filter((c) => c.deleted === 1).map((c) => c.email)).toEqual(['person2@acct1.example']);
    expect((await rows(runtime, 'opportunities'))[0]!.deleted).toBe(1);
    // the next run does not delete anything again
    expect((await syncStream(runtime, NAME, 'contacts')).deleted).toBe(0);
  });

  it('a merged contact: the survivor wins, the old id resolves to it, and the survivor is not deleted', async () => {
    w = await world();
    company(w.em, 1);
    const winner = contact(w.em, 1, 1);
    const loser = contact(w.em, 2, 1);
    w.clock.advance(MIN);
    const runtime = await w.runtime();
    await syncStream(runtime, NAME, 'contacts');
    const winnerEntity = await runtime.store.resolveId(NAME, 'contact', winner);
    const loserEntity = await runtime.store.resolveId(NAME, 'contact', loser);
    expect(winnerEntity).not.toBe(loserEntity);
    w.em.state.apply({ kind: 'contact_merged', winnerId: `con_${pad(1)}`, loserId: `con_${pad(2)}`, at: w.clock.now() });
    w.clock.advance(MIN);
    const run = await syncStream(runtime, NAME, 'contacts');
    expect(run.status).toBe('succeeded');
    expect(await runtime.store.resolveId(NAME, 'contact', loser)).toBe(winnerEntity);
    const all = await rows(runtime, 'contacts');
    expect(all.find((c) => c.id === winnerEntity)).toMatchObject({ deleted: 0, email: 'person1@acct1.example' });
    expect(all.find((c) => c.id === loserEntity)).toMatchObject({ deleted: 1, merged_into: winnerEntity });
    // a fresh full sync of the merged portal agrees
    const fresh = await w.runtime({}, 'fresh.db');
    await syncStream(fresh, NAME, 'contacts');
    expect(await fresh.store.resolveId(NAME, 'contact', loser)).toBe(await fresh.store.resolveId(NAME, 'contact', winner));
    expect((await rows(fresh, 'contacts')).filter((c) => c.deleted === 0)).toHaveLength(1);
  });

  it('a custom property created between syncs is read into attributes without a restart', async () => {
    w = await world();
    company(w.em, 1);
    const id = contact(w.em, 1, 1);
    w.clock.advance(MIN);
    const runtime = await w.runtime();
    await syncStream(runtime, NAME, 'contacts');
    const before = (await rows(runtime, 'contacts'))[0]!;
    expect(JSON.parse(before.attributes ?? '{}').favourite_colour).toBeUndefined();
    w.em.state.catalog.create('contacts', { name: 'favourite_colour', label: 'Favourite colour', type: 'string', fieldType: 'text', groupName: 'contactinformation' }, w.clock.now());
    w.em.state.update('contacts', id, { favourite_colour: 'teal' });
    w.clock.advance(MIN);
    expect((await syncStream(runtime, NAME, 'contacts')).read).toBe(1);
    const after = (await rows(runtime, 'contacts'))[0]!;
    expect(JSON.parse(after.attributes!)).toEqual({ favourite_colour: 'teal' });
    expect(JSON.parse(after.raw!).properties.favourite_colour).toBe('teal');
  });
});
