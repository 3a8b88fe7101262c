import { afterEach, describe, expect, it } from 'vitest';
import { checkConnectors, readCheckpoint, syncStream, type Runtime } from '@revloop/core';
import { unifiedSnapshot } from '@revloop/plugin-kit';
import { account, contact, NAME, opportunity, rows, world, type World } from './helpers.js';

let w: World;
afterEach(async () => w?.close());

const HOUR = 3_600_000;
const STREAMS = ['accounts', 'contacts', 'leads', 'opportunities', 'campaigns', 'campaign_members', 'tasks'];

function feed(world: World, contacts: number) {
  const { em } = world;
  for (let a = 1; a <= 4; a++) account(em, a);
  for (let n = 1; n <= contacts; n++) contact(em, n, 1 + (n % 4));
  for (let n = 1; n <= 6; n++) opportunity(em, n, 1 + (n % 4), n % 2 ? 'closed_won' : 'qualification', 100 * n + 0.25);
  const camp = em.state.create('Campaign', { Name: 'Spring' });
  if (!camp.ok) throw new Error('campaign');
  for (let n = 1; n <= 7; n++) em.state.create('CampaignMember', { CampaignId: camp.record.id, ContactId: em.state.idOf(`con_${String(n).padStart(6, '0')}`) });
}

async function syncAllStreams(runtime: Runtime) {
  for (const s of STREAMS) expect((await syncStream(runtime, NAME, s)).status).toBe('succeeded');
}

describe('salesforce: sessions, limits, interruptions, faults', () => {
  it('an expired session refreshes itself with the refresh token (also when no access token is configured)', async () => {
    w = await world({ faults: { tokenTtlMs: 2 * HOUR } });
    feed(w, 3);
    const runtime = await w.runtime();
    expect((await syncStream(runtime, NAME, 'contacts')).read).toBe(3);
    w.em.clock.advance(2 * HOUR);
    const stale = await fetch(`${w.em.url}/services/data/v62.0/limits`, { headers: { authorization: `Bearer ${w.em.accessToken}` } });
    expect(stale.status).toBe(401);
    contact(w.em, 99, 1);
    expect((await syncStream(runtime, NAME, 'contacts')).read).toBe(1);

    const fresh = await w.runtime({ accessToken: undefined });
    expect((await syncStream(fresh, NAME, 'contacts')).read).toBe(4);
  });

  it('a revoked refresh token fails check and sync with an actionable reconnect error', async () => {
    w = await world();
    feed(w, 2);
    w.em.tokens.revoke(w.em.refreshToken);
    const runtime = await w.runtime();
    const [check] = await checkConnectors(runtime);
    expect(check!.ok).toBe(false);
    expect(check!.message).toMatch(/reconnect Salesforce/);
    const error = await syncStream(runtime, NAME, 'contacts').then(() => null, (e) => e);
    expect(error).toMatchObject({ name: 'RevloopError', code: 'SALESFORCE_RECONNECT_REQUIRED', fix: expect.stringContaining('refresh token') });
    expect(await readCheckpoint(runtime.store, NAME, 'contacts')).toBeUndefined();
  });

  it('a spent daily API limit (403 REQUEST_LIMIT_EXCEEDED) stops the sync with its checkpoint; the next run resumes', async () => {
    w = await world({ dailyApiLimit: 5 });
    feed(w, 30);
    const runtime = await w.runtime({ pageSize: 5 });
    // describe + 4 pages fit in the allocation; the 5th page is refused
    const error = await syncStream(runtime, NAME, 'contacts').then(() => null, (e) => e);
    expect(error).toMatchObject({ code: 'RATE_LIMIT_EXHAUSTED', fix: expect.stringContaining('resumes') });
    expect(await rows(runtime, 'contacts')).toHaveLength(20);
    const stored = await runtime.store.db.selectFrom('sync_runs').select(['status', 'records_written']).execute();
    expect(stored).toEqual([{ status: 'failed', records_written: 20 }]);
    w.em.clock.advance(24 * HOUR + 60_000); // the rolling window frees the allocation
    const resumed = await syncStream(runtime, NAME, 'contacts');
    expect(resumed.read).toBe(10);
    expect(await rows(runtime, 'contacts')).toHaveLength(30);
  });

  it('apiReserve stops before the org allocation is spent', async () => {
    w = await world({ dailyApiLimit: 10 });
    feed(w, 30);
    const runtime = await w.runtime({ pageSize: 5, apiReserve: 6 });
    const error = await syncStream(runtime, NAME, 'contacts').then(() => null, (e) => e);
    expect(error).toMatchObject({ code: 'RATE_LIMIT_EXHAUSTED', message: expect.stringContaining('apiReserve') });
    expect((await rows(runtime, 'contacts')).length).toBe(15); // describe + 3 pages, then 4 used of 10 leaves 6
  });

  it('a sync interrupted after N batches and resumed ends with exactly the rows of an uninterrupted sync', async () => {
    w = await world();
    feed(w, 23);
    const straight = await w.runtime({ pageSize: 4 }, 'straight.db');
    await syncAllStreams(straight);

    const stopped = await w.runtime({ pageSize: 4 }, 'stopped.db');
    for (const s of STREAMS) {
      const controller = new AbortController();
      const first = await syncStream(stopped, NAME, s, { signal: controller.signal, onProgress: (p) => p.batches >= 2 && controller.abort() });
      if (first.status === 'interrupted') expect(first.batches).toBe(2);
      expect((await syncStream(stopped, NAME, s)).status).toBe('succeeded');
    }
    const interrupted = await stopped.store.db.selectFrom('sync_runs').select('stream').where('status', '=', 'interrupted').execute();
    expect(interrupted.map((r) => r.stream)).toEqual(expect.arrayContaining(['contacts', 'campaign_members']));
    expect(await unifiedSnapshot(stopped.store)).toEqual(await unifiedSnapshot(straight.store));
  });

  it('with 20% server errors (503) nothing is lost or duplicated', async () => {
    w = await world({ seed: 7 });
    feed(w, 40);
    const clean = await w.runtime({ pageSize: 5 }, 'clean.db');
    await syncAllStreams(clean);
    w.em.faults.set({ serverErrorRate: 0.2 });
    // the faults are real: without retries the same sync fails
    const fragile = await w.runtime({ pageSize: 5, maxRetries: 0 }, 'fragile.db');
    await expect((async () => { for (const s of STREAMS) await syncStream(fragile, NAME, s); })()).rejects.toThrow(/Server temporarily unavailable/);
    const faulty = await w.runtime({ pageSize: 5, maxRetries: 8 }, 'faulty.db');
    await syncAllStreams(faulty);
    w.em.faults.set({ serverErrorRate: 0 });
    const retried = await faulty.store.db.selectFrom('sync_runs').select(['stream', 'records_read']).execute();
    expect(retried.find((r) => r.stream === 'contacts')!.records_read).toBe(40);
    expect(await unifiedSnapshot(faulty.store)).toEqual(await unifiedSnapshot(clean.store));
  });
});
