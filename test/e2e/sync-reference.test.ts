import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { writeFileSync } from 'node:fs';
import { syncStream, syncAll, readCheckpoint, resetCheckpoint, checkConnectors, statusReport, entityIdForTest } from './sync-imports.js';
import { referenceRuntime, tempDir, writeJsonl } from './helpers.js';

let dir: ReturnType<typeof tempDir>;
beforeEach(() => {
  dir = tempDir();
});
afterEach(() => dir.cleanup());

const accounts = [
  { id: 'a1', updatedAt: 10, name: 'Acme', domain: 'acme.test', industry: 'fintech', tier: 'gold' },
  { id: 'a2', updatedAt: 10, name: 'Globex' },
  { id: 'a3', updatedAt: 11, name: 'Initech' },
];
const contacts = [
  { id: 'c1', updatedAt: 5, email: 'Ann@acme.test', accountId: 'a1' },
  { id: 'c2', updatedAt: 5, email: 'bob@acme.test', accountId: 'a1' },
  { id: 'c3', updatedAt: 5, email: 'cy@globex.test', accountId: 'a2' },
  { id: 'c4', updatedAt: 7, email: 'di@initech.test', accountId: 'a3' },
];

describe('sync engine with the reference connector', () => {
  it('checks, syncs into the unified model, links through the identity map, and saves the checkpoint', async () => {
    writeJsonl(join(dir.path, 'data'), 'accounts.jsonl', accounts);
    writeJsonl(join(dir.path, 'data'), 'contacts.jsonl', contacts);
    const { runtime } = await referenceRuntime(dir.path);
    expect(await checkConnectors(runtime)).toMatchObject([{ connector: 'ref', ok: true }]);

    const { runs, failures } = await syncAll(runtime);
    expect(failures).toEqual([]);
    expect(runs.map((r) => [r.stream, r.status, r.read, r.written])).toEqual([
      ['accounts', 'succeeded', 3, 3],
      ['contacts', 'succeeded', 4, 4],
    ]);
    const ann = await runtime.store.db.selectFrom('contacts').selectAll().where('email', '=', 'ann@acme.test').executeTakeFirstOrThrow();
    expect(ann.account_id).toBe(entityIdForTest('account', 'ref', 'a1'));
    expect(JSON.parse(ann.raw!)).toMatchObject({ id: 'c1', email: 'Ann@acme.test' });
    const acme = await runtime.store.db.selectFrom('accounts').selectAll().where('name', '=', 'Acme').executeTakeFirstOrThrow();
    expect(JSON.parse(acme.attributes!)).toEqual({ tier: 'gold' });
    expect(await readCheckpoint(runtime.store, 'ref', 'contacts')).toEqual({ updatedAt: 7, id: 'c4' });
    await runtime.close();
  });

  it('reads only changes on the next incremental run, including records that share the cursor value', async () => {
    writeJsonl(join(dir.path, 'data'), 'contacts.jsonl', contacts.slice(0, 2));
    const { runtime } = await referenceRuntime(dir.path);
    expect((await syncStream(runtime, 'ref', 'contacts')).read).toBe(2);
    // c3 shares updatedAt 5 with the already-synced c1/c2: a tie that must not be lost
    writeJsonl(join(dir.path, 'data'), 'contacts.jsonl', contacts);
    const second = await syncStream(runtime, 'ref', 'contacts');
    expect(second.read).toBe(2);
    const third = await syncStream(runtime, 'ref', 'contacts');
    expect(third.read).toBe(0);
    expect(await runtime.store.db.selectFrom('contacts').select('id').execute()).toHaveLength(4);
    await runtime.close();
  });

  it('propagates tombstone deletes and merges', async () => {
    writeJsonl(join(dir.path, 'data'), 'contacts.jsonl', contacts);
    const { runtime } = await referenceRuntime(dir.path);
    await syncStream(runtime, 'ref', 'contacts');
    writeJsonl(join(dir.path, 'data'), 'contacts.jsonl', [...contacts, { id: 'c3', updatedAt: 20, deleted: true }, { id: 'c2', updatedAt: 21, mergedInto: 'c1' }]);
    const run = await syncStream(runtime, 'ref', 'contacts');
    expect(run.deleted).toBe(2);
    const rows = await runtime.store.db.selectFrom('contacts').select(['email', 'deleted', 'merged_into']).orderBy('email').execute();
    expect(rows.filter((r) => r.deleted === 0).map((r) => r.email)).toEqual(['ann@acme.test', 'di@initech.test']);
    expect(await runtime.store.resolveId('ref', 'contact', 'c2')).toBe(entityIdForTest('contact', 'ref', 'c1'));
    await runtime.close();
  });

  it('reports a record that fails mapping with its id and keeps the rest of the batch', async () => {
    writeJsonl(join(dir.path, 'data'), 'contacts.jsonl', [...contacts.slice(0, 2), { id: 'bad1', updatedAt: 6, email: 'not-an-email' }]);
    const { runtime } = await referenceRuntime(dir.path);
    const run = await syncStream(runtime, 'ref', 'contacts');
    expect(run).toMatchObject({ status: 'succeeded', read: 3, written: 2, failed: 1 });
    expect(run.errors[0]).toMatchObject({ recordId: 'bad1' });
    const stored = await runtime.store.db.selectFrom('sync_runs').selectAll().executeTakeFirstOrThrow();
    expect(Number(stored.records_failed)).toBe(1);
    expect(stored.errors).toContain('bad1');
    await runtime.close();
  });

  it('refuses a corrupted checkpoint with a fix, and --reset starts over', async () => {
    writeJsonl(join(dir.path, 'data'), 'contacts.jsonl', contacts);
    const { runtime } = await referenceRuntime(dir.path);
    await syncStream(runtime, 'ref', 'contacts');
    await runtime.store.db.updateTable('sync_state').set({ checkpoint: '{"updatedAt":"yesterday"}' }).execute();
    await expect(syncStream(runtime, 'ref', 'contacts')).rejects.toMatchObject({ code: 'CHECKPOINT_CORRUPT', fix: expect.stringContaining('--reset') });
    await runtime.store.db.updateTable('sync_state').set({ checkpoint: '{not json' }).execute();
    await expect(syncStream(runtime, 'ref', 'contacts')).rejects.toMatchObject({ code: 'CHECKPOINT_CORRUPT' });
    expect(await resetCheckpoint(runtime.store, 'ref', 'contacts')).toBe(1);
    expect((await syncStream(runtime, 'ref', 'contacts')).read).toBe(4);
    await runtime.close();
  });

  it('a failed run keeps the checkpoint of the last stored batch and the next run resumes from it', async () => {
    // the vendor answers garbage: the run fails, and nothing of it moves the checkpoint
    writeJsonl(join(dir.path, 'data'), 'accounts.jsonl', accounts);
    const { runtime, clock } = await referenceRuntime(dir.path);
    await syncStream(runtime, 'ref', 'accounts');
    const before = await readCheckpoint(runtime.store, 'ref', 'accounts');
    clock.advance(60_000);
    writeFileSync(join(dir.path, 'data', 'accounts.jsonl'), '{"id":"a9","updatedAt":99,"name":"Late"}\n{broken\n');
    await expect(syncStream(runtime, 'ref', 'accounts')).rejects.toMatchObject({ code: 'SYNC_FAILED' });
    expect(await readCheckpoint(runtime.store, 'ref', 'accounts')).toEqual(before);
    const status = await statusReport(runtime.store);
    expect(status.runs[0]).toMatchObject({ stream: 'accounts', status: 'failed' });
    expect(status.runs[0]!.error).toMatch(/not valid JSON/);
    await runtime.close();
  });

  it('a full refresh re-reads everything regardless of the checkpoint', async () => {
    writeJsonl(join(dir.path, 'data'), 'accounts.jsonl', accounts);
    const { runtime } = await referenceRuntime(dir.path);
    await syncStream(runtime, 'ref', 'accounts');
    expect((await syncStream(runtime, 'ref', 'accounts')).read).toBe(0);
    expect((await syncStream(runtime, 'ref', 'accounts', { mode: 'full' })).read).toBe(3);
    expect(await runtime.store.db.selectFrom('accounts').select('id').execute()).toHaveLength(3);
    await runtime.close();
  });

  it('stops between batches when asked, keeping the checkpoint of what was stored', async () => {
    writeJsonl(join(dir.path, 'data'), 'contacts.jsonl', contacts);
    const { runtime } = await referenceRuntime(dir.path);
    const controller = new AbortController();
    const run = await syncStream(runtime, 'ref', 'contacts', { signal: controller.signal, onProgress: () => controller.abort() });
    expect(run).toMatchObject({ status: 'interrupted', batches: 1, written: 2 });
    expect(await readCheckpoint(runtime.store, 'ref', 'contacts')).toEqual({ updatedAt: 5, id: 'c2' });
    expect((await syncStream(runtime, 'ref', 'contacts')).read).toBe(2);
    await runtime.close();
  });
});
