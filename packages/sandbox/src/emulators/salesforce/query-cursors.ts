// Server-side query cursors behind nextRecordsUrl ("/services/data/v62.0/query/01g…-2000").
// A cursor keeps the matching records in result order; field values are read when a batch is
// fetched. queryAll cursors use the same /query/ path, as on Salesforce. Like Salesforce, an idle cursor expires (15 minutes) → INVALID_QUERY_LOCATOR.
import { SalesforceApiError } from './errors.js';
import { makeId } from './ids.js';
import type { SfRecord } from './record.js';

export const DEFAULT_BATCH_SIZE = 2000;
const CURSOR_IDLE_MS = 15 * 60_000;

interface Cursor {
  records: SfRecord[];
  project: (r: SfRecord) => Record<string, unknown>;
  lastUsed: number;
}

export interface QueryPage {
  totalSize: number;
  done: boolean;
  nextRecordsUrl?: string;
  records: Record<string, unknown>[];
}

/** Batch size from `Sforce-Query-Options: batchSize=N` (Salesforce honours 200..2000). */
export function batchSizeFrom(header: string | undefined): number {
  const m = header ? /batchSize\s*=\s*(\d+)/i.exec(header) : null;
  if (!m) return DEFAULT_BATCH_SIZE;
  return Math.min(2000, Math.max(200, Number(m[1])));
}

export class QueryCursors {
  private readonly cursors = new Map<string, Cursor>();
  private counter = 0;

  constructor(private readonly now: () => number) {}

  /** First batch of a result; opens a cursor when more than one batch is needed. */
  open(records: SfRecord[], project: Cursor['project'], batchSize: number, version: string): QueryPage {
    this.sweep();
    if (records.length <= batchSize) return { totalSize: records.length, done: true, records: records.map(project) };
    const locator = makeId('01g', '0', ++this.counter);
    this.cursors.set(locator, { records, project, lastUsed: this.now() });
    return this.page(locator, 0, batchSize, version);
  }

  /** A later batch; `locatorAndOffset` is the last path segment of nextRecordsUrl. */
  more(locatorAndOffset: string, batchSize: number, version: string): QueryPage {
    this.sweep();
    const dash = locatorAndOffset.lastIndexOf('-');
    const locator = dash > 0 ? locatorAndOffset.slice(0, dash) : locatorAndOffset;
    const offset = dash > 0 ? Number(locatorAndOffset.slice(dash + 1)) : 0;
    const cursor = this.cursors.get(locator);
    if (!cursor || !Number.isInteger(offset) || offset < 0 || offset > cursor.records.length)
      throw new SalesforceApiError(400, 'INVALID_QUERY_LOCATOR', 'invalid query locator');
    cursor.lastUsed = this.now();
    return this.page(locator, offset, batchSize, version);
  }

  private page(locator: string, offset: number, batchSize: number, version: string): QueryPage {
    const cursor = this.cursors.get(locator)!;
    const end = Math.min(cursor.records.length, offset + batchSize);
    const records = new Array<Record<string, unknown>>(end - offset);
    for (let i = offset; i < end; i++) records[i - offset] = cursor.project(cursor.records[i]!);
    const done = end >= cursor.records.length;
    return {
      totalSize: cursor.records.length,
      done,
      ...(done ? {} : { nextRecordsUrl: `/services/data/v${version}/query/${locator}-${end}` }),
      records,
    };
  }

  private sweep(): void {
    const cutoff = this.now() - CURSOR_IDLE_MS;
    for (const [id, c] of this.cursors) if (c.lastUsed < cutoff) this.cursors.delete(id);
  }

  get openCount(): number {
    return this.cursors.size;
  }
}
