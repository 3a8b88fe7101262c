// CRM search: filterGroups (OR of ANDed filters), sorts, query, limit ≤ 200, offset `after`,
// and the 10,000-result paging cap.
import { z } from 'zod';
import { validation } from './errors.js';
import type { PropertyCatalog } from './property-catalog.js';
import { toEpochMs } from './property-values.js';
import type { CrmRecord } from './record-store.js';
import { computedTime, propertyValue } from './serialize.js';
import type { ObjectType } from './object-types.js';

const scalar = z.union([z.string(), z.number(), z.boolean()]).transform(String);

export const searchRequestSchema = z.object({
  filterGroups: z
    .array(
      z.object({
        filters: z.array(
          z.object({
            propertyName: z.string(),
            operator: z.enum(['EQ', 'NEQ', 'LT', 'LTE', 'GT', 'GTE', 'BETWEEN', 'IN', 'NOT_IN', 'HAS_PROPERTY', 'NOT_HAS_PROPERTY', 'CONTAINS_TOKEN', 'NOT_CONTAINS_TOKEN']),
            value: scalar.optional(),
            highValue: scalar.optional(),
            values: z.array(scalar).optional(),
          }),
        ),
      }),
    )
    .default([]),
  sorts: z.array(z.union([z.string(), z.object({ propertyName: z.string(), direction: z.enum(['ASCENDING', 'DESCENDING']).default('ASCENDING') })])).default([]),
  query: z.string().optional(),
  properties: z.array(z.string()).optional(),
  limit: z.number().int().min(0).default(10),
  after: z.union([z.string(), z.number()]).transform(String).optional(),
});
export type SearchRequest = z.infer<typeof searchRequestSchema>;
type Filter = SearchRequest['filterGroups'][number]['filters'][number];

/** HubSpot refuses to page a search past this many results. */
export const searchResultCap = 10_000;

const queryProperties: Record<ObjectType, string[]> = {
  contacts: ['email', 'firstname', 'lastname', 'company'],
  companies: ['name', 'domain'],
  deals: ['dealname'],
  tasks: ['hs_task_subject'],
};

export function checkSearchLimits(req: SearchRequest): { offset: number; limit: number } {
  if (req.limit > 200) throw validation(`limit must be less than or equal to 200 but was ${req.limit}`);
  if (req.filterGroups.length > 5) throw validation(`Too many filter groups (${req.filterGroups.length}); the maximum is 5`);
  const filters = req.filterGroups.reduce((n, g) => n + g.filters.length, 0);
  if (filters > 18) throw validation(`Too many filters (${filters}); the maximum is 18`);
  const offset = req.after === undefined || req.after === '' ? 0 : Number(req.after);
  if (!Number.isInteger(offset) || offset < 0) throw validation(`Invalid after value: ${req.after}`);
  // the cap: an offset at or beyond 10,000 is a 400, even though total may be larger
  if (offset + Math.max(req.limit, 1) > searchResultCap) {
    throw validation(`Search results are limited to ${searchResultCap} records. Requested offset ${offset} with limit ${req.limit} goes past the limit; narrow the filter instead (for example by ${'hs_lastmodifieddate'} window).`, { subCategory: 'SearchError.RESULT_WINDOW_EXCEEDED' });
  }
  return { offset, limit: req.limit };
}

const dateAliases = new Set(['createdate', 'hs_createdate', 'lastmodifieddate', 'hs_lastmodifieddate']);

type Key = number | string;

/** how a property's values compare: dates as epoch ms, numbers as numbers, text case-insensitively */
function comparer(catalog: PropertyCatalog, type: ObjectType, name: string): { date: boolean; of: (v: string) => Key } {
  // the modified/created dates are datetimes on every type (hs_lastmodifieddate is accepted for contacts too)
  const t = dateAliases.has(name) ? 'datetime' : catalog.get(type, name)?.type;
  if (t === 'datetime' || t === 'date') return { date: true, of: toEpochMs };
  if (t === 'number') return { date: false, of: Number };
  return { date: false, of: (v) => v.toLowerCase() };
}

/**
 * A record's comparable value of a property, undefined when unset. A computed date (create or
 * modified time) is its epoch ms as is: the same number its ISO text parses back to, without
 * formatting and parsing a date per record per filter (a daily sync searches every record).
 */
