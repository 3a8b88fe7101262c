import { z } from 'zod';
import { defineStream, type UnifiedRecord } from '@revloop/core';
import type { HubSpotConfig } from '../config.js';
import { unmapped, type CrmObject } from '../crm-object.js';
import { crmCheckpointSchema, readCrm, type CrmCheckpoint, type CrmStreamSpec } from '../crm-reader.js';
import { lifecycleStage } from '../lifecycle.js';

/** the contact properties this stream maps */
const contactProperties = z.looseObject({
  email: z.string().nullish(),
  firstname: z.string().nullish(),
  lastname: z.string().nullish(),
  jobtitle: z.string().nullish(),
  lifecyclestage: z.string().nullish(),
  hs_persona: z.string().nullish(),
  associatedcompanyid: z.string().nullish(),
});

const spec: CrmStreamSpec = {
  objectType: 'contacts',
  // contacts keep their modification time in lastmodifieddate (companies/deals: hs_lastmodifieddate)
  modifiedProperty: 'lastmodifieddate',
  standardProperties: ['email', 'firstname', 'lastname', 'jobtitle', 'lifecyclestage', 'hs_persona', 'associatedcompanyid', 'hs_merged_object_ids', 'createdate', 'lastmodifieddate'],
  associations: ['companies'],
  merges: true,
};
const mapped = new Set(['email', 'firstname', 'lastname', 'jobtitle', 'lifecyclestage', 'hs_persona', 'associatedcompanyid', 'createdate', 'lastmodifieddate', 'hs_object_id']);

export default defineStream<HubSpotConfig, CrmObject, CrmCheckpoint>({
  name: 'contacts',
  description: 'HubSpot contacts → contacts (linked to their primary company); merges and archives included',
  entity: 'contact',
  cursor: 'lastmodifieddate',
  lookbackMs: 300_000,
  deletes: 'tombstones', // archived ids arrive from the archived list as batch deletes, not as records with a flag
  checkpoint: crmCheckpointSchema,
  read: (ctx, input) => readCrm(ctx, spec, input),
  map(record, ctx): UnifiedRecord {
    const p = contactProperties.parse(record.properties);
    // the primary company: associatedcompanyid, else the primary association
    const company = p.associatedcompanyid || record.associations.companies?.[0] || null;
    return {
      systemId: record.id,
      fields: {
        email: p.email ? p.email.toLowerCase() : null,
        first_name: p.firstname ?? null,
        last_name: p.lastname ?? null,
        title: p.jobtitle ?? null,
        // persona_N is meaningless outside the portal: the config names it (BEHAVIOR.md)
        persona: p.hs_persona ? (ctx.config.personas[p.hs_persona] ?? p.hs_persona) : null,
        lifecycle_stage: lifecycleStage(p.lifecyclestage),
      },
      links: { account: company },
      attributes: unmapped(record.properties, mapped),
      raw: record,
      createdAt: record.createdAt,
      updatedAt: record.updatedAt,
    };
  },
});
