// The GAQL parser and executor without gRPC.
import { expect, test } from 'vitest';
import { executeGaql } from '../../src/emulators/google-ads/gaql/execute.js';
import { GaqlError, parseGaql } from '../../src/emulators/google-ads/gaql/parse.js';
import { GoogleAdsState } from '../../src/emulators/google-ads/state.js';

const state = new GoogleAdsState({ now: () => Date.parse('2024-01-20T08:00:00Z') });
for (const [id, name] of [['cmp_gg_a', 'Alpha'], ['cmp_gg_b', 'Beta']]) {
  state.apply({ kind: 'campaign', campaign: { id: id!, platform: 'google', name: name!, status: 'ACTIVE', dailyBudget: 1, createdAt: 0 } });
  for (let d = 10; d <= 19; d++) {
    state.apply({ kind: 'ad_day', day: { platform: 'google', campaignId: id!, date: `2024-01-${d}`, impressions: d, clicks: name === 'Alpha' ? 1 : 2, costMicros: 10, conversions: 0 } });
  }
}
const run = (q: string) => executeGaql(state, parseGaql(q)).rows as { campaign: { name: string }; metrics: { clicks: number }; segments: { date: string } }[];
const code = (q: string) => {
  try {
    run(q);
  } catch (e) {
    return (e as GaqlError).code;
  }
  return 'no error';
};

test('DURING is relative to the injected clock (LAST_7_DAYS excludes today)', () => {
  const rows = run('SELECT campaign.name, segments.date, metrics.clicks FROM campaign WHERE segments.date DURING LAST_7_DAYS AND campaign.name = "Alpha"');
  expect(rows.map((r) => r.segments.date).sort()).toEqual(['2024-01-13', '2024-01-14', '2024-01-15', '2024-01-16', '2024-01-17', '2024-01-18', '2024-01-19']);
});

test('metric filters apply after aggregation; IN, LIKE, ORDER BY DESC and LIMIT', () => {
  expect(run('SELECT campaign.name, metrics.clicks FROM campaign WHERE metrics.clicks > 15').map((r) => r.campaign.name)).toEqual(['Beta']);
  expect(run("SELECT campaign.name FROM campaign WHERE campaign.name IN ('Beta', 'Gamma')").map((r) => r.campaign.name)).toEqual(['Beta']);
  expect(run("SELECT campaign.name FROM campaign WHERE campaign.name LIKE 'al%'").map((r) => r.campaign.name)).toEqual(['Alpha']);
  expect(run('SELECT campaign.name FROM campaign ORDER BY campaign.name DESC LIMIT 1').map((r) => r.campaign.name)).toEqual(['Beta']);
});

test('errors are named like the QueryError enum', () => {
  expect(code('SELECT campaign.id campaign')).toBe('EXPECTED_FROM');
  expect(code('campaign.id FROM campaign')).toBe('EXPECTED_SELECT');
  expect(code('SELECT campaign.id FROM campaign WHERE campaign.id ~ 3')).toBe('BAD_SYMBOL');
  expect(code("SELECT campaign.id FROM campaign WHERE campaign.name = 'x")).toBe('STRING_NOT_TERMINATED');
  expect(code('SELECT click_view.gclid FROM campaign')).toBe('PROHIBITED_RESOURCE_TYPE_IN_SELECT_CLAUSE');
  expect(code("SELECT segments.date FROM campaign WHERE segments.date = '2024-1-5'")).toBe('INVALID_DATE_FORMAT');
  expect(code('SELECT campaign.id FROM campaign LIMIT 0')).toBe('LIMIT_VALUE_TOO_LOW');
  expect(code('SELECT campaign.id FROM campaign WHERE segments.date DURING NEXT_CENTURY')).toBe('INVALID_VALUE_WITH_DURING_OPERATOR');
});
