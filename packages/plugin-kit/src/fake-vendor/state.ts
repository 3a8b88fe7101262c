// The fake vendor's data: records per resource, ordered by (updatedAt, id) on the vendor's clock;
// a delete archives (the record comes back once with archived: true and a new updatedAt).
import type { Clock } from '@revloop/core';

export interface FakeRecord {
  id: string;
  updatedAt: number;
  archived?: boolean;
  [field: string]: unknown;
}

/** a record as a test writes it: updatedAt defaults to the vendor clock's now */
export interface FakeRecordInput {
  id: string;
  updatedAt?: number;
  archived?: boolean;
  [field: string]: unknown;
}

export interface Position {
  updatedAt: number;
  id: string;
}

export const encodeCursor = (p: Position) => Buffer.from(JSON.stringify([p.updatedAt, p.id])).toString('base64url');

export function decodeCursor(cursor: string): Position | undefined {
  try {
    const [updatedAt, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString()) as [number, string];
    return typeof updatedAt === 'number' && typeof id === 'string' ? { updatedAt, id } : undefined;
  } catch {
    return undefined;
  }
}

const byPosition = (a: Position, b: Position) => a.updatedAt - b.updatedAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

export class FakeVendorState {
  private readonly resources = new Map<string, Map<string, FakeRecord>>();

  constructor(private readonly clock: Clock) {}

  private table(resource: string): Map<string, FakeRecord> {
    let t = this.resources.get(resource);
    if (!t) this.resources.set(resource, (t = new Map()));
    return t;
  }

  /** make a resource exist (an empty one answers [] rather than 404) */
  ensure(resource: string): void {
    this.table(resource);
  }

  has(resource: string): boolean {
    return this.resources.has(resource);
  }

  /** create or update a record (its updatedAt is the vendor clock's now unless given) */
  upsert(resource: string, record: FakeRecordInput): FakeRecord {
    const t = this.table(resource);
    const stored = { ...t.get(record.id), ...record, updatedAt: record.updatedAt ?? this.clock.now() } as FakeRecord;
    t.set(record.id, stored);
    return stored;
  }

  /** delete: archived: true, updatedAt now (an incremental read sees it once) */
  remove(resource: string, id: string): void {
    const r = this.table(resource).get(id);
    if (!r) throw new Error(`fake vendor: no ${resource} record ${id} to delete`);
    this.upsert(resource, { ...r, archived: true, updatedAt: undefined });
  }

  /** every record in (updatedAt, id) order, archived ones included */
  ordered(resource: string): FakeRecord[] {
    return [...this.table(resource).values()].sort(byPosition);
  }

  /** ids of live (not archived) records */
  liveIds(resource: string): string[] {
    return this.ordered(resource).filter((r) => !r.archived).map((r) => r.id);
  }

  after(resource: string, position: Position | undefined): FakeRecord[] {
    const all = this.ordered(resource);
    return position ? all.filter((r) => byPosition(r, position) > 0) : all;
  }
}
