import { afterEach, describe, expect, it } from 'vitest';
import { parseRestliValue } from '../../src/emulators/linkedin/index.js';
import { adDay, campaign, start } from './helpers.js';

let stops: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(stops.map((s) => s()));
  stops = [];
});

const FIELDS = 'impressions,clicks,costInLocalCurrency,externalWebsiteConversions,dateRange,pivotValues';
const urn = (kind: string, id: number) => encodeURIComponent(`urn:li:${kind}:${id}`);

interface Row {
  impressions: number;
  clicks: number;
  costInLocalCurrency: string;
  externalWebsiteConversions: number;
  dateRange: { start: { year: number; month: number; day: number }; end: { year: number; month: number; day: number } };
  pivotValues: string[];
}

describe('Rest.li 2.0 parser', () => {
  it('parses lists, nested records and URL-encoded URNs', () => {
    expect(parseRestliValue('List(urn%3Ali%3AsponsoredCampaign%3A7,urn%3Ali%3AsponsoredCampaign%3A8)')).toEqual([
      'urn:li:sponsoredCampaign:7',
      'urn:li:sponsoredCampaign:8',
    ]);
    expect(parseRestliValue('(start:(year:2024,month:1,day:2),end:(year:2024,month:2,day:3))')).toEqual({
      start: { year: '2024', month: '1', day: '2' },
      end: { year: '2024', month: '2', day: '3' },
    });
    expect(parseRestliValue('List()')).toEqual([]);
    for (const bad of ['List(a,b', '(start:(year:2024)', '(a:1,,b:2)', 'List(a))', '(a)', 'urn:li:x:1']) expect(() => parseRestliValue(bad)).toThrow();
  });
});

