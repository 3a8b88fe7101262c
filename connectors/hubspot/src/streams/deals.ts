import { z } from 'zod';
import { defineStream, type UnifiedRecord } from '@revloop/core';
import type { HubSpotConfig } from '../config.js';
import { unmapped, type CrmObject } from '../crm-object.js';
import { crmCheckpointSchema, readCrm, type CrmCheckpoint, type CrmStreamSpec } from '../crm-reader.js';
import { toMicros } from '../money.js';

/** the deal properties this stream maps */
const dealProperties = z.looseObject({
  dealname: z.string().nullish(),
  amount: z.string().nullish(),
  dealstage: z.string().nullish(),
  closedate: z.string().nullish(),
  hs_is_closed: z.string().nullish(),
  hs_is_closed_won: z.string().nullish(),
});

const spec: CrmStreamSpec = {
  objectType: 'deals',
  modifiedProperty: 'hs_lastmodifieddate',
  standardProperties: ['dealname', 'amount', 'dealstage', 'pipeline', 'closedate', 'hs_is_closed', 'hs_is_closed_won', 'createdate', 'hs_lastmodifieddate'],
  associations: ['companies', 'contacts'],
};
const mapped = new Set(['dealname', 'amount', 'dealstage', 'closedate', 'hs_is_closed', 'hs_is_closed_won', 'createdate', 'hs_lastmodifieddate', 'hs_object_id']);

/** the default pipeline's closed stages; other pipelines report through hs_is_closed(_won) */
function closedState(p: z.infer<typeof dealProperties>): { closed: boolean; won: boolean } {
  if (p.dealstage === 'closedwon') return { closed: true, won: true };
  if (p.dealstage === 'closedlost') return { closed: true, won: false };
  const closed = p.hs_is_closed === 'true';
  return { closed, won: closed && p.hs_is_closed_won === 'true' };
}

export default defineStream<HubSpotConfig, CrmObject, CrmCheckpoint>({
  name: 'deals',
  description: 'HubSpot deals → opportunities (stage, amount, won/lost, close date; linked to company and contact)',
  entity: 'opportunity',
  cursor: 'hs_lastmodifieddate',
  lookbackMs: 300_000,
  deletes: 'tombstones', // archived ids arrive from the archived list as batch deletes, not as records with a flag
  checkpoint: crmCheckpointSchema,
  read: (ctx, input) => readCrm(ctx, spec, input),
  map(record): UnifiedRecord {
    const p = dealProperties.parse(record.properties);
    const { closed, won } = closedState(p);
    return {
      systemId: record.id,
      fields: {
        name: p.dealname ?? null,
        stage: p.dealstage ?? null,
        amount_micros: toMicros(p.amount),
        is_closed: closed ? 1 : 0,
        is_won: won ? 1 : 0,
        close_date: p.closedate ? p.closedate.slice(0, 10) : null,
      },
      links: { account: record.associations.companies?.[0] ?? null, contact: record.associations.contacts?.[0] ?? null },
      attributes: unmapped(record.properties, mapped),
      raw: record,
      createdAt: record.createdAt,
      updatedAt: record.updatedAt,
    };
  },
});
