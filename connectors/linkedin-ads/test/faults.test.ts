// Injected 5xx and minute 429s (20% each): every request is retried until it succeeds, and the
// result is the same as without faults: nothing lost, nothing duplicated.
import { afterEach, describe, expect, it } from 'vitest';
import { runAction, syncStream } from '@revloop/core';
import { clientFor } from '../src/index.js';
import type { LinkedInAdsConfig } from '../src/config.js';
import type { SyncAudienceResult } from '../src/actions/sync-audience.js';
import type { UploadConversionsResult } from '../src/actions/upload-conversions.js';
import { START, adDay, campaign, day, spendRows, startHarness, type Harness } from './helpers.js';

let harnesses: Harness[] = [];
afterEach(async () => {
  for (const h of harnesses) await h.stop();
  harnesses = [];
});

async function scenario(faults: Record<string, number>) {
  const h = await startHarness({ emulator: { faults, seed: 7 }, connector: { analyticsChunkDays: 2, maxRetries: 10 } });
  harnesses.push(h);
  for (let n = 1; n <= 5; n++) h.emu.state.apply(campaign(n));
  for (let n = 1; n <= 5; n++) for (let d = 0; d < 29; d++) h.emu.state.apply(adDay(n, day(d), 50 * n + d, 333_333 * n + d));
  const campaigns = await syncStream(h.runtime, 'linkedin', 'campaigns');
  const analytics = await syncStream(h.runtime, 'linkedin', 'campaign-analytics');
  const audience = await runAction<SyncAudienceResult>(h.runtime, 'linkedin', 'sync-audience', { segmentName: 'S', emails: Array.from({ length: 20 }, (_, i) => `p${i}@x.test`) });
  const events = Array.from({ length: 30 }, (_, i) => ({ eventId: `e${i}`, kind: 'closed_won' as const, occurredAt: START - i * 86_400_000, valueMicros: 1_000_000 + i }));
  const conversions = await runAction<UploadConversionsResult>(h.runtime, 'linkedin', 'upload-conversions', { events });
  const stats = clientFor(h.runtime.contextFor<LinkedInAdsConfig>(h.runtime.connector('linkedin'))).stats;
  return {
    statuses: [campaigns.status, analytics.status],
    rows: (await spendRows(h.runtime)).map(({ campaign_id: _c, ...r }) => r),
    campaigns: (await h.runtime.store.db.selectFrom('campaigns').select(['name', 'daily_budget_micros']).orderBy('name').execute()),
    members: h.emu.state.segmentMembers(Number(audience.result.segmentId)).sort(),
    audience: audience.result.added,
    conversions: h.emu.state.receivedConversions().map((c) => `${c.eventId}:${c.conversionValue?.amount}`).sort(),
    uploaded: conversions.result.sent,
    retries: stats.retries,
  };
}

describe('emulator faults', () => {
  it('serverErrorRate 0.2 + rateLimitRate 0.2 (minute 429s) lose and duplicate nothing', async () => {
    const clean = await scenario({});
    const faulty = await scenario({ serverErrorRate: 0.2, rateLimitRate: 0.2 });
    expect(clean.retries).toBe(0);
    expect(faulty.retries).toBeGreaterThan(3);
    expect(faulty.statuses).toEqual(['succeeded', 'succeeded']);
    expect(clean.rows).toHaveLength(5 * 29);
    const { retries: _a, ...a } = clean;
    const { retries: _b, ...b } = faulty;
    expect(b).toEqual(a);
    expect(faulty.members).toHaveLength(20);
    expect(faulty.conversions).toHaveLength(30);
  });
});
