// Salesforce's request-size limits against the strict emulator: a GET whose URI + headers pass
// 16,384 bytes is refused (414/431), and getDeleted refuses a window of more than 600,000 ids
// (EXCEEDED_ID_LIMIT; the emulator's cap is lowered to keep the test small).
import { afterEach, describe, expect, it } from 'vitest';
import { readCheckpoint, syncStream } from '@revloop/core';
import { account, contact, NAME, rows, world, type World } from './helpers.js';
import { MAX_GET_URI, tooLongForGet } from '../src/long-query.js';

let w: World;
afterEach(async () => w?.close());

const customFields = (n: number) => Array.from({ length: n }, (_, i) => `Revenue_Ops_Custom_Field_${String(i + 1).padStart(3, '0')}__c`);

describe('salesforce: a SELECT list too long for a GET', () => {
  it('an org with 450 custom fields on Contact syncs: the query goes through POST /composite, every field lands in attributes', async () => {
    w = await world();
    const { em } = w;
    account(em, 1);
    const fields = customFields(450);
    for (const name of fields) em.state.addCustomField('Contact', { name, type: 'string' });
    const ids = [1, 2, 3].map((n) => contact(em, n, 1));
    for (const id of ids) em.state.setField(id, fields[449]!, `last-${id}`);
    em.state.setField(ids[0]!, fields[0]!, 'first');
    const runtime = await w.runtime({ pageSize: 2 });
    const run = await syncStream(runtime, NAME, 'contacts');
    expect(run).toMatchObject({ status: 'succeeded', read: 3, written: 3, failed: 0 });
    const people = await rows(runtime, 'contacts');
    const attrs = people.map((p) => JSON.parse(p.attributes!) as Record<string, unknown>);
    expect(attrs.map((a) => a[fields[449]!]).sort()).toEqual(ids.map((id) => `last-${id}`).sort());
    expect(attrs.some((a) => a[fields[0]!] === 'first')).toBe(true);
    // a change after the first sync: the keyset page (WHERE + ORDER BY + LIMIT) goes the same way
    em.clock.advance(1000);
    em.state.setField(ids[1]!, fields[200]!, 'changed');
    expect(await syncStream(runtime, NAME, 'contacts')).toMatchObject({ status: 'succeeded', read: 1 });
  });

  it('short queries stay plain GETs; the threshold is the URI length Salesforce recommends', () => {
    expect(MAX_GET_URI).toBe(2_000);
    expect(tooLongForGet('62.0', `/query?q=${encodeURIComponent('SELECT Id FROM Contact')}`)).toBe(false);
    expect(tooLongForGet('62.0', `/query?q=${encodeURIComponent(`SELECT Id, ${customFields(60).join(', ')} FROM Contact`)}`)).toBe(true);
  });
});

describe('salesforce: getDeleted id cap', () => {
  it('a window with more deleted ids than getDeleted returns is split until each part passes; every delete lands', async () => {
    w = await world({ limits: { replicationIds: 10 } });
    const { em } = w;
    account(em, 1);
    for (let n = 1; n <= 40; n++) contact(em, n, 1);
    const runtime = await w.runtime({ pageSize: 50 });
    await syncStream(runtime, NAME, 'contacts');
    // 35 deletes, one a minute: 35 ids in the window since the last sync, the cap is 10
    em.clock.advance(60_000);
    for (let n = 1; n <= 35; n++) {
      em.state.apply({ kind: 'deleted', entity: 'contact', id: `con_${String(n).padStart(6, '0')}`, at: em.clock.now() });
      em.clock.advance(60_000);
    }
    em.clock.advance(2 * 60_000);
    const run = await syncStream(runtime, NAME, 'contacts');
    expect(run).toMatchObject({ status: 'succeeded', deleted: 35 });
    const people = await rows(runtime, 'contacts');
    expect(people.filter((p) => p.deleted === 1)).toHaveLength(35);
    expect(people.filter((p) => p.deleted === 0)).toHaveLength(5);
    const cp = await readCheckpoint<{ deletesFrom: number }>(runtime.store, NAME, 'contacts');
    expect(cp!.deletesFrom).toBe(Math.floor(em.clock.now() / 60_000) * 60_000);
    expect(await syncStream(runtime, NAME, 'contacts')).toMatchObject({ status: 'succeeded', deleted: 0 });
  });

  it('more ids in one minute than the cap cannot be split: a clear error, the checkpoint kept', async () => {
    w = await world({ limits: { replicationIds: 3 } });
    const { em } = w;
    account(em, 1);
    for (let n = 1; n <= 6; n++) contact(em, n, 1);
    const runtime = await w.runtime({ pageSize: 50 });
    await syncStream(runtime, NAME, 'contacts');
    const before = await readCheckpoint<{ deletesFrom: number }>(runtime.store, NAME, 'contacts');
    em.clock.advance(60_000);
    for (let n = 1; n <= 5; n++) em.state.apply({ kind: 'deleted', entity: 'contact', id: `con_${String(n).padStart(6, '0')}`, at: em.clock.now() });
    em.clock.advance(3 * 60_000);
    const error = await syncStream(runtime, NAME, 'contacts').catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'SALESFORCE_DELETES_TOO_DENSE', fix: expect.stringContaining('full refresh') });
    expect((await readCheckpoint<{ deletesFrom: number }>(runtime.store, NAME, 'contacts'))!.deletesFrom).toBe(before!.deletesFrom);
  });
});
