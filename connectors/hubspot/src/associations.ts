// Associations of records read through search (which returns none): v4 batch reads per target
// type, 100 records per request. A record with more associations than one result holds gets its own
// `paging.next.after` on its result: those records are asked again with `{ id, after }` until no
// result has paging, so none is cut short. 207 answers (records without associations) resolve in
// the SDK: the missing ones simply have none.
import { z } from 'zod';
import type { HubSpotApi } from './client.js';
import { orderIds } from './crm-object.js';
import { pagingStuck } from './errors.js';

const v4Schema = z.looseObject({
  results: z.array(
    z.looseObject({
      _from: z.looseObject({ id: z.union([z.string(), z.number()]).transform(String) }),
      to: z.array(z.looseObject({ toObjectId: z.union([z.string(), z.number()]).transform(String), associationTypes: z.array(z.looseObject({ label: z.string().nullish() })).default([]) })),
      paging: z.looseObject({ next: z.looseObject({ after: z.string() }).nullish() }).nullish(),
    }),
  ),
});

const BATCH = 100;

/** ids (primary first) of `toType` records associated with each of `ids`, every page of each */
export async function readAssociations(api: HubSpotApi, fromType: string, toType: string, ids: string[]): Promise<Map<string, string[]>> {
  const what = `associations ${fromType}→${toType}`;
  const to = new Map<string, Array<{ id: string; primary: boolean }>>();
  let pending: Array<{ id: string; after?: string }> = [...new Set(ids)].map((id) => ({ id }));
  while (pending.length) {
    const next: Array<{ id: string; after: string }> = [];
    for (let i = 0; i < pending.length; i += BATCH) {
      const inputs = pending.slice(i, i + BATCH);
      const res = v4Schema.parse(await api.call(what, (sdk) => sdk.crm.associations.v4.batchApi.getPage(fromType, toType, { inputs })));
      const sentAfter = new Map(inputs.map((x) => [x.id, x.after]));
      // results are not in input order: key them by the from id
      for (const r of res.results) {
        const list = to.get(r._from.id) ?? [];
        for (const t of r.to) list.push({ id: t.toObjectId, primary: t.associationTypes.some((a) => a.label === 'Primary') });
        to.set(r._from.id, list);
        const after = r.paging?.next?.after;
        if (!after) continue;
        if (after === sentAfter.get(r._from.id)) throw pagingStuck(`connectors (${what}, record ${r._from.id})`, what, 'paging.next.after');
        next.push({ id: r._from.id, after });
      }
    }
    pending = next;
  }
  const out = new Map<string, string[]>();
  for (const [from, list] of to) {
    const primary = new Set(list.filter((t) => t.primary).map((t) => t.id));
    out.set(from, orderIds([...new Set(list.map((t) => t.id))], primary));
  }
  return out;
}
