// The records whose events a run must read. HubSpot's events API answers per record (objectType +
// objectId), and every tracked event updates the record's web analytics properties, so the records
// with new events are among those modified since the run's start: found by search on the
// modification date, paged by keyset on hs_object_id (no 10,000-result cap, nothing skipped when a
// record changes mid-read). See BEHAVIOR.md "Web events".
import { z } from 'zod';
import type { HubSpotApi } from './client.js';

export interface ActiveRecordsSpec {
  objectType: 'contacts' | 'companies';
  /** contacts: lastmodifieddate; companies: hs_lastmodifieddate */
  modifiedProperty: string;
  properties: readonly string[];
}

const foundSchema = z.array(z.looseObject({ id: z.union([z.string(), z.number()]).transform(String), properties: z.record(z.string(), z.string().nullable()).default({}) }));
export type ActiveRecord = z.infer<typeof foundSchema>[number];

/** one page (≤ limit) of records modified at or after `since` with an id above `afterId`, by id */
export async function activeRecords(api: HubSpotApi, spec: ActiveRecordsSpec, since: number, afterId: string | undefined, limit: number): Promise<ActiveRecord[]> {
  const filters = [
    { propertyName: spec.modifiedProperty, operator: 'GTE', value: String(since) },
    ...(afterId ? [{ propertyName: 'hs_object_id', operator: 'GT', value: afterId }] : []),
  ];
  const res = await api.call(
    `search ${spec.objectType} with new web events`,
    (sdk) =>
      sdk.crm.objects.searchApi.doSearch(spec.objectType, {
        filterGroups: [{ filters: filters as never }],
        sorts: [{ propertyName: 'hs_object_id', direction: 'ASCENDING' } as never],
        properties: [...spec.properties],
        limit,
        after: undefined as never,
      }),
    { search: true },
  );
  return foundSchema.parse(res.results);
}
