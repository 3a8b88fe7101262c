// Records on the wire: {id, properties (strings), createdAt, updatedAt, archived[, archivedAt][, associations]}.
import type { AssociationGraph } from './associations.js';
import { createdProperty, defaultProperties, lastModifiedProperty, type ObjectType } from './object-types.js';
import type { CrmRecord } from './record-store.js';

const iso = (ms: number) => new Date(ms).toISOString();

/** The epoch ms of a computed date property (create/modified dates), undefined for any other property. */
export function computedTime(r: CrmRecord, name: string): number | undefined {
  if (name === createdProperty(r.type) || name === 'createdate') return r.createdAt;
  if (name === lastModifiedProperty(r.type) || name === 'lastmodifieddate' || name === 'hs_lastmodifieddate') return r.updatedAt;
  return undefined;
}

/** A property's value including the computed ones (hs_object_id, create/modified dates). */
export function propertyValue(r: CrmRecord, name: string): string | undefined {
  if (name === 'hs_object_id') return r.id;
  const at = computedTime(r, name);
  if (at !== undefined) return iso(at);
  return r.properties[name];
}

/** Comma-separated and repeated query values alike (the SDK sends `a,b`). */
export function listParam(values: string[] | undefined): string[] {
  return (values ?? []).flatMap((v) => v.split(',')).map((v) => v.trim()).filter(Boolean);
}

export interface WireOptions {
  properties?: string[];
  associations?: ObjectType[];
  graph?: AssociationGraph;
  /**
   * at most `size` embedded associations per type; a record with more gets `paging.next.after`
   * on that type (an opaque token from `after(record, toType, position)`)
   */
  associationPage?: { size: number; after: (r: CrmRecord, toType: ObjectType, position: number) => string };
}

export function recordToWire(r: CrmRecord, o: WireOptions = {}) {
  const names = o.properties && o.properties.length ? o.properties : defaultProperties[r.type];
  const properties: Record<string, string | null> = {};
  // default properties are always present; requested ones that are unset come back as null
  for (const n of names) properties[n] = propertyValue(r, n) ?? null;
  const wire: Record<string, unknown> = {
    id: r.id,
    properties,
    createdAt: iso(r.createdAt),
    updatedAt: iso(r.updatedAt),
    archived: r.archived,
  };
  if (r.archived && r.archivedAt !== undefined) wire.archivedAt = iso(r.archivedAt);
  if (o.associations?.length && o.graph) {
    const assoc: Record<string, { results: Array<{ id: string; type: string }>; paging?: unknown }> = {};
    for (const toType of o.associations) {
      const results = o.graph
        .targets(r.type, r.id, toType)
        .flatMap((t) => o.graph!.v3TypeNames(r.type, toType, t.primary).map((type) => ({ id: t.id, type })));
      if (!results.length) continue;
      const page = o.associationPage;
      assoc[toType] = page && results.length > page.size ? { results: results.slice(0, page.size), paging: { next: { after: page.after(r, toType, page.size) } } } : { results };
    }
    if (Object.keys(assoc).length) wire.associations = assoc;
  }
  return wire;
}
