// A CRM object as revloop keeps it: the SDK's SimplePublicObject parsed into plain JSON (times in
// epoch ms, ids as strings) with its associations normalised, so that a record read through the
// list endpoint and the same record read through search map to exactly the same unified row.
import { z } from 'zod';
import { toMs } from './time.js';

const vendorTime = z.union([z.date(), z.string(), z.number()]).transform((v) => toMs(v));

/** the SDK's SimplePublicObject(WithAssociations) */
export const sdkObjectSchema = z.looseObject({
  id: z.union([z.string(), z.number()]).transform(String),
  properties: z.record(z.string(), z.union([z.string(), z.null()]).optional()),
  createdAt: vendorTime.optional(),
  updatedAt: vendorTime.optional(),
  archived: z.boolean().optional(),
  archivedAt: vendorTime.optional(),
  associations: z
    .record(
      z.string(),
      z.looseObject({
        results: z.array(z.looseObject({ id: z.union([z.string(), z.number()]).transform(String), type: z.string() })),
        // more associations than one embedded page: HubSpot says so here
        paging: z.looseObject({ next: z.looseObject({ after: z.string() }).nullish() }).nullish(),
      }),
    )
    .optional(),
});

/** the association types of a list/get answer that came cut (embedded `paging.next`), per record id */
export function truncatedAssociations(values: unknown[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const v of values) {
    const o = sdkObjectSchema.parse(v);
    for (const [toType, a] of Object.entries(o.associations ?? {})) {
      if (!a.paging?.next?.after) continue;
      out.set(toType, [...(out.get(toType) ?? []), o.id]);
    }
  }
  return out;
}

export interface CrmObject {
  id: string;
  properties: Record<string, string | null>;
  createdAt: number | null;
  updatedAt: number | null;
  archived: boolean;
  /** associated ids by target type ('companies', 'contacts'): the primary first, then by id */
  associations: Record<string, string[]>;
}

export function fromSdk(value: unknown, associations?: Record<string, string[]>): CrmObject {
  const o = sdkObjectSchema.parse(value);
  const properties: Record<string, string | null> = {};
  for (const k of Object.keys(o.properties).sort()) properties[k] = o.properties[k] ?? null;
  return {
    id: o.id,
    properties,
    createdAt: o.createdAt ?? null,
    updatedAt: o.updatedAt ?? null,
    archived: o.archived ?? false,
    associations: associations ?? fromV3Associations(o.associations),
  };
}

/**
 * v3 `associations=` lists a primary company twice (contact_to_company and
 * contact_to_company_unlabeled): dedupe, and put the primary (the labelled type) first.
 */
export function fromV3Associations(assoc: z.infer<typeof sdkObjectSchema>['associations']): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [toType, { results }] of Object.entries(assoc ?? {})) {
    const primary = new Set(results.filter((r) => !r.type.endsWith('_unlabeled')).map((r) => r.id));
    out[toType] = orderIds([...new Set(results.map((r) => r.id))], primary);
  }
  return out;
}

/** primary ids first, then ascending by numeric id (a stable order whatever the wire order was) */
export function orderIds(ids: string[], primary: Set<string>): string[] {
  return [...ids].sort((a, b) => Number(primary.has(b)) - Number(primary.has(a)) || Number(a) - Number(b) || (a < b ? -1 : a > b ? 1 : 0));
}

/** the properties a stream did not map into columns (custom properties included), nulls dropped */
export function unmapped(properties: Record<string, string | null>, mapped: ReadonlySet<string>): Record<string, string> | undefined {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(properties)) if (v !== null && v !== '' && !mapped.has(k)) out[k] = v;
  return Object.keys(out).length ? out : undefined;
}

export const num = (v: string | null | undefined): number | null => {
  if (v === null || v === undefined || v === '') return null;
  const n = Number(v);
  return Number.isFinite(n) ? n : null;
};
