import { afterEach, describe, expect, it } from 'vitest';
import { checkConnectors, readCheckpoint, syncStream } from '@revloop/core';
import { analyticsPath, decimalToMicros, microsToDecimal } from '../src/index.js';
import { adDay, campaign, day, spendRows, startHarness, type Harness } from './helpers.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.stop();
  h = undefined;
});

const sum = (rows: { spend_micros: number | null }[]) => rows.reduce((a, r) => a + (r.spend_micros ?? 0), 0);

describe('money: decimal strings → integer micros without float drift', () => {
  it('converts exactly, rounds half-up past the 6th decimal, refuses garbage', () => {
    expect(decimalToMicros('0.1') + decimalToMicros('0.2')).toBe(300_000);
    expect(0.1 + 0.2).not.toBe(0.3); // what a float path would get wrong
    expect(decimalToMicros('12.5')).toBe(12_500_000);
    expect(decimalToMicros('20.000001')).toBe(20_000_001);
    expect(decimalToMicros('1.2345675')).toBe(1_234_568);
    expect(decimalToMicros('1.2345674')).toBe(1_234_567);
    expect(decimalToMicros('50.00')).toBe(50_000_000);
    expect(decimalToMicros('123456789.987654')).toBe(123_456_789_987_654);
    for (const bad of ['', '1,5', '1e3', 'abc', '.5']) expect(() => decimalToMicros(bad)).toThrow();
    expect(microsToDecimal(12_345_678)).toBe('12.345678');
    expect(microsToDecimal(50_000_000)).toBe('50');
  });
});

describe('Rest.li query values', () => {
  it('keeps the protocol characters and percent-encodes the URNs inside List(...)', () => {
    const path = analyticsPath('500000001', '2024-02-01', '2024-02-29');
    expect(path).toContain('accounts=List(urn%3Ali%3AsponsoredAccount%3A500000001)');
    expect(path).toContain('dateRange=(start:(year:2024,month:2,day:1),end:(year:2024,month:2,day:29))');
    expect(path).toContain('fields=impressions,clicks,costInLocalCurrency,externalWebsiteConversions,dateRange,pivotValues');
  });
});

