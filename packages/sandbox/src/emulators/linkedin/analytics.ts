// GET /rest/adAnalytics: the `analytics` finder (one pivot) and the `statistics` finder (up to
// three pivots). No pagination; rows only for days that have data; the latest late-arriving
// metrics are served. Query params use Rest.li 2.0 syntax and are parsed from the raw URL.
// A response holds at most ANALYTICS_ROW_LIMIT elements: the rest are cut without a word, as
// LinkedIn does ("a maximum of 15,000 elements" per response, no paging; Ads Reporting docs).
import { Hono } from 'hono';
import { errors } from './errors.js';
import { ACCOUNT_URN, CAMPAIGN_URN } from './ids.js';
import { asInt, asList, asRecord, parseRestliValue, rawQueryParams, RestliSyntaxError, type RestliValue } from './restli.js';
import type { LinkedInState } from './state.js';
import type { SimAdDay } from '../../market/types.js';

type Pivot = 'CAMPAIGN' | 'ACCOUNT' | 'CAMPAIGN_GROUP';
type Granularity = 'DAILY' | 'MONTHLY' | 'YEARLY' | 'ALL';
const PIVOTS = new Set<Pivot>(['CAMPAIGN', 'ACCOUNT', 'CAMPAIGN_GROUP']);
const GRANULARITIES = new Set<Granularity>(['DAILY', 'MONTHLY', 'YEARLY', 'ALL']);
const METRICS = ['impressions', 'clicks', 'costInLocalCurrency', 'costInUsd', 'externalWebsiteConversions', 'oneClickLeads', 'landingPageClicks'] as const;
const ALWAYS = new Set(['dateRange', 'pivotValues', 'pivot', 'pivotValue']);
const DEFAULT_FIELDS = ['impressions', 'clicks']; // what LinkedIn returns when `fields` is absent

interface YMD {
  year: number;
  month: number;
  day: number;
}

