// The sync engine commits batches a source has ready back to back in one transaction (each with
// its checkpoint and counters). These tests pin down what that may and may not change.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import type { BatchWrite } from '@revloop/store';
import { createRuntime, defineConnector, defineStream, parseConfig, readCheckpoint, syncStream, SimulatedClock, type Runtime } from '../src/index.js';

type Rec = { id: string; n: number };
type Cursor = { n: number };

/** knobs of the in-memory test source */
const source = {
  total: 1000,
  pageSize: 100,
  /** wait this long (real time) before each page, like a network source */
  delayMs: 0,
  /** throw instead of yielding this page (0-based) */
  failAtPage: -1,
  /** called before yielding each page (0-based) */
  beforePage: (_page: number) => {},
};

const numbers = defineStream<Record<string, never>, Rec, Cursor>({
  name: 'numbers',
  entity: 'contact',
  cursor: 'n',
  deletes: 'none',
  checkpoint: z.object({ n: z.number() }),
  async *read(_ctx, { checkpoint }) {
    const start = checkpoint ? checkpoint.n + 1 : 0;
    for (let first = start, page = 0; first < source.total; first += source.pageSize, page++) {
      if (source.delayMs) await new Promise((r) => setTimeout(r, source.delayMs));
      if (page === source.failAtPage) throw new Error('the source broke');
      source.beforePage(page);
      const records: Rec[] = [];
      for (let n = first; n < Math.min(source.total, first + source.pageSize); n++) records.push({ id: `r${String(n).padStart(5, '0')}`, n });
      yield { records, checkpoint: { n: records[records.length - 1]!.n } };
    }
  },
  map: (r) => ({ systemId: r.id, fields: { email: `${r.id}@x.test` }, raw: r }),
});

const connector = defineConnector({
  name: 'numbers-source',
  version: '0.0.1',
  config: z.object({}).strict(),
  check: async () => ({ ok: true, message: 'ok' }),
  streams: [numbers],
});

let dir: string;
let runtime: Runtime;
let groups: number[][];
let singles: number;

async function open(file = 'sync.db'): Promise<Runtime> {
  const loaded = parseConfig(
    { store: { kind: 'sqlite', path: join(dir, file) }, log: { level: 'error' }, connectors: { src: { plugin: connector } } },
    { baseDir: dir, env: {} },
  );
  const rt = await createRuntime(loaded, { clock: new SimulatedClock(1) });
  await rt.store.migrate();
  // watch the commits: how many batches each transaction carried
  const store = rt.store as { applyBatch: (b: BatchWrite) => Promise<unknown>; applyBatches: (b: BatchWrite[]) => Promise<unknown[]> };
  const one = store.applyBatch.bind(store);
  const many = store.applyBatches.bind(store);
  store.applyBatch = (b) => (singles++, one(b));
  store.applyBatches = (b) => (groups.push(b.map((x) => x.records.length)), many(b));
  return rt;
}

const stored = async (rt: Runtime) => (await rt.store.db.selectFrom('contacts').select('id').execute()).length;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'revloop-grouping-'));
  Object.assign(source, { total: 1000, pageSize: 100, delayMs: 0, failAtPage: -1, beforePage: () => {} });
  groups = [];
  singles = 0;
  runtime = await open();
});
afterEach(async () => {
  await runtime.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('sync engine: batches that are ready commit together', () => {
  it('groups ready batches up to groupRecords, with every batch counted and the last checkpoint saved', async () => {
    const run = await syncStream(runtime, 'src', 'numbers', { groupRecords: 300 });
    expect(run).toMatchObject({ status: 'succeeded', batches: 10, read: 1000, written: 1000 });
    // 3 + 3 + 3 batches of 100 reach the limit; the last batch is committed when the source ends
    expect(groups).toEqual([[100, 100, 100], [100, 100, 100], [100, 100, 100]]);
    expect(singles).toBe(1);
    expect(await stored(runtime)).toBe(1000);
    expect(await readCheckpoint(runtime.store, 'src', 'numbers')).toEqual({ n: 999 });
    const dbRun = await runtime.store.db.selectFrom('sync_runs').selectAll().where('id', '=', run.runId).executeTakeFirstOrThrow();
    expect([dbRun.records_read, dbRun.records_written, dbRun.status].map(String)).toEqual(['1000', '1000', 'succeeded']);
  });

  it('groupRecords 1 (and any run observed through onProgress) commits batch by batch', async () => {
    await syncStream(runtime, 'src', 'numbers', { groupRecords: 1 });
    expect(groups).toEqual([]);
    expect(singles).toBe(10);
    const seen: number[] = [];
    await syncStream(runtime, 'src', 'numbers', { mode: 'full', onProgress: (p) => seen.push(p.batches) });
    expect(groups).toEqual([]);
    expect(seen).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  });

  it('a source that waits for its next page gets what it has read committed first', async () => {
    source.delayMs = 5;
    await syncStream(runtime, 'src', 'numbers');
    expect(groups).toEqual([]);
    expect(singles).toBe(10);
    expect(await stored(runtime)).toBe(1000);
  });

  it('a group whose write fails is written batch by batch: every batch before the bad one is kept with its checkpoint', async () => {
    const store = runtime.store as { applyBatch: (b: BatchWrite) => Promise<unknown>; applyBatches: (b: BatchWrite[]) => Promise<unknown[]> };
    const one = store.applyBatch;
    store.applyBatches = async () => {
      throw new Error('disk I/O error');
    };
    // the batch holding record 450 cannot be written
    store.applyBatch = (b) => (b.records.some((r) => r.systemId === 'r00450') ? Promise.reject(new Error('constraint failed')) : one(b));
    await expect(syncStream(runtime, 'src', 'numbers')).rejects.toThrow(/constraint failed/);
    expect(await stored(runtime)).toBe(400);
    expect(await readCheckpoint(runtime.store, 'src', 'numbers')).toEqual({ n: 399 });
    const failed = await runtime.store.db.selectFrom('sync_runs').selectAll().executeTakeFirstOrThrow();
    expect([failed.status, String(failed.records_read)]).toEqual(['failed', '400']);

    // the cause is gone: the next run resumes after the last stored batch and reads each record once
    store.applyBatch = one;
    const rest = await syncStream(runtime, 'src', 'numbers', { groupRecords: 1 });
    expect(rest.read).toBe(600);
    expect(await stored(runtime)).toBe(1000);
  });

  it('when the source fails, the batches it yielded before are stored with their checkpoint', async () => {
    source.failAtPage = 4;
    await expect(syncStream(runtime, 'src', 'numbers')).rejects.toThrow(/the source broke/);
    expect(await stored(runtime)).toBe(400);
    expect(await readCheckpoint(runtime.store, 'src', 'numbers')).toEqual({ n: 399 });
    source.failAtPage = -1;
    expect((await syncStream(runtime, 'src', 'numbers')).read).toBe(600);
    expect(await stored(runtime)).toBe(1000);
  });

  it('a stop request stores the batches read so far, then stops', async () => {
    const controller = new AbortController();
    source.beforePage = (page) => page === 2 && controller.abort();
    const run = await syncStream(runtime, 'src', 'numbers', { signal: controller.signal });
    expect(run).toMatchObject({ status: 'interrupted', batches: 3, written: 300 });
    expect(groups).toEqual([[100, 100, 100]]);
    expect(await readCheckpoint(runtime.store, 'src', 'numbers')).toEqual({ n: 299 });
    source.beforePage = () => {};
    expect((await syncStream(runtime, 'src', 'numbers')).read).toBe(700);
    expect(await stored(runtime)).toBe(1000);
  });
});