describe('streams against the LinkedIn emulator', () => {
  it('checks the ad account and syncs campaigns over several pages with budgets in micros', async () => {
    h = await startHarness();
    for (let n = 1; n <= 120; n++) h.emu.state.apply(campaign(n, { status: n % 3 === 0 ? 'PAUSED' : 'ACTIVE', dailyBudget: n === 1 ? 12.34 : 50 }));
    expect(await checkConnectors(h.runtime)).toMatchObject([{ connector: 'linkedin', ok: true, message: expect.stringContaining(String(h.emu.state.adAccount.id)) }]);
    const run = await syncStream(h.runtime, 'linkedin', 'campaigns');
    expect(run).toMatchObject({ status: 'succeeded', batches: 2, read: 120, written: 120, failed: 0 });
    const rows = await h.runtime.store.db.selectFrom('campaigns').selectAll().execute();
    expect(rows).toHaveLength(120);
    expect(rows.every((r) => r.platform === 'linkedin')).toBe(true);
    expect(rows.filter((r) => r.status === 'PAUSED')).toHaveLength(40);
    const first = rows.find((r) => r.name === 'Campaign 1')!;
    expect(first.daily_budget_micros).toBe(12_340_000);
    expect(JSON.parse(first.raw!)).toMatchObject({ dailyBudget: { amount: '12.34' } });
    expect(await readCheckpoint(h.runtime.store, 'linkedin', 'campaigns')).toEqual({ pageToken: null });
  });

  it('syncs daily analytics per campaign into spend touchpoints linked to their campaign', async () => {
    h = await startHarness();
    h.emu.state.apply(campaign(1));
    h.emu.state.apply(campaign(2));
    h.emu.state.apply(adDay(1, day(0), 1000, 12_500_000, 1));
    h.emu.state.apply(adDay(1, day(1), 2000, 20_000_001, 2));
    h.emu.state.apply(adDay(2, day(1), 500, 3_000_000, 0));
    await syncStream(h.runtime, 'linkedin', 'campaigns');
    const run = await syncStream(h.runtime, 'linkedin', 'campaign-analytics');
    expect(run).toMatchObject({ status: 'succeeded', read: 3, written: 3, failed: 0 });
    const rows = await spendRows(h.runtime);
    const c1 = String(h.emu.state.campaignIdOf('cmp_li_001'));
    expect(rows.find((r) => r.systemId === `${c1}:${day(1)}`)).toMatchObject({ kind: 'spend', channel: 'linkedin', date: day(1), impressions: 2000, clicks: 40, spend_micros: 20_000_001, conversions: 2 });
    expect(rows[0]!.campaign_id).toBe(await h.runtime.store.resolveId('linkedin', 'campaign', c1));
    expect(sum(rows)).toBe(12_500_000 + 20_000_001 + 3_000_000);
    // the clock is 2024-03-01 12:00: the last complete day is Feb 29
    expect(await readCheckpoint(h.runtime.store, 'linkedin', 'campaign-analytics')).toEqual({ through: '2024-02-29' });
  });

  it("cost '0.1' + '0.2' sums to exactly 300000 micros in the store", async () => {
    h = await startHarness();
    h.emu.state.apply(campaign(1));
    h.emu.state.apply(adDay(1, day(3), 10, 100_000));
    h.emu.state.apply(adDay(1, day(4), 10, 200_000));
    await syncStream(h.runtime, 'linkedin', 'campaign-analytics');
    const rows = await spendRows(h.runtime);
    expect(rows.map((r) => JSON.parse(JSON.stringify(r)).spend_micros)).toEqual([100_000, 200_000]);
    const total = await h.runtime.store.db.selectFrom('touchpoints').select((eb) => eb.fn.sum<number>('spend_micros').as('s')).executeTakeFirstOrThrow();
    expect(Number(total.s)).toBe(300_000);
  });

  it('re-reads lookbackDays and REPLACES late metrics: no double counting', async () => {
    h = await startHarness({ connector: { lookbackDays: 3 } });
    h.emu.state.apply(campaign(1));
    for (let d = 0; d < 29; d++) h.emu.state.apply(adDay(1, day(d), 100, 1_000_000));
    await syncStream(h.runtime, 'linkedin', 'campaign-analytics');
    expect(sum(await spendRows(h.runtime))).toBe(29_000_000);

    // a day later, LinkedIn revises the last two days and reports the new day
    h.clock.advance(86_400_000);
    h.emu.state.apply(adDay(1, day(27), 150, 1_500_000));
    h.emu.state.apply(adDay(1, day(28), 180, 2_250_000));
    h.emu.state.apply(adDay(1, day(29), 90, 900_000));
    // a revision older than the lookback window is not re-read (that is what the window is for)
    h.emu.state.apply(adDay(1, day(10), 999, 9_990_000));
    const run = await syncStream(h.runtime, 'linkedin', 'campaign-analytics');
    expect(run.read).toBe(5); // Feb 26..Mar 1: 4 days of Feb + Mar 1 (today, open)
    const rows = await spendRows(h.runtime);
    expect(rows).toHaveLength(30);
    expect(sum(rows)).toBe(27_000_000 + 1_500_000 + 2_250_000 + 900_000);
    expect(await readCheckpoint(h.runtime.store, 'linkedin', 'campaign-analytics')).toEqual({ through: '2024-03-01' });
  });

  it('an interrupted sync resumed from its checkpoint stores the same rows as an uninterrupted one', async () => {
    h = await startHarness({ connector: { analyticsChunkDays: 3 } });
    for (let n = 1; n <= 4; n++) h.emu.state.apply(campaign(n));
    for (let n = 1; n <= 4; n++) for (let d = 0; d < 29; d++) if ((n + d) % 5 !== 0) h.emu.state.apply(adDay(n, day(d), 100 * n + d, 1_000_003 * n + d * 7));

    const controller = new AbortController();
    let batches = 0;
    const first = await syncStream(h.runtime, 'linkedin', 'campaign-analytics', { signal: controller.signal, onProgress: () => ++batches === 4 && controller.abort() });
    expect(first).toMatchObject({ status: 'interrupted', batches: 4 });
    expect(await readCheckpoint(h.runtime.store, 'linkedin', 'campaign-analytics')).toEqual({ through: day(11) });
    const resumed = await syncStream(h.runtime, 'linkedin', 'campaign-analytics');
    expect(resumed.status).toBe('succeeded');

    const other = await h.newRuntime({ analyticsChunkDays: 3 });
    expect((await syncStream(other, 'linkedin', 'campaign-analytics')).status).toBe('succeeded');
    const a = await spendRows(h.runtime);
    const b = await spendRows(other);
    const strip = (rows: typeof a) => rows.map(({ campaign_id: _c, ...r }) => r);
    expect(a.length).toBe(4 * 29 - 23);
    expect(strip(a)).toEqual(strip(b));
  });
});
