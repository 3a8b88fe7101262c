import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { openSqliteStore, sqlitePragmas, entityIdFor, type Store, type BatchWrite, type UnifiedRecord } from '../src/index.js';

let dir: string;
let store: Store;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'revloop-store-'));
  store = openSqliteStore({ path: join(dir, 'test.db') });
  await store.migrate();
});
afterEach(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

const batch = (ids: string[], cursor: number, bad = false): BatchWrite => ({
  system: 'crm',
  entityType: 'contact',
  records: ids.map((id, i) => ({ systemId: id, fields: { email: bad && i === ids.length - 1 ? ({ not: 'a scalar' } as never) : `${id}@x.test` }, raw: { id } })),
  checkpoint: { connector: 'crm', stream: 'contacts', value: { cursor } },
  run: { id: 'run-1', read: ids.length, failed: 0 },
  syncedAt: cursor,
});

describe('sqlite store: several batches in one transaction', () => {
  beforeEach(async () => {
    await store.db
      .insertInto('sync_runs')
      .values({ id: 'run-1', connector: 'crm', stream: 'contacts', mode: 'incremental', status: 'running', started_at: 0, records_read: 0, records_written: 0, records_failed: 0, records_deleted: 0, error: null, errors: null, finished_at: null })
      .execute();
  });

  it('writes every batch in order, each with its counters; the last checkpoint stays', async () => {
    const results = await store.applyBatches([batch(['C1', 'C2'], 1), { ...batch([], 2), deletes: ['C1'] }, batch(['C3'], 3)]);
    expect(results).toEqual([
      { written: 2, deleted: 0, merged: 0 },
      { written: 0, deleted: 1, merged: 0 },
      { written: 1, deleted: 0, merged: 0 },
    ]);
    const rows = await store.db.selectFrom('contacts').select(['email', 'deleted']).orderBy('email').execute();
    expect(rows).toEqual([{ email: 'C1@x.test', deleted: 1 }, { email: 'C2@x.test', deleted: 0 }, { email: 'C3@x.test', deleted: 0 }]);
    const state = await store.db.selectFrom('sync_state').selectAll().executeTakeFirstOrThrow();
    expect(JSON.parse(state.checkpoint!)).toEqual({ cursor: 3 });
    const run = await store.db.selectFrom('sync_runs').selectAll().executeTakeFirstOrThrow();
    expect([run.records_read, run.records_written, run.records_deleted].map(Number)).toEqual([3, 3, 1]);
  });

  it('is all or nothing: a failing write in the last batch rolls back the earlier ones and every checkpoint', async () => {
    await expect(store.applyBatches([batch(['C1', 'C2'], 1), batch(['C3', 'C4'], 2, true)])).rejects.toThrow();
    expect(await store.db.selectFrom('contacts').selectAll().execute()).toHaveLength(0);
    expect(await store.db.selectFrom('external_ids').selectAll().execute()).toHaveLength(0);
    expect(await store.db.selectFrom('sync_state').selectAll().execute()).toHaveLength(0);
    expect(Number((await store.db.selectFrom('sync_runs').selectAll().executeTakeFirstOrThrow()).records_read)).toBe(0);
    // identities claimed inside the rolled-back transaction are not remembered: a retry writes them
    await store.applyBatches([batch(['C1', 'C2'], 1), batch(['C3', 'C4'], 2)]);
    expect(await store.db.selectFrom('external_ids').selectAll().execute()).toHaveLength(4);
    expect(await store.resolveId('crm', 'contact', 'C3')).toBeTruthy();
  });

  it('exports the connection settings it opens with (benchmark baselines use the same)', () => {
    const db = new BetterSqlite3(join(dir, 'test.db'));
    for (const pragma of sqlitePragmas) db.pragma(pragma);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(16384);
    db.close();
  });

  it('a large batch (written in multi-row chunks) ends exactly as the same records written one by one', async () => {
    const other = openSqliteStore({ path: join(dir, 'one-by-one.db') });
    await other.migrate();
    const records: UnifiedRecord[] = [];
    for (let n = 0; n < 137; n++) records.push({ systemId: `P${n}`, fields: { email: `p${n}@x.test`, title: n % 2 ? 'VP' : null }, links: { account: `A${n % 7}` }, raw: { n }, updatedAt: n });
    records[30] = { ...records[30]!, systemId: 'P10', fields: { email: 'later@x.test' } }; // a repeated id inside one chunk: the later record wins
    records[75] = { ...records[75]!, systemId: 'LOSER' }; // merged before: resolves to the winner
    for (const s of [store, other]) {
      await s.applyBatch({ system: 'crm', entityType: 'contact', records: [{ systemId: 'WINNER', fields: { email: 'w@x.test' } }, { systemId: 'LOSER', fields: { email: 'l@x.test' } }, { systemId: 'P60', fields: { email: 'old@x.test' } }], syncedAt: 1 });
      await s.applyBatch({ system: 'crm', entityType: 'contact', records: [], merges: [{ loserSystemId: 'LOSER', winnerSystemId: 'WINNER' }], syncedAt: 2 });
    }
    await store.applyBatch({ system: 'crm', entityType: 'contact', records, syncedAt: 3 });
    for (const r of records) await other.applyBatch({ system: 'crm', entityType: 'contact', records: [r], syncedAt: 3 });
    const dump = async (s: Store) => ({
      contacts: await s.db.selectFrom('contacts').selectAll().orderBy('id').execute(),
      ids: await s.db.selectFrom('external_ids').selectAll().orderBy('system').orderBy('entity_type').orderBy('system_id').execute(),
    });
    const chunked = await dump(store);
    expect(chunked).toEqual(await dump(other));
    await other.close();
    expect(chunked.contacts.find((c) => c.id === entityIdFor('contact', 'crm', 'P10'))!.email).toBe('later@x.test');
    expect(chunked.contacts.find((c) => c.id === entityIdFor('contact', 'crm', 'WINNER'))!.email).toBe('p75@x.test');
    expect(chunked.contacts.find((c) => c.id === entityIdFor('contact', 'crm', 'P60'))!.email).toBe('p60@x.test');
  });

  it('a bad value anywhere in a large batch rolls back all of it', async () => {
    const records: UnifiedRecord[] = [];
    for (let n = 0; n < 120; n++) records.push({ systemId: `P${n}`, fields: { email: n === 77 ? ({ not: 'a scalar' } as never) : `p${n}@x.test` } });
    await expect(store.applyBatch({ system: 'crm', entityType: 'contact', records, checkpoint: { connector: 'crm', stream: 'contacts', value: 1 }, syncedAt: 1 })).rejects.toThrow();
    expect(await store.db.selectFrom('contacts').selectAll().execute()).toHaveLength(0);
    expect(await store.db.selectFrom('external_ids').selectAll().execute()).toHaveLength(0);
    expect(await store.db.selectFrom('sync_state').selectAll().execute()).toHaveLength(0);
  });
});
