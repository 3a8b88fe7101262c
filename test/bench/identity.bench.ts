// Identity resolution at scale (issue #24): 1,000,000 contacts (and one account per 8 persons) from
// two CRMs, written straight into a SQLite store through the store's batch writer with the
// sandbox's identity noise (email case, plus aliases, personal addresses, second domains, Website
// URLs, duplicate companies), then resolved with resolveIdentities({ full: true }). Beside it, in
// the same run: a plain read of the same rows (the columns the resolver reads, through the same
// store; and, as a floor, the contacts streamed by better-sqlite3). Then 1% of the contacts change and an incremental run resolves them: the rows it examines
// should scale with the change, not with the table.
// Figures: throughput (rows/s) vs the plain read; peak RSS and heap of each; rows examined per
// changed row; pairwise precision/recall against the generated truth (personal addresses left out).
//   BENCH_IDENTITY_CONTACTS (1,000,000)   contact rows (half per CRM)
//   BENCH_SMOKE=1                         20,000 contact rows (CI and quick checks)
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import BetterSqlite3 from 'better-sqlite3';
import { resolveIdentities } from '@revloop/core';
import { openSqliteStore, type BatchWrite, type Store, type UnifiedRecord } from '@revloop/store';
import { IdentityNoise, identityNoiseSchema } from '@revloop/sandbox';
import { figure, type BenchFigure } from './figure.js';

const CONTACTS = Number(process.env.BENCH_IDENTITY_CONTACTS ?? (process.env.BENCH_SMOKE ? 20_000 : 1_000_000));
const PERSONS = Math.floor(CONTACTS / 2);
const COMPANIES = Math.max(1, Math.ceil(PERSONS / 8));
const BATCH = 1000;
const BATCHES_PER_TX = 10;
const SYSTEMS = ['hubspot', 'salesforce'] as const;
const CHANGED_SHARE = 0.01;
const T0 = 1_700_000_000_000;
const noise = new IdentityNoise(42, identityNoiseSchema.parse({}));
const FIRST = ['Ana', 'Ben', 'Chloe', 'David', 'Elena', 'Farid', 'Grace', 'Hiro', 'Ines', 'Jonas'];
const LAST = ['Garcia', 'Smith', 'Nguyen', 'Mueller', 'Rossi', 'Tanaka', 'Okafor', 'Silva', 'Patel', 'Cohen'];

// ── peak memory per phase ────────────────────────────────────────────────────────────────────
let peak = { rss: 0, heap: 0 };
const sample = () => {
  const m = process.memoryUsage();
  peak = { rss: Math.max(peak.rss, m.rss), heap: Math.max(peak.heap, m.heapUsed) };
};
const sampler = setInterval(sample, 25);
function startPhase(): void {
  global.gc?.();
  const m = process.memoryUsage();
  peak = { rss: m.rss, heap: m.heapUsed };
}
const mb = (n: number) => n / 1024 / 1024;

// ── the generated market: company c, person p (company p % COMPANIES) ───────────────────────
const company = (c: number) => ({ id: `acc_${c + 1}`, name: `Company ${c} Labs`, domain: `company${c}.com` });
function person(p: number) {
  const first = FIRST[p % FIRST.length]!;
  const last = LAST[Math.floor(p / FIRST.length) % LAST.length]!;
  return { id: `con_${p + 1}`, email: `${first.toLowerCase()}.${last.toLowerCase()}${p}@company${p % COMPANIES}.com`, firstName: first, lastName: last };
}

function accountRecords(system: (typeof SYSTEMS)[number], c: number): UnifiedRecord[] {
  const a = company(c);
  const n = noise.account(a);
  const name = n.renamed?.system === system ? n.renamed.name : a.name;
  if (system === 'salesforce') return [{ systemId: `a${c}`, fields: { name, domain: n.website }, createdAt: T0, updatedAt: T0 }];
  const out: UnifiedRecord[] = [{ systemId: `a${c}`, fields: { name, domain: a.domain }, attributes: n.secondDomain ? { additional_domains: [n.secondDomain] } : undefined, createdAt: T0, updatedAt: T0 }];
  if (n.duplicateDomain) out.push({ systemId: `d${c}`, fields: { name, domain: n.duplicateDomain }, createdAt: T0, updatedAt: T0 });
  return out;
}

