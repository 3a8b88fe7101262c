// Foundation benchmark: the sync engine ingesting 1,000,000 synthetic contacts (map + identity
// map + upsert + checkpoint per batch) into SQLite, next to raw better-sqlite3 prepared inserts
// of the same rows into the same table, measured in the same run.
// Targets: >= 50% of the raw rate, >= 150,000 records/s, peak RSS <= 500 MB.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import BetterSqlite3 from 'better-sqlite3';
import { createRuntime, parseConfig, syncStream, SimulatedClock, SYNC_GROUP_RECORDS } from '@revloop/core';
import { openSqliteStore, entityIdFor, sqlitePragmas } from '@revloop/store';
import { referenceConnector } from '@revloop/connector-reference';
import { figure, type BenchFigure } from './figure.js';

const COUNT = Number(process.env.BENCH_CONTACTS ?? 1_000_000);
const PAGE = 1000; // the connector's page (batch) size
// The engine commits batches the source has ready together, up to SYNC_GROUP_RECORDS records per
// transaction; the raw baseline commits the same number of rows per transaction (never fewer
// than the engine), so that both pay the same per-commit cost.
const RAW_TX = SYNC_GROUP_RECORDS;

let peakRss = 0;
const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 50);

function rawContact(n: number) {
  const id = `c${String(n).padStart(9, '0')}`;
  return { id, updatedAt: 1_700_000_000_000 + n, email: `person${n}@company${n % 5000}.example`, firstName: `First${n}`, lastName: `Last${n}`, title: n % 3 === 0 ? 'VP Marketing' : 'Analyst', accountId: `a${n % 5000}` };
}

async function measureRaw(dir: string): Promise<number> {
  // the same schema (migrations), the same pragmas, the same row values, one prepared insert
  const path = join(dir, 'raw.db');
  const store = openSqliteStore({ path });
  await store.migrate();
  await store.close();
  const db = new BetterSqlite3(path);
  for (const pragma of sqlitePragmas) db.pragma(pragma); // the store's own connection settings
  const insert = db.prepare(
    'INSERT INTO contacts (id, source_system, raw, attributes, deleted, deleted_at, created_at, updated_at, synced_at, email, first_name, last_name, title, persona, lifecycle_stage, account_id) VALUES (?, ?, ?, NULL, 0, NULL, NULL, ?, ?, ?, ?, ?, ?, NULL, NULL, ?)',
  );
  const insertPage = db.transaction((start: number) => {
    for (let n = start; n < Math.min(COUNT, start + RAW_TX); n++) {
      const c = rawContact(n);
      insert.run(entityIdFor('contact', 'ref', c.id), 'ref', JSON.stringify(c), c.updatedAt, 1, c.email, c.firstName, c.lastName, c.title, entityIdFor('account', 'ref', c.accountId));
    }
  });
  const t0 = performance.now();
  for (let start = 0; start < COUNT; start += RAW_TX) insertPage(start);
  const seconds = (performance.now() - t0) / 1000;
  db.close();
  return COUNT / seconds;
}

async function measureEngine(dir: string): Promise<{ rate: number; rows: number }> {
  const loaded = parseConfig(
    { store: { kind: 'sqlite', path: join(dir, 'engine.db') }, log: { level: 'warn' }, connectors: { ref: { plugin: referenceConnector, syntheticContacts: COUNT, pageSize: PAGE } } },
    { baseDir: dir, env: {} },
  );
  const runtime = await createRuntime(loaded, { clock: new SimulatedClock(1) });
  await runtime.store.migrate();
  const t0 = performance.now();
  const run = await syncStream(runtime, 'ref', 'contacts');
  const seconds = (performance.now() - t0) / 1000;
  if (run.written !== COUNT) throw new Error(`engine wrote ${run.written} of ${COUNT}`);
  const row = await runtime.store.db.selectFrom('contacts').select('account_id').where('id', '=', entityIdFor('contact', 'ref', 'c000000007')).executeTakeFirstOrThrow();
  if (row.account_id !== entityIdFor('account', 'ref', 'a7')) throw new Error('link not resolved');
  await runtime.close();
  return { rate: COUNT / seconds, rows: run.written };
}

export default async function (): Promise<BenchFigure[]> {
  const dir = mkdtempSync(join(tmpdir(), 'revloop-bench-'));
  try {
    const raw = await measureRaw(dir);
    global.gc?.();
    peakRss = process.memoryUsage().rss;
    const engine = await measureEngine(dir);
    clearInterval(sampler);
    return [
      figure('sync_ingest_contacts', engine.rate, 'records/s', raw, { baseline_name: 'raw better-sqlite3 prepared inserts', records: COUNT, page_size: PAGE, raw_rows_per_tx: RAW_TX, target_ratio: 0.5, target_rate: 150_000 }),
      figure('sync_ingest_peak_rss', peakRss / 1024 / 1024, 'MB', 500, { baseline_name: 'target (500 MB)', records: COUNT }),
    ];
  } finally {
    clearInterval(sampler);
    rmSync(dir, { recursive: true, force: true });
  }
}
