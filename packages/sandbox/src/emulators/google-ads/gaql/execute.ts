// Runs a parsed GAQL query against the emulator state and returns GoogleAdsRow-shaped objects.
import type { GoogleAdsState } from '../state.js';
import { dateBounds, daysBetween, isoDate } from './dates.js';
import { fields, resources, selectableFrom, type FieldValue, type Metrics, type RowContext } from './fields.js';
import { GaqlError, type Condition, type GaqlQuery, type Literal } from './parse.js';

export interface QueryResult {
  rows: Record<string, unknown>[];
  /** the selected field paths, as the real API's field_mask */
  fieldMask: string[];
}

function validate(q: GaqlQuery): void {
  if (!resources[q.from]) {
    throw new GaqlError('BAD_RESOURCE_TYPE_IN_FROM_CLAUSE', `Error in FROM clause: invalid resource name '${q.from}'.`, q.from);
  }
  const check = (field: string, clause: string, prohibited: string) => {
    if (!fields[field]) throw new GaqlError('UNRECOGNIZED_FIELD', `Error in ${clause} clause: unrecognized field '${field}'.`, field);
    if (!selectableFrom(q.from, field)) {
      throw new GaqlError(prohibited, `Error in ${clause} clause: '${field}' cannot be used with resource '${q.from}'.`, field);
    }
  };
  q.select.forEach((f) => check(f, 'SELECT', 'PROHIBITED_RESOURCE_TYPE_IN_SELECT_CLAUSE'));
  q.where.forEach((c) => check(c.field, 'WHERE', 'PROHIBITED_RESOURCE_TYPE_IN_WHERE_CLAUSE'));
  q.orderBy.forEach((o) => check(o.field, 'ORDER BY', 'PROHIBITED_FIELD_IN_ORDER_BY_CLAUSE'));
}

function compare(a: FieldValue, b: FieldValue, numeric: boolean): number {
  if (a === undefined || b === undefined) return a === b ? 0 : a === undefined ? -1 : 1;
  if (numeric) return Number(a) - Number(b);
  return String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0;
}

function likeToRegExp(pattern: string): RegExp {
  const escaped = pattern.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/%/g, '.*').replace(/_/g, '.');
  return new RegExp(`^${escaped}$`, 'i');
}

function matches(ctx: RowContext, c: Condition, today: string): boolean {
  const def = fields[c.field]!;
  const value = def.get(ctx);
  const cmp = (v: Literal) => compare(value, v, def.numeric);
  switch (c.op) {
    case '=':
      return cmp(c.values[0]!) === 0;
    case '!=':
      return cmp(c.values[0]!) !== 0;
    case '>':
      return cmp(c.values[0]!) > 0;
    case '>=':
      return cmp(c.values[0]!) >= 0;
    case '<':
      return cmp(c.values[0]!) < 0;
    case '<=':
      return cmp(c.values[0]!) <= 0;
    case 'IN':
      return c.values.some((v) => cmp(v) === 0);
    case 'NOT IN':
      return !c.values.some((v) => cmp(v) === 0);
    case 'BETWEEN':
      return cmp(c.values[0]!) >= 0 && cmp(c.values[1]!) <= 0;
    case 'LIKE':
      return value !== undefined && likeToRegExp(String(c.values[0])).test(String(value));
    case 'NOT LIKE':
      return value === undefined || !likeToRegExp(String(c.values[0])).test(String(value));
    case 'DURING': {
      const [first, last] = dateBounds([c], today)!;
      return value !== undefined && value >= first && value <= last;
    }
  }
}

function add(into: Metrics, m: Metrics): void {
  into.impressions += m.impressions;
  into.clicks += m.clicks;
  into.costMicros += m.costMicros;
  into.conversions += m.conversions;
}

/** Facts before metric aggregation: one per (entity, day) when metrics/segments are involved. */
function facts(state: GoogleAdsState, q: GaqlQuery, usesMetrics: boolean, bounds?: [string, string]): RowContext[] {
  const customerId = state.customerId;
  const inRange = (date: string) => !bounds || (date >= bounds[0] && date <= bounds[1]);
  switch (q.from) {
    case 'customer':
      return [{ customerId }];
    case 'user_list':
      return [...state.userLists.values()].map((userList) => ({ customerId, userList }));
    case 'conversion_action':
      return [...state.conversionActions.values()].map((conversionAction) => ({ customerId, conversionAction }));
    case 'offline_user_data_job':
      state.pollJobs(); // jobs run asynchronously: reading their status is how a client polls
      return [...state.jobs.values()].map((job) => ({ customerId, job }));
    case 'click_view': {
      const out: RowContext[] = [];
      for (const click of state.allClicks()) {
        const campaign = state.campaign(state.campaignIds.adsId(click.campaignId));
        if (!campaign || !inRange(click.date)) continue;
        out.push({ customerId, campaign, click, date: click.date, metrics: { impressions: 0, clicks: 1, costMicros: 0, conversions: 0 } });
      }
      return out;
    }
    default: {
      // campaign, ad_group: one ad group per campaign, so both read campaign days
      const out: RowContext[] = [];
      for (const campaign of state.campaigns()) {
        if (!usesMetrics) {
          out.push({ customerId, campaign });
          continue;
        }
        for (const d of state.daysOf(campaign.id)) {
          if (!inRange(d.date)) continue;
          const metrics = { impressions: d.impressions, clicks: d.clicks, costMicros: d.costMicros, conversions: d.conversions };
          out.push({ customerId, campaign, date: d.date, metrics });
        }
      }
      return out;
    }
  }
}