export interface AnalyticsQuery {
  finder: 'analytics' | 'statistics';
  pivots: Pivot[];
  granularity: Granularity;
  start: string; // YYYY-MM-DD
  end: string;
  accounts?: Set<number>;
  campaigns?: Set<number>;
  fields: string[];
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');
const iso = (d: YMD) => `${d.year}-${pad(d.month)}-${pad(d.day)}`;

function ymd(v: RestliValue | undefined, param: string): YMD {
  const r = asRecord(v, param);
  const d = { year: asInt(r.year, param), month: asInt(r.month, param), day: asInt(r.day, param) };
  const date = new Date(Date.UTC(d.year, d.month - 1, d.day));
  if (date.getUTCMonth() !== d.month - 1 || date.getUTCDate() !== d.day) throw new RestliSyntaxError(param, 'not a calendar date');
  return d;
}

function urnIds(raw: string | undefined, param: string, prefix: string): Set<number> | undefined {
  if (raw === undefined) return undefined;
  const ids = new Set<number>();
  for (const item of asList(parseRestliValue(raw, param), param)) {
    if (typeof item !== 'string' || !item.startsWith(prefix) || !/^\d+$/.test(item.slice(prefix.length)))
      throw new RestliSyntaxError(param, `expected ${prefix}N URNs`);
    ids.add(Number(item.slice(prefix.length)));
  }
  return ids;
}

/** Validates the finder's parameters; throws RestliSyntaxError naming the offending parameter. */
export function parseAnalyticsQuery(url: string, todayIso: string): AnalyticsQuery {
  const raw = rawQueryParams(url);
  const finder = raw.get('q');
  if (finder !== 'analytics' && finder !== 'statistics') throw new RestliSyntaxError('q', 'unknown finder');
  let pivots: Pivot[];
  if (finder === 'analytics') {
    const pivot = raw.get('pivot');
    if (!pivot || !PIVOTS.has(pivot as Pivot)) throw new RestliSyntaxError('pivot', 'unsupported pivot');
    pivots = [pivot as Pivot];
  } else {
    const list = raw.get('pivots');
    if (list === undefined) throw new RestliSyntaxError('pivots', 'required');
    pivots = asList(parseRestliValue(list, 'pivots'), 'pivots').map((p) => {
      if (typeof p !== 'string' || !PIVOTS.has(p as Pivot)) throw new RestliSyntaxError('pivots', 'unsupported pivot');
      return p as Pivot;
    });
    if (pivots.length < 1 || pivots.length > 3) throw new RestliSyntaxError('pivots', 'one to three pivots');
  }
  const granularity = raw.get('timeGranularity');
  if (!granularity || !GRANULARITIES.has(granularity as Granularity)) throw new RestliSyntaxError('timeGranularity', 'unsupported');
  const rangeRaw = raw.get('dateRange');
  if (rangeRaw === undefined) throw new RestliSyntaxError('dateRange', 'required');
  const range = asRecord(parseRestliValue(rangeRaw, 'dateRange'), 'dateRange');
  const start = iso(ymd(range.start, 'dateRange'));
  const end = range.end === undefined ? todayIso : iso(ymd(range.end, 'dateRange'));
  if (end < start) throw new RestliSyntaxError('dateRange', 'end before start');
  const accounts = urnIds(raw.get('accounts'), 'accounts', ACCOUNT_URN);
  const campaigns = urnIds(raw.get('campaigns'), 'campaigns', CAMPAIGN_URN);
  if (!accounts && !campaigns) throw new RestliSyntaxError('accounts', 'at least one facet (accounts, campaigns) is required');
  const fieldsRaw = raw.get('fields');
  const fields = fieldsRaw === undefined ? DEFAULT_FIELDS : decodeURIComponent(fieldsRaw).split(',');
  for (const f of fields) if (!ALWAYS.has(f) && !(METRICS as readonly string[]).includes(f)) throw new RestliSyntaxError('fields', `unknown field ${f}`);
  return { finder, pivots, granularity: granularity as Granularity, start, end, accounts, campaigns, fields };
}

/** Integer micros → LinkedIn's decimal string ("12.5", "0.000001"), exact. */
export function microsToDecimal(micros: number): string {
  const sign = micros < 0 ? '-' : '';
  const abs = Math.abs(Math.round(micros));
  const whole = Math.floor(abs / 1_000_000);
  const frac = String(abs % 1_000_000).padStart(6, '0').replace(/0+$/, '');
  return frac ? `${sign}${whole}.${frac}` : `${sign}${whole}`;
}

interface Bucket {
  pivotValues: string[];
  start: string;
  end: string;
  impressions: number;
  clicks: number;
  costMicros: number;
  conversions: number;
}

function toYmd(isoDate: string): YMD {
  return { year: Number(isoDate.slice(0, 4)), month: Number(isoDate.slice(5, 7)), day: Number(isoDate.slice(8, 10)) };
}

function lastDayOfMonth(isoDate: string): string {
  const d = new Date(Date.UTC(Number(isoDate.slice(0, 4)), Number(isoDate.slice(5, 7)), 0));
  return d.toISOString().slice(0, 10);
}

function period(q: AnalyticsQuery, date: string): [string, string] {
  switch (q.granularity) {
    case 'DAILY':
      return [date, date];
    case 'MONTHLY':
      return [date.slice(0, 8) + '01' < q.start ? q.start : date.slice(0, 8) + '01', lastDayOfMonth(date) > q.end ? q.end : lastDayOfMonth(date)];
    case 'YEARLY':
      return [date.slice(0, 4) + '-01-01' < q.start ? q.start : date.slice(0, 4) + '-01-01', date.slice(0, 4) + '-12-31' > q.end ? q.end : date.slice(0, 4) + '-12-31'];
    default:
      return [q.start, q.end];
  }
}

export function runAnalytics(state: LinkedInState, q: AnalyticsQuery): Record<string, unknown>[] {
  const accountId = state.adAccount.id;
  if (q.accounts && !q.accounts.has(accountId)) return [];
  const buckets = new Map<string, Bucket>();
  for (const [campaignId, days] of state.adDays) {
    if (q.campaigns && !q.campaigns.has(campaignId)) continue;
    const values = q.pivots.map((p) =>
      p === 'CAMPAIGN' ? `${CAMPAIGN_URN}${campaignId}` : p === 'ACCOUNT' ? `${ACCOUNT_URN}${accountId}` : `urn:li:sponsoredCampaignGroup:${accountId}`,
    );
    for (const day of days.values() as Iterable<SimAdDay>) {
      if (day.date < q.start || day.date > q.end) continue;
      const [start, end] = period(q, day.date);
      const key = `${values.join('|')}|${start}`;
      let b = buckets.get(key);
      if (!b) buckets.set(key, (b = { pivotValues: values, start, end, impressions: 0, clicks: 0, costMicros: 0, conversions: 0 }));
      b.impressions += day.impressions;
      b.clicks += day.clicks;
      b.costMicros += day.costMicros;
      b.conversions += day.conversions;
    }
  }
  const rows = [...buckets.values()].sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : a.pivotValues[0] < b.pivotValues[0] ? -1 : 1));
  const want = new Set(q.fields);
  return rows.map((b) => {
    const row: Record<string, unknown> = {};
    if (want.has('impressions')) row.impressions = b.impressions;
    if (want.has('clicks')) row.clicks = b.clicks;
    if (want.has('landingPageClicks')) row.landingPageClicks = b.clicks;
    if (want.has('costInLocalCurrency')) row.costInLocalCurrency = microsToDecimal(b.costMicros);
    if (want.has('costInUsd')) row.costInUsd = microsToDecimal(b.costMicros); // the sandbox account bills in USD
    if (want.has('externalWebsiteConversions')) row.externalWebsiteConversions = b.conversions;
    if (want.has('oneClickLeads')) row.oneClickLeads = 0;
    if (want.has('dateRange')) row.dateRange = { start: toYmd(b.start), end: toYmd(b.end) };
    if (want.has('pivotValues')) row.pivotValues = b.pivotValues;
    return row;
  });
}

/** LinkedIn's documented cap on the elements of one adAnalytics response */
export const ANALYTICS_ROW_LIMIT = 15_000;

export function analyticsRoutes(state: LinkedInState, rowLimit = ANALYTICS_ROW_LIMIT): Hono {
  const app = new Hono();
  app.get('/adAnalytics', (c) => {
    let q: AnalyticsQuery;
    try {
      q = parseAnalyticsQuery(c.req.url, new Date(state.now()).toISOString().slice(0, 10));
    } catch (e) {
      if (e instanceof RestliSyntaxError) return errors.invalidParam(e.param);
      throw e;
    }
    // cut silently at the row limit: no paging, no flag (the real API's behaviour)
    return c.json({ paging: { start: 0, count: 10, links: [] }, elements: runAnalytics(state, q).slice(0, rowLimit) });
  });
  return app;
}
