// Reporting over the gRPC SearchStream path with the real google-ads-api client.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { GoogleAdsState } from '../../src/emulators/google-ads/index.js';
import { decodeFailure, startWithClient, str, streamError, streamReport } from './harness.js';

const NOW = Date.parse('2024-02-10T12:00:00Z');
let h: Awaited<ReturnType<typeof startWithClient>>;
let state: GoogleAdsState;

const day = (campaignId: string, date: string, n: number) => ({
  kind: 'ad_day' as const,
  day: { platform: 'google' as const, campaignId, date, impressions: 100 * n, clicks: 10 * n, costMicros: 1_000_000 * n, conversions: n },
});

beforeAll(async () => {
  h = await startWithClient({ now: () => NOW });
  state = h.emulator.state;
  for (const [id, name, status] of [['cmp_gg_001', 'Brand', 'ACTIVE'], ['cmp_gg_002', 'Generic', 'PAUSED']] as const) {
    state.apply({ kind: 'campaign', campaign: { id, platform: 'google', name, status, dailyBudget: 100, createdAt: 0 } });
  }
  // a LinkedIn campaign and day must not show up
  state.apply({ kind: 'campaign', campaign: { id: 'cmp_li_001', platform: 'linkedin', name: 'LI', status: 'ACTIVE', dailyBudget: 1, createdAt: 0 } });
  state.apply({ kind: 'ad_day', day: { ...day('cmp_li_001', '2024-01-02', 1).day, platform: 'linkedin' } });
  for (let d = 1; d <= 31; d++) state.apply(day('cmp_gg_001', `2024-01-${String(d).padStart(2, '0')}`, d));
  state.apply(day('cmp_gg_002', '2024-01-10', 5));
  state.apply(day('cmp_gg_002', '2024-02-01', 9)); // outside the January range
  state.apply({ kind: 'click', click: { clickId: 'gclid_AAAA0001', campaignId: 'cmp_gg_001', accountId: 'acc_1', date: '2024-01-05', occurredAt: Date.parse('2024-01-05T10:00:00Z') } });
  state.apply({ kind: 'click', click: { clickId: 'gclid_AAAA0002', campaignId: 'cmp_gg_002', accountId: 'acc_2', date: '2024-01-05', occurredAt: Date.parse('2024-01-05T11:00:00Z') } });
  state.apply({ kind: 'click', click: { clickId: 'gclid_AAAA0003', campaignId: 'cmp_gg_001', accountId: 'acc_1', date: '2024-01-06', occurredAt: Date.parse('2024-01-06T11:00:00Z') } });
});
afterAll(() => h.stop());

const january = { from_date: '2024-01-01', to_date: '2024-01-31' };

