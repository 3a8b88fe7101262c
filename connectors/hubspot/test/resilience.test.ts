import { afterEach, describe, expect, it } from 'vitest';
import { readCheckpoint, syncStream, type Runtime } from '@revloop/core';
import { unifiedSnapshot } from '@revloop/plugin-kit';
import { company, contact, countLive, deal, MIN, NAME, world, type World } from './helpers.js';

let w: World;
afterEach(async () => w?.close());

const STREAMS = ['companies', 'contacts', 'deals'];
function feed(world: World, contacts: number) {
  for (let a = 1; a <= 4; a++) company(world.em, a);
  for (let n = 1; n <= contacts; n++) contact(world.em, n, 1 + (n % 4));
  for (let d = 1; d <= 12; d++) deal(world.em, d, 1 + (d % 4), d, d % 3 ? 'qualification' : 'closed_won', 100 * d + 0.5);
}
async function syncAllStreams(runtime: Runtime) {
  for (const s of STREAMS) expect((await syncStream(runtime, NAME, s)).status).toBe('succeeded');
}

describe('hubspot: faults and limits', () => {
  it('20% 5xx and 20% 429 answers lose and duplicate nothing (first sync and incremental)', async () => {
    w = await world();
    feed(w, 60);
    w.clock.advance(MIN);
    const clean = await w.runtime({}, 'clean.db');
    await syncAllStreams(clean);
    const faulty = await w.runtime({}, 'faulty.db');
    w.em.faults.set({ serverErrorRate: 0.2, rateLimitRate: 0.2 });
    await syncAllStreams(faulty);
    // incremental under faults as well
    for (let n = 61; n <= 75; n++) contact(w.em, n, 1);
    w.clock.advance(MIN);
    await syncAllStreams(faulty);
    w.em.faults.set({ serverErrorRate: 0, rateLimitRate: 0 });
    await syncAllStreams(clean);
    expect(await countLive(faulty, 'contacts')).toBe(75);
    expect(await unifiedSnapshot(faulty.store)).toEqual(await unifiedSnapshot(clean.store));
  });

  it('the client paces itself under the secondly limit: the emulator refuses nothing', async () => {
    w = await world({ secondlyLimit: 10, tenSecondlyLimit: 100 });
    feed(w, 60);
    w.clock.advance(MIN);
    const runtime = await w.runtime({ pageSize: 5, rateLimits: { secondly: 10, tenSecondly: 100, daily: 100_000, searchSecondly: 5 } });
    const t0 = performance.now();
    await syncStream(runtime, NAME, 'contacts');
    const ms = performance.now() - t0;
    const { admitted, rejected } = w.em.limiter.counts;
    expect(rejected).toEqual({ SECONDLY: 0, TEN_SECONDLY_ROLLING: 0, DAILY: 0 });
    // properties + 12 list pages + archived = 14 requests, at most 10 a second
    expect(admitted).toBeGreaterThan(10);
    expect(ms).toBeGreaterThan(900);
  }, 20_000);

  it('a spent daily limit (the client\'s own count) stops cleanly with the checkpoint; the next run resumes', async () => {
    w = await world();
    feed(w, 30);
    w.clock.advance(MIN);
    const limited = await w.runtime({ rateLimits: { secondly: 1000, tenSecondly: 10_000, daily: 3, searchSecondly: 100 } }, 'shared.db');
    // properties + 2 pages fit; the third page is not sent
    const error = await syncStream(limited, NAME, 'contacts').then(() => null, (e) => e);
    expect(error).toMatchObject({ code: 'RATE_LIMIT_EXHAUSTED', fix: expect.stringContaining('resumes') });
    expect(await countLive(limited, 'contacts')).toBe(20);
    expect(await readCheckpoint(limited.store, NAME, 'contacts')).toMatchObject({ phase: 'list', after: expect.any(String) });
    await limited.close();
    const next = await w.runtime({}, 'shared.db');
    expect((await syncStream(next, NAME, 'contacts')).read).toBe(10);
    expect(await countLive(next, 'contacts')).toBe(30);
  });

  it('HubSpot\'s DAILY 429 stops cleanly with the checkpoint; after the day turns the sync resumes', async () => {
    let wall = Date.UTC(2025, 0, 1, 12);
    w = await world({ dailyLimit: 6, wallClock: () => wall });
    feed(w, 30);
    w.clock.advance(MIN);
    const runtime = await w.runtime({ pageSize: 5 });
    // properties + 5 pages are admitted; the 6th page gets HubSpot's DAILY 429
    const error = await syncStream(runtime, NAME, 'contacts').then(() => null, (e) => e);
    expect(error).toMatchObject({ code: 'RATE_LIMIT_EXHAUSTED' });
    expect(w.em.limiter.counts.rejected.DAILY).toBe(1);
    expect(await countLive(runtime, 'contacts')).toBe(25);
    expect(await readCheckpoint(runtime.store, NAME, 'contacts')).toMatchObject({ phase: 'list' });
    wall += 86_400_000;
    contact(w.em, 99, 1);
    w.clock.advance(MIN);
    expect((await syncStream(runtime, NAME, 'contacts')).status).toBe('succeeded');
    expect(await countLive(runtime, 'contacts')).toBe(31);
  });
});