describe('GET /rest/adAnalytics', () => {
  async function setup() {
    const { emu, call } = await start();
    stops.push(emu.stop);
    emu.state.apply(campaign('cmp_li_001'));
    emu.state.apply(campaign('cmp_li_002'));
    emu.state.apply(adDay('cmp_li_001', '2024-01-01', 1000, 12_500_000, 1));
    emu.state.apply(adDay('cmp_li_001', '2024-01-02', 2000, 20_000_001, 0));
    emu.state.apply(adDay('cmp_li_002', '2024-01-02', 500, 3_000_000, 2));
    emu.state.apply(adDay('cmp_li_002', '2024-02-10', 700, 1_000_000, 0));
    const c1 = emu.state.campaignIdOf('cmp_li_001');
    const c2 = emu.state.campaignIdOf('cmp_li_002');
    const acct = emu.state.adAccount.id;
    return { emu, call, c1, c2, acct };
  }

  it('answers the analytics finder by campaign and day and serves late metrics on re-read', async () => {
    const { emu, call, c1, c2, acct } = await setup();
    const path =
      `/rest/adAnalytics?q=analytics&pivot=CAMPAIGN&timeGranularity=DAILY` +
      `&dateRange=(start:(year:2024,month:1,day:1),end:(year:2024,month:1,day:31))` +
      `&accounts=List(${urn('sponsoredAccount', acct)})&fields=${FIELDS}`;
    const first = (await (await call(path)).json()) as { elements: Row[] };
    expect(first.elements).toHaveLength(3); // Feb 10 is outside the range
    const day1 = first.elements.find((r) => r.dateRange.start.day === 1)!;
    expect(day1).toEqual({
      impressions: 1000,
      clicks: 10,
      costInLocalCurrency: '12.5',
      externalWebsiteConversions: 1,
      dateRange: { start: { year: 2024, month: 1, day: 1 }, end: { year: 2024, month: 1, day: 1 } },
      pivotValues: [`urn:li:sponsoredCampaign:${c1}`],
    });
    expect(first.elements.find((r) => r.costInLocalCurrency === '20.000001')!.pivotValues).toEqual([`urn:li:sponsoredCampaign:${c1}`]);

    emu.state.apply(adDay('cmp_li_001', '2024-01-01', 1500, 15_000_000, 3)); // late metrics
    const again = (await (await call(path)).json()) as { elements: Row[] };
    const reread = again.elements.find((r) => r.dateRange.start.day === 1)!;
    expect(reread.impressions).toBe(1500);
    expect(reread.costInLocalCurrency).toBe('15');
    expect(reread.externalWebsiteConversions).toBe(3);

    emu.clock!.set(Date.UTC(2024, 2, 1)); // an open-ended dateRange ends today (emulator clock)
    const onlyC2 = (await (
      await call(
        `/rest/adAnalytics?q=analytics&pivot=CAMPAIGN&timeGranularity=ALL&dateRange=(start:(year:2024,month:1,day:1))` +
          `&campaigns=List(${urn('sponsoredCampaign', c2)})&fields=impressions,costInLocalCurrency,pivotValues`,
      )
    ).json()) as { elements: Row[] };
    expect(onlyC2.elements).toEqual([{ impressions: 1200, costInLocalCurrency: '4', pivotValues: [`urn:li:sponsoredCampaign:${c2}`] }]);
  });

  it('answers the statistics finder with several pivots and monthly buckets', async () => {
    const { call, c1, acct } = await setup();
    const res = await call(
      `/rest/adAnalytics?q=statistics&pivots=List(CAMPAIGN,ACCOUNT)&timeGranularity=MONTHLY` +
        `&dateRange=(start:(year:2024,month:1,day:1),end:(year:2024,month:3,day:1))&accounts=List(${urn('sponsoredAccount', acct)})&fields=${FIELDS}`,
    );
    const body = (await res.json()) as { elements: Row[] };
    const jan1 = body.elements.find((r) => r.pivotValues[0] === `urn:li:sponsoredCampaign:${c1}`)!;
    expect(jan1.pivotValues).toEqual([`urn:li:sponsoredCampaign:${c1}`, `urn:li:sponsoredAccount:${acct}`]);
    expect(jan1.impressions).toBe(3000);
    expect(jan1.costInLocalCurrency).toBe('32.500001');
    expect(jan1.dateRange).toEqual({ start: { year: 2024, month: 1, day: 1 }, end: { year: 2024, month: 1, day: 31 } });
    expect(body.elements).toHaveLength(3);
  });

  it('rejects malformed Rest.li with LinkedIn 400 bodies', async () => {
    const { call, acct } = await setup();
    const acc = `accounts=List(${urn('sponsoredAccount', acct)})`;
    const cases: [string, string][] = [
      [`q=analytics&pivot=CAMPAIGN&timeGranularity=DAILY&dateRange=(start:(year:2024,month:1,day:1)&${acc}`, 'dateRange'],
      [`q=analytics&pivot=CAMPAIGN&timeGranularity=DAILY&dateRange=(start:(year:2024,month:2,day:30))&${acc}`, 'dateRange'],
      [`q=analytics&pivot=CAMPAIGN&timeGranularity=DAILY&dateRange=(start:(year:2024,month:1,day:1))&accounts=List(urn:li:sponsoredAccount:${acct})`, 'accounts'],
      [`q=analytics&pivot=CAMPAIGN&timeGranularity=DAILY&dateRange=(start:(year:2024,month:1,day:1))&accounts=urn%3Ali%3AsponsoredAccount%3A${acct}`, 'accounts'],
      [`q=analytics&pivot=CREATIVE_X&timeGranularity=DAILY&dateRange=(start:(year:2024,month:1,day:1))&${acc}`, 'pivot'],
      [`q=analytics&pivot=CAMPAIGN&timeGranularity=DAILY&dateRange=(start:(year:2024,month:1,day:1))`, 'accounts'],
      [`q=statistics&pivots=CAMPAIGN&timeGranularity=DAILY&dateRange=(start:(year:2024,month:1,day:1))&${acc}`, 'pivots'],
      [`q=analytics&pivot=CAMPAIGN&timeGranularity=DAILY&dateRange=(start:(year:2024,month:1,day:1))&${acc}&fields=impressions,bogus`, 'fields'],
    ];
    for (const [query, param] of cases) {
      const res = await call(`/rest/adAnalytics?${query}`);
      expect(res.status, query).toBe(400);
      expect(await res.json()).toEqual({ status: 400, message: `Parameter '${param}' is invalid` });
    }
    const noProtocol = await call(`/rest/adAnalytics?q=analytics`, { headers: { 'X-Restli-Protocol-Version': '' } });
    expect(noProtocol.status).toBe(400);
  });
});

describe('adAnalytics row cap', () => {
  it('cuts a response at the row limit without paging or a flag (15,000 by default, as LinkedIn documents)', async () => {
    const { ANALYTICS_ROW_LIMIT } = await import('../../src/emulators/linkedin/index.js');
    expect(ANALYTICS_ROW_LIMIT).toBe(15_000);
    const { emu, call } = await start({ analyticsRowLimit: 4 });
    stops.push(emu.stop);
    for (const id of ['cmp_li_001', 'cmp_li_002', 'cmp_li_003']) {
      emu.state.apply(campaign(id));
      for (const d of ['2024-01-01', '2024-01-02']) emu.state.apply(adDay(id, d, 100, 1_000_000));
    }
    const path = (end: number) =>
      `/rest/adAnalytics?q=analytics&pivot=CAMPAIGN&timeGranularity=DAILY` +
      `&dateRange=(start:(year:2024,month:1,day:1),end:(year:2024,month:1,day:${end}))` +
      `&accounts=List(${urn('sponsoredAccount', emu.state.adAccount.id)})&fields=${FIELDS}`;
    const cut = await call(path(2));
    expect(cut.status).toBe(200);
    const body = (await cut.json()) as { elements: Row[]; paging: Record<string, unknown> };
    expect(body.elements).toHaveLength(4); // 6 rows exist
    expect(body.paging).toEqual({ start: 0, count: 10, links: [] }); // nothing says rows are missing
    expect(((await (await call(path(1))).json()) as { elements: Row[] }).elements).toHaveLength(3);
  });
});