describe('campaign metrics over a date range', () => {
  test('daily rows per campaign, with ids mapped from market ids', async () => {
    const { messages, rows } = await streamReport(h.customer, {
      entity: 'campaign',
      attributes: ['campaign.id', 'campaign.name', 'campaign.status'],
      metrics: ['metrics.impressions', 'metrics.clicks', 'metrics.cost_micros', 'metrics.conversions'],
      segments: ['segments.date'],
      ...january,
      order: [{ field: 'segments.date', sort_order: 'ASC' }, { field: 'campaign.name', sort_order: 'ASC' }],
    });
    expect(rows).toHaveLength(32); // 31 Brand days + one Generic day in January
    expect(messages[0]!.field_mask.paths).toEqual(['campaign.id', 'campaign.name', 'campaign.status', 'metrics.impressions', 'metrics.clicks', 'metrics.cost_micros', 'metrics.conversions', 'segments.date']);
    expect(messages[0]!.request_id).toMatch(/\w+/);
    const brandId = state.campaignIds.adsId('cmp_gg_001');
    expect(state.campaignIds.marketId(brandId)).toBe('cmp_gg_001');
    const jan10 = rows.filter((r) => r.segments!.date === '2024-01-10');
    expect(jan10.map((r) => r.campaign!.name)).toEqual(['Brand', 'Generic']);
    expect(str(jan10[0]!.campaign!.id)).toBe(brandId);
    expect(jan10[0]!.campaign!.resource_name).toBe(`customers/1234567890/campaigns/${brandId}`);
    expect(str(jan10[0]!.metrics!.clicks)).toBe('100');
    expect(str(jan10[0]!.metrics!.cost_micros)).toBe('10000000');
    expect(jan10[0]!.metrics!.conversions).toBe(10);
    // gax decodes enums to their names
    expect(jan10.map((r) => r.campaign!.status)).toEqual(['ENABLED', 'PAUSED']);
  });

  test('without segments.date the range is summed per campaign', async () => {
    const { rows } = await streamReport(h.customer, { entity: 'campaign', attributes: ['campaign.name'], metrics: ['metrics.clicks', 'metrics.conversions'], ...january, order_by: 'campaign.name', sort_order: 'ASC' });
    expect(rows.map((r) => [r.campaign!.name, str(r.metrics!.clicks)])).toEqual([['Brand', String(10 * ((31 * 32) / 2))], ['Generic', '50']]);
  });

  test('late conversions: a re-emitted ad_day replaces the earlier numbers', async () => {
    state.apply(day('cmp_gg_002', '2024-01-10', 5));
    state.apply({ kind: 'ad_day', day: { ...day('cmp_gg_002', '2024-01-10', 5).day, conversions: 8 } });
    const { rows } = await streamReport(h.customer, {
      entity: 'campaign',
      attributes: ['campaign.name'],
      metrics: ['metrics.conversions', 'metrics.clicks'],
      segments: ['segments.date'],
      constraints: ["campaign.name = 'Generic'"],
      ...january,
    });
    expect(rows).toHaveLength(1);
    expect(rows[0]!.metrics!.conversions).toBe(8);
    expect(str(rows[0]!.metrics!.clicks)).toBe('50');
  });

  test('ad_group rows point at their campaign', async () => {
    const { rows } = await streamReport(h.customer, { entity: 'ad_group', attributes: ['ad_group.id', 'ad_group.campaign', 'campaign.name'], metrics: ['metrics.impressions'], ...january, order_by: 'campaign.name', sort_order: 'ASC' });
    expect(rows).toHaveLength(2);
    expect(rows[0]!.ad_group!.campaign).toBe(`customers/1234567890/campaigns/${state.campaignIds.adsId('cmp_gg_001')}`);
    expect(str(rows[1]!.metrics!.impressions)).toBe('500');
  });

  test('a stream is split into messages of 10,000 rows', async () => {
    const big = await startWithClient({ now: () => NOW });
    try {
      for (let c = 0; c < 30; c++) {
        const id = `cmp_gg_big${c}`;
        big.emulator.state.apply({ kind: 'campaign', campaign: { id, platform: 'google', name: id, status: 'ACTIVE', dailyBudget: 1, createdAt: 0 } });
        for (let d = 0; d < 365; d++) big.emulator.state.apply(day(id, new Date(Date.UTC(2023, 0, 1 + d)).toISOString().slice(0, 10), 1));
      }
      const { messages, rows } = await streamReport(big.customer, { entity: 'campaign', attributes: ['campaign.id'], metrics: ['metrics.clicks'], segments: ['segments.date'], from_date: '2023-01-01', to_date: '2023-12-31' });
      expect(rows).toHaveLength(30 * 365);
      expect(messages.map((m) => m.results.length)).toEqual([10_000, 950]);
    } finally {
      await big.stop();
    }
  });
});

describe('click_view', () => {
  test('serves the gclids of one day', async () => {
    const { rows } = await streamReport(h.customer, {
      entity: 'click_view',
      attributes: ['click_view.gclid', 'campaign.id'],
      segments: ['segments.date'],
      constraints: ["segments.date = '2024-01-05'"],
      order_by: 'click_view.gclid',
      sort_order: 'ASC',
    });
    expect(rows.map((r) => r.click_view!.gclid)).toEqual(['gclid_AAAA0001', 'gclid_AAAA0002']);
    expect(str(rows[1]!.campaign!.id)).toBe(state.campaignIds.adsId('cmp_gg_002'));
  });

  test('refuses a range wider than one day', async () => {
    const { error } = await streamError(h.customer, { entity: 'click_view', attributes: ['click_view.gclid'], segments: ['segments.date'], from_date: '2024-01-05', to_date: '2024-01-06' });
    expect(error.code).toBe(3);
    expect(decodeFailure(h.customer, error).errors[0]!.error_code.query_error).toBe(36); // DATE_RANGE_TOO_WIDE
  });
});

describe('bad GAQL', () => {
  test('an unknown field is INVALID_ARGUMENT with a query_error the client decodes', async () => {
    const started = performance.now();
    const { error } = await streamError(h.customer, { entity: 'campaign', attributes: ['campaign.colour'], ...january });
    expect(performance.now() - started).toBeLessThan(3000); // not retried by gax
    expect(error.code).toBe(3);
    const failure = decodeFailure(h.customer, error);
    expect(failure.errors[0]!.error_code.query_error).toBe(32); // UNRECOGNIZED_FIELD
    expect(failure.errors[0]!.message).toContain('campaign.colour');
    expect(failure.request_id).toMatch(/\w+/);
  });

  test('an unknown resource', async () => {
    const { error } = await streamError(h.customer, { entity: 'spaceship' as never, attributes: ['spaceship.id'] });
    expect(decodeFailure(h.customer, error).errors[0]!.error_code.query_error).toBe(45); // BAD_RESOURCE_TYPE_IN_FROM_CLAUSE
  });

  test('segments.date selected without a date range', async () => {
    const { error } = await streamError(h.customer, { entity: 'campaign', attributes: ['campaign.id'], segments: ['segments.date'] });
    expect(decodeFailure(h.customer, error).errors[0]!.error_code.query_error).toBe(55); // EXPECTED_FILTERS_ON_DATE_RANGE
  });
});
