// Paginators over vendorClient(): each yields one page at a time with the position to resume
// after it, so that a stream yields { records: page.items, checkpoint: <from page.position> } and
// a sync stopped between pages resumes at the next page, never at the first.
import { RevloopError } from '@revloop/core';
import type { Query, VendorClient } from './client.js';

export interface Page<T, P> {
  items: T[];
  /** resume here to read what comes after this page */
  position: P;
  /** true on the last page of this read */
  last: boolean;
}

interface Common<T> {
  path: string;
  query?: Query;
  /** the records in a response body */
  items(body: any): T[];
  signal?: AbortSignal;
}

/**
 * Cursor (token) paging: `?<param>=<cursor>` until the vendor says there is no more. The position
 * is the cursor after the page; keep the last cursor the vendor gave (a durable cursor makes the
 * next incremental read start after the last record; see hasMore).
 */
export async function* cursorPages<T>(
  client: VendorClient,
  o: Common<T> & { param?: string; from?: string; next(body: any): string | null | undefined; hasMore?(body: any): boolean },
): AsyncGenerator<Page<T, string | undefined>> {
  let cursor = o.from;
  for (;;) {
    const body = await client.json(o.path, { query: { ...o.query, [o.param ?? 'cursor']: cursor }, signal: o.signal });
    const items = o.items(body);
    const next = o.next(body) ?? undefined;
    const more = o.hasMore ? o.hasMore(body) : next !== undefined && next !== cursor;
    // a vendor that says "more" without a new cursor would have us read this page forever
    const last = !more || items.length === 0 || next === undefined;
    if (next !== undefined) cursor = next;
    yield { items, position: cursor, last };
    if (last) return;
  }
}

/** Offset paging: `?offset=<n>&limit=<size>` until a short page (or `total` is reached). */
export async function* offsetPages<T>(
  client: VendorClient,
  o: Common<T> & { pageSize: number; from?: number; offsetParam?: string; limitParam?: string; total?(body: any): number | undefined },
): AsyncGenerator<Page<T, number>> {
  let offset = o.from ?? 0;
  for (;;) {
    const body = await client.json(o.path, { query: { ...o.query, [o.offsetParam ?? 'offset']: offset, [o.limitParam ?? 'limit']: o.pageSize }, signal: o.signal });
    const items = o.items(body);
    offset += items.length;
    const total = o.total?.(body);
    const last = items.length < o.pageSize || (total !== undefined && offset >= total);
    yield { items, position: offset, last };
    if (last) return;
  }
}

/** the URL of rel="next" in an RFC 8288 Link header */
export function nextLink(header: string | null): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(/,(?=\s*<)/)) {
    const m = /<([^>]*)>\s*;(.*)$/.exec(part.trim());
    if (m && /(^|;)\s*rel\s*=\s*"?([^";]*\s)?next(\s[^";]*)?"?\s*(;|$)/i.test(m[2]!)) return m[1];
  }
  return undefined;
}

/** Link-header paging (GitHub style): follow rel="next"; the position is the next URL. */
export async function* linkHeaderPages<T>(client: VendorClient, o: Common<T> & { from?: string }): AsyncGenerator<Page<T, string | undefined>> {
  let target: string | undefined = o.from ?? client.url(o.path, o.query);
  while (target) {
    const response = await client.request(target, { signal: o.signal });
    const items = o.items(await response.json());
    const next = nextLink(response.headers.get('link'));
    // a relative next link is resolved against the page that gave it
    target = next ? new URL(next, target).toString() : undefined;
    yield { items, position: target, last: !target };
  }
}

export interface UpdatedPosition {
  updatedAt: number;
  id: string;
}

/**
 * Updated-since paging for vendors that filter by a timestamp but give no cursor: asks for
 * records updated at or after the last timestamp (inclusive) and drops those at or before the
 * last (updatedAt, id), so records sharing a timestamp across a page boundary are neither lost
 * nor read twice. The vendor must sort by (updatedAt, id).
 */
export async function* updatedSincePages<T>(
  client: VendorClient,
  o: Common<T> & {
    pageSize: number;
    from?: UpdatedPosition;
    sinceParam?: string;
    limitParam?: string;
    /** how the vendor wants the timestamp (default: epoch ms) */
    formatSince?(ms: number): string | number;
    updatedAt(item: T): number;
    id(item: T): string;
  },
): AsyncGenerator<Page<T, UpdatedPosition | undefined>> {
  let position = o.from;
  const after = (item: T) => !position || o.updatedAt(item) > position.updatedAt || (o.updatedAt(item) === position.updatedAt && o.id(item) > position.id);
  for (;;) {
    const since = position ? (o.formatSince ? o.formatSince(position.updatedAt) : position.updatedAt) : undefined;
    const body = await client.json(o.path, { query: { ...o.query, [o.sinceParam ?? 'updated_since']: since, [o.limitParam ?? 'limit']: o.pageSize }, signal: o.signal });
    const page = o.items(body);
    const items = page.filter(after);
    if (page.length >= o.pageSize && items.length === 0) {
      throw new RevloopError('PAGING_STUCK', `${o.path}: more than ${o.pageSize} records share updatedAt ${position?.updatedAt}; updated-since paging cannot get past them`, {
        where: o.path,
        fix: 'raise the page size above the largest group of records with one timestamp, or page with the vendor\'s cursor (cursorPages) if it has one',
      });
    }
    const lastItem = items[items.length - 1];
    if (lastItem) position = { updatedAt: o.updatedAt(lastItem), id: o.id(lastItem) };
    const last = page.length < o.pageSize;
    yield { items, position, last };
    if (last) return;
  }
}