/** Sums metrics over days when segments.date is not selected (one row per entity). */
function aggregate(rows: RowContext[], byDate: boolean): RowContext[] {
  const groups = new Map<string, RowContext>();
  for (const r of rows) {
    const key = `${r.campaign?.id ?? ''}|${r.click?.clickId ?? ''}|${byDate ? r.date : ''}`;
    const g = groups.get(key);
    if (!g) {
      groups.set(key, { ...r, date: byDate ? r.date : undefined, metrics: r.metrics && { ...r.metrics } });
    } else if (g.metrics && r.metrics) add(g.metrics, r.metrics);
  }
  return [...groups.values()];
}

function setPath(row: Record<string, unknown>, path: string, value: unknown): void {
  const dot = path.indexOf('.');
  const head = path.slice(0, dot);
  const obj = (row[head] ??= {}) as Record<string, unknown>;
  obj[path.slice(dot + 1)] = value;
}

function project(ctx: RowContext, select: string[], resourceNames: string[]): Record<string, unknown> {
  const row: Record<string, unknown> = {};
  for (const f of resourceNames) {
    const v = fields[f]!.get(ctx);
    if (v !== undefined) setPath(row, f, v);
  }
  for (const f of select) {
    const v = fields[f]!.get(ctx);
    if (v !== undefined) setPath(row, f, v);
  }
  return row;
}

export function executeGaql(state: GoogleAdsState, q: GaqlQuery): QueryResult {
  validate(q);
  const today = isoDate(state.now());
  const used = [...q.select, ...q.where.map((c) => c.field)];
  const usesMetrics = used.some((f) => f.startsWith('metrics.') || f.startsWith('segments.'));
  const dateSelected = q.select.includes('segments.date');
  const bounds = dateBounds(q.where, today);
  if (dateSelected && !bounds) {
    throw new GaqlError('EXPECTED_FILTERS_ON_DATE_RANGE', 'Error in WHERE clause: a finite date range on segments.date is required when segments.date is selected.');
  }
  if (q.from === 'click_view') {
    // the real API only serves click_view one day at a time
    if (!bounds) throw new GaqlError('EXPECTED_FILTERS_ON_DATE_RANGE', 'click_view queries must filter segments.date to a single day.');
    if (daysBetween(bounds[0], bounds[1]) > 1) throw new GaqlError('DATE_RANGE_TOO_WIDE', 'click_view queries must filter segments.date to a single day.');
  }
  if (bounds && bounds[0] > bounds[1]) return { rows: [], fieldMask: q.select };

  const pre = q.where.filter((c) => fields[c.field]!.kind !== 'metric');
  const post = q.where.filter((c) => fields[c.field]!.kind === 'metric');
  let rows = facts(state, q, usesMetrics, bounds).filter((ctx) => pre.every((c) => matches(ctx, c, today)));
  if (usesMetrics && q.from !== 'click_view') rows = aggregate(rows, dateSelected);
  if (post.length) rows = rows.filter((ctx) => post.every((c) => matches(ctx, c, today)));
  if (q.orderBy.length) {
    const keys = q.orderBy.map((o) => ({ def: fields[o.field]!, sign: o.desc ? -1 : 1 }));
    rows.sort((a, b) => {
      for (const k of keys) {
        const d = compare(k.def.get(a), k.def.get(b), k.def.numeric);
        if (d !== 0) return d * k.sign;
      }
      return 0;
    });
  }
  if (q.limit !== undefined) rows = rows.slice(0, q.limit);

  // like the real API, rows carry the resource_name of every resource they select from
  const resourceNames = [...new Set(q.select.map((f) => f.split('.')[0]!))]
    .map((r) => `${r}.resource_name`)
    .filter((f) => fields[f] && !q.select.includes(f));
  return { rows: rows.map((ctx) => project(ctx, q.select, resourceNames)), fieldMask: q.select };
}
