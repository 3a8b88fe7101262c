// Associations of records read through search (which returns none): one v4 batch read per target
// type and page. 207 answers (records without associations) resolve in the SDK: the missing ones
// simply have none.
import { z } from 'zod';
import type { HubSpotApi } from './client.js';
import { orderIds } from './crm-object.js';

const v4Schema = z.looseObject({
  results: z.array(
    z.looseObject({
      _from: z.looseObject({ id: z.union([z.string(), z.number()]).transform(String) }),
      to: z.array(z.looseObject({ toObjectId: z.union([z.string(), z.number()]).transform(String), associationTypes: z.array(z.looseObject({ label: z.string().nullish() })).default([]) })),
    }),
  ),
});

/** ids (primary first) of `toType` records associated with each of `ids` */
export async function readAssociations(api: HubSpotApi, fromType: string, toType: string, ids: string[]): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  for (let i = 0; i < ids.length; i += 100) {
    const inputs = ids.slice(i, i + 100).map((id) => ({ id }));
    const res = v4Schema.parse(await api.call(`associations ${fromType}→${toType}`, (sdk) => sdk.crm.associations.v4.batchApi.getPage(fromType, toType, { inputs })));
    // results are not in input order: key them by the from id
    for (const r of res.results) {
      const primary = new Set(r.to.filter((t) => t.associationTypes.some((a) => a.label === 'Primary')).map((t) => t.toObjectId));
      out.set(r._from.id, orderIds([...new Set(r.to.map((t) => t.toObjectId))], primary));
    }
  }
  return out;
}
