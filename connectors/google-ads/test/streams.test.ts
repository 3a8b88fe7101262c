// Streams against the emulator: campaigns, daily metrics (late conversions replace), click views
// linked to known contacts, and an interrupted sync that resumes to the same rows.
import { afterEach, describe, expect, it } from 'vitest';
import { checkConnectors, syncStream, readCheckpoint, type Runtime } from '@revloop/core';
import { adDay, campaign, click, day, startHarness, type Harness } from './helpers.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.stop();
  h = undefined;
});

async function touchpoints(runtime: Runtime, kind: string) {
  return runtime.store.db.selectFrom('touchpoints').selectAll().where('kind', '=', kind).orderBy('id').execute();
}

describe('google-ads streams', () => {
  it('check answers with the customer; campaigns land as campaign rows', async () => {
    h = await startHarness();
    h.emu.state.apply(campaign('cmp_gg_001', 'Brand'));
    h.emu.state.apply(campaign('cmp_gg_002', 'Generic', 'PAUSED'));
    h.emu.state.apply({ kind: 'campaign', campaign: { id: 'cmp_li_001', platform: 'linkedin', name: 'LI', status: 'ACTIVE', dailyBudget: 1, createdAt: 0 } });
    const [check] = await checkConnectors(h.runtime);
    expect(check).toMatchObject({ connector: 'google', ok: true });
    expect(check!.message).toContain(h.emu.customerId);

    const run = await syncStream(h.runtime, 'google', 'campaigns');
    expect(run.errors).toEqual([]);
    expect(run).toMatchObject({ status: 'succeeded', read: 2, written: 2, failed: 0 });
    const rows = await h.runtime.store.db.selectFrom('campaigns').selectAll().orderBy('name').execute();
    const brandId = h.emu.state.campaignIds.adsId('cmp_gg_001');
    expect(rows.map((r) => [r.name, r.platform, r.status, r.deleted])).toEqual([
      ['Brand', 'google', 'enabled', 0],
      ['Generic', 'google', 'paused', 0],
    ]);
    expect(rows[0]!.daily_budget_micros).toBeNull(); // the emulator does not serve campaign_budget
    expect(JSON.parse(rows[0]!.raw!).campaign.id).toBe(brandId);
    expect(await h.runtime.store.resolveId('google', 'campaign', brandId)).toBe(rows[0]!.id);
  });

  it('daily metrics become spend touchpoints, micros kept, linked to their campaign', async () => {
    h = await startHarness();
    const applied = new Map<string, { n: number; conversions: number }>();
    for (const id of ['cmp_gg_001', 'cmp_gg_002']) {
      h.emu.state.apply(campaign(id));
      for (let d = 0; d < 60; d += id === 'cmp_gg_001' ? 1 : 3) {
        const n = d + 1;
        h.emu.state.apply(adDay(id, day(d), n));
        applied.set(`${h.emu.state.campaignIds.adsId(id)}:${day(d)}`, { n, conversions: n / 2 });
      }
    }
    await syncStream(h.runtime, 'google', 'campaigns');
    const run = await syncStream(h.runtime, 'google', 'campaign-metrics');
    expect(run).toMatchObject({ status: 'succeeded', read: applied.size, failed: 0 });
    const rows = await touchpoints(h.runtime, 'spend');
    expect(rows).toHaveLength(applied.size);
    for (const r of rows) {
      const key = `${JSON.parse(r.raw!).campaign.id}:${r.date}`;
      const want = applied.get(key)!;
      expect(want, key).toBeDefined();
      expect([r.channel, r.impressions, r.clicks, r.spend_micros, r.conversions]).toEqual(['google', 100 * want.n, 10 * want.n, 1_234_567 * want.n, want.conversions]);
      expect(r.occurred_at).toBe(Date.parse(`${r.date}T00:00:00Z`));
    }
    const brand = await h.runtime.store.resolveId('google', 'campaign', h.emu.state.campaignIds.adsId('cmp_gg_001'));
    expect(rows.filter((r) => r.campaign_id === brand)).toHaveLength(60);
    expect(await readCheckpoint(h.runtime.store, 'google', 'campaign-metrics')).toEqual({ through: '2024-03-01' });
  });

  it('late conversions: days inside the conversion window are re-read and replaced, never added', async () => {
    h = await startHarness({ connector: { conversionWindowDays: 14 } });
    h.emu.state.apply(campaign('cmp_gg_001'));
    for (let d = 0; d < 60; d++) h.emu.state.apply(adDay('cmp_gg_001', day(d), 1, 1));
    await syncStream(h.runtime, 'google', 'campaign-metrics');
    const before = await touchpoints(h.runtime, 'spend');

    // a day later Google has attributed more conversions to two recent days and to an old one
    h.clock.advance(86_400_000);
    h.emu.state.apply(adDay('cmp_gg_001', day(55), 1, 4)); // inside the window: re-read
    h.emu.state.apply(adDay('cmp_gg_001', day(58), 1, 2.5)); // inside the window: re-read
    h.emu.state.apply(adDay('cmp_gg_001', day(10), 1, 9)); // 50 days back: outside the window
    h.emu.state.apply(adDay('cmp_gg_001', '2024-03-02', 1, 1)); // the new day
    const run = await syncStream(h.runtime, 'google', 'campaign-metrics');
    // 14 days back from the checkpoint (2024-03-01): 2024-02-16 .. 2024-02-29 have data, 03-01 none, 03-02 new
    expect(run.read).toBe(14 + 1);
    const after = await touchpoints(h.runtime, 'spend');
    expect(after).toHaveLength(before.length + 1);
    const byDate = new Map(after.map((r) => [r.date, r]));
    expect(byDate.get(day(55))!.conversions).toBe(4);
    expect(byDate.get(day(58))!.conversions).toBe(2.5);
    expect(byDate.get(day(10))!.conversions).toBe(1);
    expect(after.reduce((s, r) => s + r.conversions!, 0)).toBe(before.reduce((s, r) => s + r.conversions!, 0) + 3 + 1.5 + 1);
  });

  it('click views: one query per day, gclid as click_id, linked to the contact whose attributes carry it', async () => {
    h = await startHarness();
    h.emu.state.apply(campaign('cmp_gg_001'));
    const clicks = [click('gclid_A1', 'cmp_gg_001', day(40)), click('gclid_B2', 'cmp_gg_001', day(40)), click('gclid_C3', 'cmp_gg_001', day(59)), click('gclid_OLD', 'cmp_gg_001', '2023-11-01')];
    for (const c of clicks) h.emu.state.apply(c);
    // a CRM connector synced a contact who came through gclid_B2
    await h.runtime.store.applyBatch({
      system: 'crm',
      entityType: 'contact',
      records: [{ systemId: 'c-1', fields: { email: 'ann@acme.test' }, links: { account: 'a-1' }, attributes: { gclid: 'gclid_B2' } }],
      syncedAt: h.clock.now(),
    });
    const run = await syncStream(h.runtime, 'google', 'click-views');
    expect(run).toMatchObject({ status: 'succeeded', read: 3, failed: 0 }); // gclid_OLD is before startDate
    const rows = await touchpoints(h.runtime, 'click');
    expect(rows.map((r) => [r.click_id, r.date, r.channel])).toEqual([
      ['gclid_A1', day(40), 'google'],
      ['gclid_B2', day(40), 'google'],
      ['gclid_C3', day(59), 'google'],
    ]);
    const ann = await h.runtime.store.resolveId('crm', 'contact', 'c-1');
    const acme = await h.runtime.store.resolveId('crm', 'account', 'a-1');
    expect(rows.find((r) => r.click_id === 'gclid_B2')).toMatchObject({ contact_id: ann, account_id: acme });
    expect(rows.find((r) => r.click_id === 'gclid_A1')).toMatchObject({ contact_id: null, account_id: null });
    const campaignEntity = await h.runtime.store.resolveId('google', 'campaign', h.emu.state.campaignIds.adsId('cmp_gg_001'));
    expect(new Set(rows.map((r) => r.campaign_id))).toEqual(new Set([campaignEntity]));
    // no phantom google contacts were created for unknown gclids
    expect(await h.runtime.store.db.selectFrom('contacts').select('id').execute()).toHaveLength(1);
    // a second sync re-reads only the lookback and changes nothing
    const again = await syncStream(h.runtime, 'google', 'click-views');
    expect(again.read).toBe(1); // clickLookbackDays 1: 2024-02-29 (gclid_C3) and 2024-03-01 (none)
    expect(await touchpoints(h.runtime, 'click')).toEqual(rows.map((r) => ({ ...r, synced_at: expect.any(Number) })));
  });

  it('a sync interrupted between batches and resumed writes the same rows as an uninterrupted one', async () => {
    h = await startHarness({ connector: { metricsChunkDays: 7 } });
    for (const id of ['cmp_gg_001', 'cmp_gg_002', 'cmp_gg_003']) {
      h.emu.state.apply(campaign(id));
      for (let d = 0; d < 61; d++) h.emu.state.apply(adDay(id, day(d), (d % 9) + 1));
    }
    const controller = new AbortController();
    const first = await syncStream(h.runtime, 'google', 'campaign-metrics', {
      signal: controller.signal,
      onProgress: (p) => {
        if (p.batches === 3) controller.abort();
      },
    });
    expect(first).toMatchObject({ status: 'interrupted', batches: 3 });
    expect(await readCheckpoint(h.runtime.store, 'google', 'campaign-metrics')).toEqual({ through: '2024-01-21' });
    const resumed = await syncStream(h.runtime, 'google', 'campaign-metrics');
    expect(resumed.status).toBe('succeeded');

    const clean = await h.newRuntime();
    expect((await syncStream(clean, 'google', 'campaign-metrics')).status).toBe('succeeded');
    const strip = (rows: Awaited<ReturnType<typeof touchpoints>>) => rows.map(({ synced_at: _s, ...r }) => r);
    const a = strip(await touchpoints(h.runtime, 'spend'));
    expect(a).toHaveLength(3 * 61);
    expect(a).toEqual(strip(await touchpoints(clean, 'spend')));
  });
});
