// adAnalytics cuts a response at 15,000 rows without paging or a flag. An account whose campaigns ×
// days pass the cap in one request lost rows silently before issue #26.
import { afterEach, describe, expect, it } from 'vitest';
import { syncStream } from '@revloop/core';
import { planAnalytics } from '../src/analytics-plan.js';
import { clientFor } from '../src/index.js';
import type { LinkedInAdsConfig } from '../src/config.js';
import { adDay, campaign, day, spendRows, startHarness, type Harness } from './helpers.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.stop();
  h = undefined;
});

describe('adAnalytics row cap', () => {
  it('sizes requests from the campaign count: no response reaches 15,000 rows, so none is cut', async () => {
    h = await startHarness(); // today 2024-03-01; startDate 2024-02-01: one 30-day request before
    const CAMPAIGNS = 520;
    const DAYS = 29; // Feb 2024: 520 × 29 = 15,080 rows > 15,000
    for (let n = 1; n <= CAMPAIGNS; n++) {
      h.emu.state.apply(campaign(n));
      for (let d = 0; d < DAYS; d++) h.emu.state.apply(adDay(n, day(d), 100 + d, 1_000_000));
    }
    const run = await syncStream(h.runtime, 'linkedin', 'campaign-analytics');
    expect(run).toMatchObject({ status: 'succeeded', written: CAMPAIGNS * DAYS, failed: 0 });
    const rows = await spendRows(h.runtime);
    expect(rows).toHaveLength(CAMPAIGNS * DAYS);
    // the last day of the month is there for the last campaign (a cut response loses the tail)
    expect(rows.filter((r) => r.date === day(DAYS - 1))).toHaveLength(CAMPAIGNS);
    // 6 pages of campaign ids + 2 analytics requests of 28 days (14,560 rows) and 2 days
    const ctx = h.runtime.contextFor<LinkedInAdsConfig>(h.runtime.connector('linkedin'));
    expect(clientFor(ctx).stats.requests).toBe(6 + 2);
  }, 120_000);

  it('a response at the cap anyway (campaigns the listing does not show) is read again in halves of its range', async () => {
    h = await startHarness();
    // metrics of 520 campaigns that the campaign listing does not return: the plan sees 0 campaigns
    for (let n = 1; n <= 520; n++) for (let d = 0; d < 29; d++) h.emu.state.apply(adDay(n, day(d), 100, 1_000_000));
    const run = await syncStream(h.runtime, 'linkedin', 'campaign-analytics');
    expect(run).toMatchObject({ status: 'succeeded', written: 520 * 29, failed: 0 });
    expect(h.sink.text()).toContain('15,000-row cap');
    // 1 page of campaign ids + the cut 30-day request + its two halves
    const ctx = h.runtime.contextFor<LinkedInAdsConfig>(h.runtime.connector('linkedin'));
    expect(clientFor(ctx).stats.requests).toBe(1 + 1 + 2);
  }, 120_000);

  it('plans fewer days per request as campaigns grow, and campaign facets when one day could reach the cap', () => {
    const ids = (n: number) => Array.from({ length: n }, (_, i) => String(i + 1));
    expect(planAnalytics(ids(0), 30)).toEqual({ campaignGroups: null, days: 30 });
    expect(planAnalytics(ids(100), 30)).toEqual({ campaignGroups: null, days: 30 });
    expect(planAnalytics(ids(520), 30)).toEqual({ campaignGroups: null, days: 28 });
    expect(planAnalytics(ids(14_999), 30)).toEqual({ campaignGroups: null, days: 1 });
    const big = planAnalytics(ids(15_000), 30);
    expect(big.campaignGroups).toHaveLength(300);
    expect(big.campaignGroups!.every((g) => g.length === 50)).toBe(true);
    expect(big.days).toBe(30);
    for (const n of [1, 99, 520, 5_000, 14_999, 15_000, 40_000]) {
      const p = planAnalytics(ids(n), 366);
      const perDay = p.campaignGroups ? Math.max(...p.campaignGroups.map((g) => g.length)) : n;
      expect(perDay * p.days).toBeLessThan(15_000);
    }
  });
});