function contactRecord(system: (typeof SYSTEMS)[number], p: number, title = 'Analyst', at = T0): UnifiedRecord {
  const x = person(p);
  return { systemId: `p${p}`, fields: { email: noise.contact(x).email[system], first_name: x.firstName, last_name: x.lastName, title }, links: { account: `a${p % COMPANIES}` }, createdAt: T0, updatedAt: at };
}

async function write(store: Store, batches: Iterable<BatchWrite>): Promise<void> {
  let group: BatchWrite[] = [];
  for (const b of batches) {
    group.push(b);
    if (group.length === BATCHES_PER_TX) {
      await store.applyBatches(group);
      group = [];
    }
  }
  if (group.length) await store.applyBatches(group);
}

function* batchesOf(system: string, entityType: 'account' | 'contact', n: number, make: (i: number) => UnifiedRecord[], syncedAt: number): Iterable<BatchWrite> {
  let records: UnifiedRecord[] = [];
  for (let i = 0; i < n; i++) {
    records.push(...make(i));
    if (records.length >= BATCH) {
      yield { system, entityType, records, syncedAt };
      records = [];
    }
  }
  if (records.length) yield { system, entityType, records, syncedAt };
}

/** the same columns the resolver reads, through the same store, every row */
async function plainRead(store: Store): Promise<number> {
  const a = await store.db.selectFrom('accounts').select(['id', 'source_system', 'resolved_id', 'deleted', 'created_at', 'updated_at', 'synced_at', 'name', 'domain', 'industry', 'size', 'region', 'employees', 'attributes']).execute();
  const c = await store.db.selectFrom('contacts').select(['id', 'source_system', 'resolved_id', 'deleted', 'created_at', 'updated_at', 'synced_at', 'email', 'first_name', 'last_name', 'title', 'persona', 'lifecycle_stage', 'account_id']).execute();
  return a.length + c.length;
}

/** the floor: the same contact rows streamed by better-sqlite3 (no objects kept), on a connection of its own */
function rawRead(path: string): number {
  const db = new BetterSqlite3(path, { readonly: true });
  try {
    let n = 0;
    for (const _ of db.prepare('SELECT id, source_system, resolved_id, deleted, created_at, updated_at, synced_at, email, first_name, last_name, title, persona, lifecycle_stage, account_id FROM contacts').iterate()) n++;
    return n;
  } finally {
    db.close();
  }
}

/** pairwise precision / recall of resolved contacts vs the generated persons (personal addresses left out) */
async function contactScores(store: Store): Promise<{ precision: number; recall: number; ambiguous: number }> {
  const rows = await store.db.selectFrom('contacts').select(['id', 'resolved_id']).execute();
  const cell = new Map<string, number>();
  const resolved = new Map<string, number>();
  const truth = new Map<number, number>();
  let ambiguous = 0;
  for (const r of rows) {
    const p = Number(/_p(\d+)$/.exec(r.id)![1]);
    if (noise.contact(person(p)).personal) {
      ambiguous++;
      continue;
    }
    const id = r.resolved_id ?? r.id;
    cell.set(`${p}\0${id}`, (cell.get(`${p}\0${id}`) ?? 0) + 1);
    resolved.set(id, (resolved.get(id) ?? 0) + 1);
    truth.set(p, (truth.get(p) ?? 0) + 1);
  }
  const pairs = (m: Map<unknown, number>) => [...m.values()].reduce((s, n) => s + (n * (n - 1)) / 2, 0);
  const together = pairs(cell);
  return { precision: together / pairs(resolved), recall: together / pairs(truth), ambiguous };
}

