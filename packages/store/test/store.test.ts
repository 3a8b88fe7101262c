import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqliteStore, type Store, entityIdFor } from '../src/index.js';

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

describe('sqlite store', () => {
  it('migrates once, with WAL and foreign keys on', async () => {
    expect((await store.migrate()).applied).toEqual([]);
    const tables = await store.db.introspection.getTables();
    const names = tables.map((t) => t.name);
    for (const t of ['accounts', 'contacts', 'external_ids', 'signals', 'campaigns', 'touchpoints', 'opportunities', 'decisions', 'outcomes', 'approvals', 'cost_ledger', 'model_versions', 'sync_state', 'sync_runs', 'plugin_state']) {
      expect(names).toContain(t);
    }
  });

  it('writes records, links through the identity map, and saves the checkpoint atomically', async () => {
    await store.applyBatch({
      system: 'crm',
      entityType: 'account',
      records: [{ systemId: 'A1', fields: { name: 'Acme', industry: 'fintech' }, raw: { id: 'A1', name: 'Acme' } }],
      syncedAt: 1000,
    });
    await store.applyBatch({
      system: 'crm',
      entityType: 'contact',
      records: [{ systemId: 'C1', fields: { email: 'a@acme.test' }, links: { account: 'A1' }, raw: { id: 'C1' } }],
      checkpoint: { connector: 'crm', stream: 'contacts', value: { cursor: 5 } },
      syncedAt: 2000,
    });
    const contact = await store.db.selectFrom('contacts').selectAll().executeTakeFirstOrThrow();
    expect(contact.account_id).toBe(entityIdFor('account', 'crm', 'A1'));
    expect(JSON.parse(contact.raw!)).toEqual({ id: 'C1' });
    const state = await store.db.selectFrom('sync_state').selectAll().executeTakeFirstOrThrow();
    expect(JSON.parse(state.checkpoint!)).toEqual({ cursor: 5 });
  });

  it('rolls back the whole batch, checkpoint included, when one write fails', async () => {
    await expect(
      store.applyBatch({
        system: 'crm',
        entityType: 'contact',
        records: [
          { systemId: 'C1', fields: { email: 'ok@x.test' } },
          { systemId: 'C2', fields: { email: { not: 'a scalar' } as never } },
        ],
        checkpoint: { connector: 'crm', stream: 'contacts', value: { cursor: 9 } },
        syncedAt: 1,
      }),
    ).rejects.toThrow();
    expect(await store.db.selectFrom('contacts').selectAll().execute()).toHaveLength(0);
    expect(await store.db.selectFrom('external_ids').selectAll().execute()).toHaveLength(0);
    expect(await store.db.selectFrom('sync_state').selectAll().execute()).toHaveLength(0);
  });

  it('soft-deletes and merges: the loser id resolves to the winner, links follow', async () => {
    await store.applyBatch({
      system: 'crm',
      entityType: 'contact',
      records: [
        { systemId: 'C1', fields: { email: 'win@x.test' } },
        { systemId: 'C2', fields: { email: 'lose@x.test' } },
        { systemId: 'C3', fields: { email: 'gone@x.test' } },
      ],
      syncedAt: 1,
    });
    await store.applyBatch({
      system: 'crm',
      entityType: 'signal',
      records: [{ systemId: 'S1', fields: { type: 'page_view', occurred_at: 5 }, links: { contact: 'C2' } }],
      syncedAt: 2,
    });
    const r = await store.applyBatch({
      system: 'crm',
      entityType: 'contact',
      records: [],
      deletes: ['C3', 'unknown'],
      merges: [{ loserSystemId: 'C2', winnerSystemId: 'C1' }],
      syncedAt: 3,
    });
    expect(r).toEqual({ written: 0, deleted: 1, merged: 1 });
    const winner = entityIdFor('contact', 'crm', 'C1');
    expect(await store.resolveId('crm', 'contact', 'C2')).toBe(winner);
    const loser = await store.db.selectFrom('contacts').selectAll().where('id', '=', entityIdFor('contact', 'crm', 'C2')).executeTakeFirstOrThrow();
    expect(loser.deleted).toBe(1);
    expect(loser.merged_into).toBe(winner);
    const signal = await store.db.selectFrom('signals').selectAll().executeTakeFirstOrThrow();
    expect(signal.contact_id).toBe(winner);
    const gone = await store.db.selectFrom('contacts').select('deleted').where('email', '=', 'gone@x.test').executeTakeFirstOrThrow();
    expect(gone.deleted).toBe(1);
    // a record of the merged-away id that arrives later lands on the winner
    await store.applyBatch({ system: 'crm', entityType: 'contact', records: [{ systemId: 'C2', fields: { email: 'late@x.test' } }], syncedAt: 4 });
    const w = await store.db.selectFrom('contacts').select('email').where('id', '=', winner).executeTakeFirstOrThrow();
    expect(w.email).toBe('late@x.test');
  });
});
