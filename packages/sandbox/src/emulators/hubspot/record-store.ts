// One object type's records, kept in id order so that list paging (`after` = next id) is a
// binary search rather than a scan.
import type { ObjectType } from './object-types.js';

export interface CrmRecord {
  id: string; // numeric string, HubSpot style
  type: ObjectType;
  /** stored property values (computed ones like hs_object_id are added when serialized) */
  properties: Record<string, string>;
  createdAt: number;
  updatedAt: number;
  archived: boolean;
  archivedAt?: number;
  /** set on a merged-away contact: reads of this id resolve to the primary */
  mergedInto?: string;
}

export class RecordStore {
  private readonly byId = new Map<string, CrmRecord>();
  private readonly ids: number[] = []; // sorted ascending
  /** the records in the order of `ids`: a search walks every record, without a lookup per id */
  private readonly sorted: CrmRecord[] = [];
  private readonly uniqueIndexes = new Map<string, Map<string, string>>(); // property -> lower(value) -> id

  constructor(uniqueProperties: string[] = []) {
    for (const p of uniqueProperties) this.uniqueIndexes.set(p, new Map());
  }

  get size(): number {
    return this.byId.size;
  }

  get(id: string): CrmRecord | undefined {
    return this.byId.get(id);
  }

  insert(record: CrmRecord): void {
    if (this.byId.has(record.id)) throw new Error(`duplicate id ${record.id}`);
    this.byId.set(record.id, record);
    const n = Number(record.id);
    const at = this.lowerBound(n);
    this.ids.splice(at, 0, n);
    this.sorted.splice(at, 0, record);
    this.indexUnique(record);
  }

  /** Call after changing a unique property's value (old value passed to drop its entry). */
  reindex(record: CrmRecord, previous: Record<string, string | undefined>): void {
    for (const [prop, index] of this.uniqueIndexes) {
      const old = previous[prop];
      if (old !== undefined && index.get(old.toLowerCase()) === record.id) index.delete(old.toLowerCase());
    }
    this.indexUnique(record);
  }

  unindex(record: CrmRecord): void {
    for (const [prop, index] of this.uniqueIndexes) {
      const v = record.properties[prop];
      if (v !== undefined && index.get(v.toLowerCase()) === record.id) index.delete(v.toLowerCase());
    }
  }

  findUnique(property: string, value: string): CrmRecord | undefined {
    const id = this.uniqueIndexes.get(property)?.get(value.toLowerCase());
    return id === undefined ? undefined : this.byId.get(id);
  }

  hasUniqueIndex(property: string): boolean {
    return this.uniqueIndexes.has(property);
  }

  addUniqueIndex(property: string): void {
    if (this.uniqueIndexes.has(property)) return;
    this.uniqueIndexes.set(property, new Map());
    for (const r of this.byId.values()) if (!r.archived) this.indexUnique(r);
  }

  /** Up to `limit` records (archived or live) with id ≥ `afterId`, plus the id to continue from. */
  page(afterId: number, limit: number, archived: boolean): { records: CrmRecord[]; nextAfter?: string } {
    const records: CrmRecord[] = [];
    for (let i = this.lowerBound(afterId); i < this.sorted.length; i++) {
      const r = this.sorted[i]!;
      if (r.archived !== archived) continue;
      if (records.length === limit) return { records, nextAfter: r.id };
      records.push(r);
    }
    return { records };
  }

  /** every record in id order (the live array: read it, do not change it) */
  all(): readonly CrmRecord[] {
    return this.sorted;
  }

  private indexUnique(record: CrmRecord): void {
    if (record.archived) return;
    for (const [prop, index] of this.uniqueIndexes) {
      const v = record.properties[prop];
      if (v) index.set(v.toLowerCase(), record.id);
    }
  }

  private lowerBound(n: number): number {
    let lo = 0;
    let hi = this.ids.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.ids[mid]! < n) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
