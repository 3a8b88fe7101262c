import { afterEach, describe, expect, it } from 'vitest';
import { readCheckpoint, syncStream } from '@revloop/core';
import { unifiedSnapshot } from '@revloop/plugin-kit';
import { company, contact, countLive, MIN, NAME, pad, rows, world, type World } from './helpers.js';

let w: World;
afterEach(async () => w?.close());

describe('hubspot: incremental sync', () => {
  it('reads only changes, including records that share a modification time across pages', async () => {
    w = await world();
    company(w.em, 1);
    for (let n = 1; n <= 5; n++) contact(w.em, n, 1);
    w.clock.advance(MIN);
    const runtime = await w.runtime({ searchPageSize: 3 });
    expect((await syncStream(runtime, NAME, 'contacts')).read).toBe(5);
    // seven contacts change at the same millisecond: three search pages of ties
    const at = w.clock.now();
    for (let n = 1; n <= 7; n++) contact(w.em, n + 10, 1, at);
    w.em.state.update('contacts', w.em.state.hubspotIdOf(`con_${pad(2)}`)!, { firstname: 'Changed' });
    w.clock.advance(MIN);
    const second = await syncStream(runtime, NAME, 'contacts');
    expect(second.read).toBe(8);
    expect((await syncStream(runtime, NAME, 'contacts')).read).toBe(0);
    const contacts = await rows(runtime, 'contacts');
    expect(contacts).toHaveLength(12);
    expect(contacts.find((c) => c.email === 'person2@acct1.example')!.first_name).toBe('Changed');
  });

  it('the lookback re-reads late data (a change stamped before the checkpoint)', async () => {
    w = await world();
    company(w.em, 1);
    contact(w.em, 1, 1);
    w.clock.advance(10 * MIN);
    const strict = await w.runtime({ lookbackMs: 0 }, 'strict.db');
    const looking = await w.runtime({ lookbackMs: 5 * MIN }, 'lookback.db');
    await syncStream(strict, NAME, 'contacts');
    await syncStream(looking, NAME, 'contacts');
    // a change that becomes visible late, stamped 2 minutes before the checkpoint
    const late = w.clock.now() - 2 * MIN;
    contact(w.em, 2, 1, late);
    w.clock.advance(MIN);
    expect((await syncStream(strict, NAME, 'contacts')).read).toBe(0);
    // only the late record: contact 1 (10 minutes old) is outside the 5-minute lookback
    expect((await syncStream(looking, NAME, 'contacts')).read).toBe(1);
    expect(await countLive(looking, 'contacts')).toBe(2);
    expect(await countLive(strict, 'contacts')).toBe(1);
  });

  it('more than 10,000 changes inside one search window are all read (keyset paging, no offset cap)', async () => {
    w = await world();
    company(w.em, 1);
    const runtime = await w.runtime({ searchPageSize: 200, searchWindowMs: 86_400_000 });
    w.clock.advance(MIN);
    await syncStream(runtime, NAME, 'contacts');
    const N = 10_050;
    const base = w.clock.now();
    for (let n = 1; n <= N; n++) contact(w.em, n, 1, base + (n % 50));
    w.clock.advance(MIN);
    const run = await syncStream(runtime, NAME, 'contacts');
    expect(run.read).toBe(N);
    expect(await countLive(runtime, 'contacts')).toBe(N);
    // the emulator refuses offset paging past 10,000: prove the cap is real
    const capped = await fetch(`${w.em.url}/crm/v3/objects/contacts/search`, {
      method: 'POST',
      headers: { authorization: 'Bearer pat-na1-revloop-sandbox', 'content-type': 'application/json' },
      body: JSON.stringify({ limit: 200, after: '10000' }),
    });
    expect(capped.status).toBe(400);
  }, 60_000);

  it('small windows: the checkpoint moves window by window and a resumed run reads the rest exactly once', async () => {
    w = await world();
    company(w.em, 1);
    const runtime = await w.runtime({ searchPageSize: 2, searchWindowMs: MIN });
    w.clock.advance(MIN);
    await syncStream(runtime, NAME, 'contacts');
    const start = w.clock.now();
    for (let n = 1; n <= 9; n++) contact(w.em, n, 1, start + (n % 3) * MIN);
    w.clock.advance(5 * MIN);
    const controller = new AbortController();
    let batches = 0;
    const first = await syncStream(runtime, NAME, 'contacts', { signal: controller.signal, onProgress: () => ++batches === 2 && controller.abort() });
    expect(first.status).toBe('interrupted');
    const cp = (await readCheckpoint(runtime.store, NAME, 'contacts')) as { phase: string; lo: number };
    expect(cp.phase).toBe('search');
    const rest = await syncStream(runtime, NAME, 'contacts');
    expect(first.read + rest.read).toBe(9);
    expect(await countLive(runtime, 'contacts')).toBe(9);
  });

  it('a sync interrupted after N batches and resumed ends with exactly the rows of an uninterrupted sync', async () => {
    w = await world();
    for (let a = 1; a <= 3; a++) company(w.em, a);
    for (let n = 1; n <= 37; n++) contact(w.em, n, 1 + (n % 3));
    w.clock.advance(MIN);
    const straight = await w.runtime({}, 'straight.db');
    const broken = await w.runtime({}, 'broken.db');
    for (const s of ['companies', 'contacts']) await syncStream(straight, NAME, s);
    await syncStream(broken, NAME, 'companies');
    const controller = new AbortController();
    const run = await syncStream(broken, NAME, 'contacts', { signal: controller.signal, onProgress: (p) => p.batches === 2 && controller.abort() });
    expect(run).toMatchObject({ status: 'interrupted', batches: 2 });
    expect(await countLive(broken, 'contacts')).toBe(20);
    expect((await syncStream(broken, NAME, 'contacts')).read).toBe(17);
    expect(await unifiedSnapshot(broken.store)).toEqual(await unifiedSnapshot(straight.store));
  });
});