function keyOf(r: CrmRecord, name: string, cmp: { date: boolean; of: (v: string) => Key }): Key | undefined {
  const at = cmp.date ? computedTime(r, name) : undefined;
  if (at !== undefined) return Math.trunc(at); // a Date keeps whole ms (TimeClip)
  const raw = propertyValue(r, name);
  return raw === undefined ? undefined : cmp.of(raw);
}

/** A filter as a test of one record, its operands converted once per search rather than once per record. */
function compileFilter(catalog: PropertyCatalog, type: ObjectType, f: Filter): (r: CrmRecord) => boolean {
  const name = f.propertyName;
  if (f.operator === 'HAS_PROPERTY' || f.operator === 'NOT_HAS_PROPERTY') {
    const has = f.operator === 'HAS_PROPERTY';
    return (r) => {
      const raw = propertyValue(r, name);
      return (raw !== undefined && raw !== '') === has;
    };
  }
  if (f.operator === 'CONTAINS_TOKEN' || f.operator === 'NOT_CONTAINS_TOKEN') {
    const contains = f.operator === 'CONTAINS_TOKEN';
    const pattern = new RegExp(`^${(f.value ?? '').toLowerCase().replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`);
    return (r) => {
      const raw = propertyValue(r, name);
      if (raw === undefined) return !contains;
      const hit = raw.toLowerCase().split(/[\s@.,;]+/).concat(raw.toLowerCase()).some((tok) => pattern.test(tok));
      return contains ? hit : !hit;
    };
  }
  const cmp = comparer(catalog, type, name);
  const target = f.value !== undefined ? cmp.of(f.value) : undefined;
  const high = f.highValue !== undefined ? cmp.of(f.highValue) : undefined;
  const values = (f.values ?? []).map(cmp.of);
  const whenUnset = f.operator === 'NEQ' || f.operator === 'NOT_IN';
  return (r) => {
    const value = keyOf(r, name, cmp);
    if (value === undefined) return whenUnset;
    switch (f.operator) {
      case 'EQ':
        return value === target;
      case 'NEQ':
        return value !== target;
      case 'LT':
        return target !== undefined && value < target;
      case 'LTE':
        return target !== undefined && value <= target;
      case 'GT':
        return target !== undefined && value > target;
      case 'GTE':
        return target !== undefined && value >= target;
      case 'BETWEEN':
        return target !== undefined && high !== undefined && value >= target && value <= high;
      case 'IN':
        return values.some((v) => v === value);
      case 'NOT_IN':
        return !values.some((v) => v === value);
    }
    return false;
  };
}

/** Every live record matching the request, sorted (default: by id ascending). */
export function runSearch(catalog: PropertyCatalog, type: ObjectType, records: Iterable<CrmRecord>, req: SearchRequest): CrmRecord[] {
  const q = req.query?.toLowerCase();
  const groups = req.filterGroups.map((g) => g.filters.map((f) => compileFilter(catalog, type, f)));
  const hits: CrmRecord[] = [];
  for (const r of records) {
    if (r.archived) continue;
    if (groups.length && !groups.some((g) => g.every((test) => test(r)))) continue;
    if (q && !queryProperties[type].some((p) => r.properties[p]?.toLowerCase().includes(q))) continue;
    hits.push(r);
  }
  const sort = req.sorts[0];
  if (sort) {
    const name = typeof sort === 'string' ? sort.replace(/^-/, '') : sort.propertyName;
    const desc = typeof sort === 'string' ? sort.startsWith('-') : sort.direction === 'DESCENDING';
    const cmp = comparer(catalog, type, name);
    // each record's key once, not once per comparison
    const keys = new Map(hits.map((r) => [r, keyOf(r, name, cmp)]));
    hits.sort((a, b) => {
      const ka = keys.get(a);
      const kb = keys.get(b);
      if (ka === kb) return Number(a.id) - Number(b.id);
      if (ka === undefined) return 1; // unset values last
      if (kb === undefined) return -1;
      return (ka < kb ? -1 : 1) * (desc ? -1 : 1);
    });
  }
  return hits;
}
