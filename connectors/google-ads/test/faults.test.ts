// Injected faults (RESOURCE_EXHAUSTED with a retry delay, UNAVAILABLE, streams cut mid-way) are
// retried by the connector with backoff; the synced rows equal those of a fault-free sync.
import { afterEach, describe, expect, it } from 'vitest';
import { syncStream, type Runtime } from '@revloop/core';
import { adDay, campaign, click, day, startHarness, type Harness } from './helpers.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.stop();
  h = undefined;
});

function seed(harness: Harness) {
  for (let c = 0; c < 4; c++) {
    const id = `cmp_gg_${c}`;
    harness.emu.state.apply(campaign(id));
    for (let d = 0; d < 61; d++) harness.emu.state.apply(adDay(id, day(d), ((c + d) % 11) + 1));
    for (let d = 0; d < 61; d += 2) harness.emu.state.apply(click(`gclid_${c}_${d}`, id, day(d)));
  }
}

async function syncEverything(runtime: Runtime) {
  for (const stream of ['campaigns', 'campaign-metrics', 'click-views']) {
    const run = await syncStream(runtime, 'google', stream);
    expect(run.status).toBe('succeeded');
  }
}

async function snapshot(runtime: Runtime) {
  const strip = <T extends { synced_at: number }>(rows: T[]) => rows.map(({ synced_at: _s, ...r }) => r);
  return {
    campaigns: strip(await runtime.store.db.selectFrom('campaigns').selectAll().orderBy('id').execute()),
    touchpoints: strip(await runtime.store.db.selectFrom('touchpoints').selectAll().orderBy('id').execute()),
  };
}

describe('faults', () => {
  for (const [name, faults] of [
    ['RESOURCE_EXHAUSTED (rateLimitRate 0.2)', { rateLimitRate: 0.2 }],
    ['UNAVAILABLE (serverErrorRate 0.2)', { serverErrorRate: 0.2 }],
    ['streams cut mid-way (dropConnectionRate 0.2)', { dropConnectionRate: 0.2 }],
  ] as const) {
    it(`${name}: retried, nothing lost or duplicated`, async () => {
      h = await startHarness({ connector: { metricsChunkDays: 7 }, emulator: { seed: 11 } });
      seed(h);
      const clean = await h.newRuntime();
      await syncEverything(clean);
      const expected = await snapshot(clean);
      expect(expected.touchpoints).toHaveLength(4 * 61 + 4 * 31);

      h.emu.faults.set(faults);
      const clockBefore = h.clock.now();
      await syncEverything(h.runtime);
      expect(await snapshot(h.runtime)).toEqual(expected);
      const retries = h.sink.lines.filter((l) => l.includes('google ads retry')).map((l) => JSON.parse(l) as { waitMs: number; error: string });
      expect(retries.length).toBeGreaterThan(3);
      if ('rateLimitRate' in faults) {
        // Google's retry_delay (30 s here) is honoured on the connector's clock
        expect(retries.every((r) => r.error.includes('quota_error.RESOURCE_EXHAUSTED') && r.waitMs === 30_000)).toBe(true);
        expect(h.clock.now() - clockBefore).toBeGreaterThanOrEqual(retries.length * 30_000);
      } else {
        // exponential backoff with jitter: waits grow with the attempt number
        expect(retries.every((r) => r.waitMs >= 500)).toBe(true);
        expect(h.clock.now() - clockBefore).toBeGreaterThanOrEqual(retries.reduce((s, r) => s + r.waitMs, 0) - retries.length);
      }
    });
  }

  it('the daily quota: requests are paced to requestsPerDay and the sync stops cleanly, then resumes the next day', async () => {
    h = await startHarness({ emulator: { requestsPerDay: 20 }, connector: { requestsPerDay: 20, metricsChunkDays: 3 } });
    seed(h);
    const first = await syncStream(h.runtime, 'google', 'campaign-metrics').catch((e: unknown) => e);
    expect(first).toMatchObject({ code: 'RATE_LIMIT_EXHAUSTED' });
    const stored = await h.runtime.store.db.selectFrom('touchpoints').select('id').execute();
    expect(stored).toHaveLength(4 * 3 * 20); // 20 requests of 3 days × 4 campaigns, none refused by Google
    expect(h.sink.text()).not.toContain('quota_error');
    h.clock.advance(86_400_000);
    const resumed = await syncStream(h.runtime, 'google', 'campaign-metrics');
    expect(resumed.status).toBe('succeeded');
    expect(await h.runtime.store.db.selectFrom('touchpoints').select('id').execute()).toHaveLength(4 * 61);
  });
});
