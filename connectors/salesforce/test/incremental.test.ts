import { afterEach, describe, expect, it } from 'vitest';
import { readCheckpoint, syncStream } from '@revloop/core';
import { entityIdFor } from '@revloop/store';
import { account, contact, NAME, rows, world, type World } from './helpers.js';

let w: World;
afterEach(async () => w?.close());

describe('salesforce: incremental sync', () => {
  it('reads only changes, including many records sharing one SystemModstamp across page boundaries', async () => {
    w = await world();
    const { em } = w;
    account(em, 1);
    for (let n = 1; n <= 7; n++) contact(em, n, 1);
    const runtime = await w.runtime({ pageSize: 5 });
    const first = await syncStream(runtime, NAME, 'contacts');
    expect(first).toMatchObject({ read: 7, batches: 3 }); // two pages of 5, then the getDeleted batch

    // 13 changes all stamped with the same whole second (3 pages of 5 split the tie)
    em.clock.advance(60_000);
    const stampedAt = em.clock.now();
    for (let n = 8; n <= 17; n++) contact(em, n, 1, stampedAt);
    for (const n of [2, 4, 6]) em.state.setField(em.state.idOf(`con_00000${n}`)!, 'Title', `VP ${n}`, stampedAt + 400);
    const seen: number[] = [];
    const second = await syncStream(runtime, NAME, 'contacts', { onProgress: (p) => seen.push(p.read) });
    expect(second.read).toBe(13);
    expect(seen.slice(0, 3)).toEqual([5, 10, 13]);
    const all = await rows(runtime, 'contacts');
    expect(all).toHaveLength(17);
    expect(new Set(all.map((r) => r.id)).size).toBe(17);
    expect(all.find((r) => r.id === entityIdFor('contact', NAME, em.state.idOf('con_000004')!))!.title).toBe('VP 4');
    const cp = await readCheckpoint<{ modstamp: number; id: string }>(runtime.store, NAME, 'contacts');
    expect(cp!.modstamp).toBe(stampedAt);

    expect((await syncStream(runtime, NAME, 'contacts')).read).toBe(0);
  });

  it('a lookback re-reads the window (late commits) without duplicating rows', async () => {
    w = await world();
    const { em } = w;
    account(em, 1);
    for (let n = 1; n <= 3; n++) contact(em, n, 1);
    em.clock.advance(30_000);
    contact(em, 4, 1);
    const runtime = await w.runtime({ lookbackMs: 10_000 });
    expect((await syncStream(runtime, NAME, 'contacts')).read).toBe(4);
    // only the record inside the 10-second lookback is read again
    expect((await syncStream(runtime, NAME, 'contacts')).read).toBe(1);
    expect(await rows(runtime, 'contacts')).toHaveLength(4);
  });

  it('applies deletes from getDeleted and merges (MasterRecordId via queryAll) to the identity map', async () => {
    w = await world();
    const { em } = w;
    account(em, 1);
    account(em, 2);
    for (let n = 1; n <= 4; n++) contact(em, n, 1);
    const runtime = await w.runtime();
    await syncStream(runtime, NAME, 'accounts');
    await syncStream(runtime, NAME, 'contacts');

    em.clock.advance(5 * 60_000);
    const loser = em.state.idOf('con_000001')!;
    const winner = em.state.idOf('con_000002')!;
    const gone = em.state.idOf('con_000003')!;
    em.state.apply({ kind: 'contact_merged', loserId: 'con_000001', winnerId: 'con_000002', at: em.clock.now() });
    em.state.apply({ kind: 'deleted', entity: 'contact', id: 'con_000003', at: em.clock.now() });
    em.state.apply({ kind: 'deleted', entity: 'account', id: 'acc_000002', at: em.clock.now() });
    // getDeleted ignores seconds: deletes become visible once the minute has passed
    em.clock.advance(2 * 60_000);

    const run = await syncStream(runtime, NAME, 'contacts');
    expect(run.deleted).toBe(2);
    const people = await rows(runtime, 'contacts');
    const byId = (sf: string) => people.find((p) => p.id === entityIdFor('contact', NAME, sf))!;
    expect(byId(gone).deleted).toBe(1);
    expect(byId(loser)).toMatchObject({ deleted: 1, merged_into: entityIdFor('contact', NAME, winner) });
    expect(byId(winner).deleted).toBe(0);
    expect(await runtime.store.resolveId(NAME, 'contact', loser)).toBe(entityIdFor('contact', NAME, winner));
    expect((await syncStream(runtime, NAME, 'accounts')).deleted).toBe(1);
    const cp = await readCheckpoint<{ deletesFrom: number }>(runtime.store, NAME, 'contacts');
    expect(cp!.deletesFrom).toBe(Math.floor(em.clock.now() / 60_000) * 60_000);
    // the same deletes are not applied twice
    expect((await syncStream(runtime, NAME, 'contacts')).deleted).toBe(0);
  });

  it('discovers custom __c fields through describe at the start of each sync and keeps them in attributes', async () => {
    w = await world();
    const { em } = w;
    account(em, 1);
    em.state.addCustomField('Contact', { name: 'Tier__c', type: 'string' });
    const id = contact(em, 1, 1);
    em.state.setField(id, 'Tier__c', 'gold');
    const runtime = await w.runtime();
    await syncStream(runtime, NAME, 'contacts');
    let [row] = await rows(runtime, 'contacts');
    expect(JSON.parse(row!.attributes!)).toMatchObject({ Tier__c: 'gold' });

    // an admin adds a field after the first sync: the next sync picks it up without a code change
    em.clock.advance(1000);
    em.state.addCustomField('Contact', { name: 'Nps__c', type: 'double' });
    em.state.setField(id, 'Nps__c', 9);
    expect((await syncStream(runtime, NAME, 'contacts')).read).toBe(1);
    [row] = await rows(runtime, 'contacts');
    expect(JSON.parse(row!.attributes!)).toMatchObject({ Tier__c: 'gold', Nps__c: 9 });
  });

  it('a converted lead becomes a merge into its contact', async () => {
    w = await world();
    const { em } = w;
    account(em, 1);
    const c1 = contact(em, 1, 1);
    const created = em.state.create('Lead', { LastName: 'Lee', Company: 'LeadCo' });
    if (!created.ok) throw new Error('lead not created');
    const runtime = await w.runtime();
    await syncStream(runtime, NAME, 'contacts');
    await syncStream(runtime, NAME, 'leads');
    em.clock.advance(1000);
    // lead conversion is not emulated: set what Salesforce sets
    em.state.setField(created.record.id, 'IsConverted', true);
    em.state.setField(created.record.id, 'ConvertedContactId', c1);
    const run = await syncStream(runtime, NAME, 'leads');
    expect(run).toMatchObject({ read: 0, deleted: 1 });
    expect(await runtime.store.resolveId(NAME, 'contact', created.record.id)).toBe(entityIdFor('contact', NAME, c1));
  });
});