export default async function (): Promise<BenchFigure[]> {
  const dir = mkdtempSync(join(tmpdir(), 'revloop-bench-identity-'));
  const path = join(dir, 'identity.db');
  const store = openSqliteStore({ path });
  try {
    await store.migrate();
    const tw = performance.now();
    for (const system of SYSTEMS) {
      await write(store, batchesOf(system, 'account', COMPANIES, (c) => accountRecords(system, c), T0));
      await write(store, batchesOf(system, 'contact', PERSONS, (p) => [contactRecord(system, p)], T0));
    }
    const writeSeconds = (performance.now() - tw) / 1000;
    const accountRows = Number((await store.db.selectFrom('accounts').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
    const contactRows = Number((await store.db.selectFrom('contacts').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
    const rows = accountRows + contactRows;

    startPhase();
    let t = performance.now();
    const read = await plainRead(store);
    const readSeconds = (performance.now() - t) / 1000;
    sample();
    const readPeak = { ...peak };
    if (read !== rows) throw new Error(`plain read saw ${read} of ${rows} rows`);
    t = performance.now();
    if (rawRead(path) !== contactRows) throw new Error('the raw read missed contact rows');
    const rawRate = contactRows / ((performance.now() - t) / 1000);

    startPhase();
    t = performance.now();
    const full = await resolveIdentities(store, { now: T0 + 1000, full: true });
    const fullSeconds = (performance.now() - t) / 1000;
    sample();
    const fullPeak = { ...peak };
    const scores = await contactScores(store);

    // 1% of the persons change in one CRM (a new title)
    const changed = Math.max(1, Math.floor(PERSONS * CHANGED_SHARE));
    const step = Math.floor(PERSONS / changed);
    await write(store, batchesOf('hubspot', 'contact', changed, (k) => [contactRecord('hubspot', k * step, 'Director', T0 + 2000)], T0 + 2000));
    startPhase();
    t = performance.now();
    const inc = await resolveIdentities(store, { now: T0 + 3000 });
    const incSeconds = (performance.now() - t) / 1000;
    sample();
    const incPeak = { ...peak };
    clearInterval(sampler);

    const common = { contacts: contactRows, accounts: accountRows, write_seconds: Math.round(writeSeconds * 10) / 10 };
    return [
      figure('identity_resolve_full', rows / fullSeconds, 'rows/s', read / readSeconds, {
        ...common,
        baseline_name: 'plain read of the same rows and columns through the same store',
        seconds: Math.round(fullSeconds * 10) / 10,
        read_seconds: Math.round(readSeconds * 10) / 10,
        raw_streamed_contacts_per_s: Math.round(rawRate),
        resolved_accounts: full.accounts.entities,
        resolved_contacts: full.contacts.entities,
        companies: COMPANIES,
        persons: PERSONS,
        held: full.accounts.held + full.contacts.held,
      }),
      figure('identity_resolve_full_peak_rss', mb(fullPeak.rss), 'MB', mb(readPeak.rss), { ...common, baseline_name: 'peak RSS of the plain read', peak_heap_mb: Math.round(mb(fullPeak.heap)), read_peak_heap_mb: Math.round(mb(readPeak.heap)) }),
      figure('identity_resolve_incremental_examined', inc.contacts.examined + inc.accounts.examined, 'rows', inc.contacts.changed + inc.accounts.changed, {
        ...common,
        baseline_name: 'rows changed since the last run',
        changed_contacts: inc.contacts.changed,
        examined_contacts: inc.contacts.examined,
        examined_accounts: inc.accounts.examined,
        seconds: Math.round(incSeconds * 100) / 100,
        full_seconds: Math.round(fullSeconds * 10) / 10,
        peak_heap_mb: Math.round(mb(incPeak.heap)),
      }),
      figure('identity_contacts_precision', scores.precision, 'ratio', 0.99, { ...common, baseline_name: 'target', recall: Math.round(scores.recall * 10000) / 10000, target_recall: 0.95, personal_address_rows_left_out: scores.ambiguous }),
    ];
  } finally {
    clearInterval(sampler);
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
