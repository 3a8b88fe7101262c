import { z } from 'zod';
import { defineStream, type UnifiedRecord } from '@revloop/core';
import type { HubSpotConfig } from '../config.js';
import { num, unmapped, type CrmObject } from '../crm-object.js';
import { crmCheckpointSchema, readCrm, type CrmCheckpoint, type CrmStreamSpec } from '../crm-reader.js';

/** the company properties this stream maps (HubSpot sends every value as a string) */
const companyProperties = z.looseObject({
  name: z.string().nullish(),
  domain: z.string().nullish(),
  industry: z.string().nullish(),
  numberofemployees: z.string().nullish(),
  country: z.string().nullish(),
});

const spec: CrmStreamSpec = {
  objectType: 'companies',
  modifiedProperty: 'hs_lastmodifieddate',
  standardProperties: ['name', 'domain', 'hs_additional_domains', 'industry', 'numberofemployees', 'country', 'lifecyclestage', 'createdate', 'hs_lastmodifieddate'],
  associations: [],
};
const mapped = new Set(['name', 'domain', 'hs_additional_domains', 'industry', 'numberofemployees', 'country', 'createdate', 'hs_lastmodifieddate', 'hs_object_id']);

/** HubSpot's hs_additional_domains ("a.com;b.io") as lower-case domains (BEHAVIOR.md: a company's other domains) */
export function additionalDomains(value: string | null | undefined): string[] {
  if (!value) return [];
  return [...new Set(value.split(';').map((d) => d.trim().toLowerCase()).filter(Boolean))];
}

/** revloop's size band of a company from its employee count (HubSpot has no size property) */
export function sizeOf(employees: number | null, bands: HubSpotConfig['companySizeBands']): string | null {
  if (employees === null || !Number.isFinite(employees)) return null;
  return employees >= bands.enterprise ? 'enterprise' : employees >= bands.mid ? 'mid' : 'smb';
}

export default defineStream<HubSpotConfig, CrmObject, CrmCheckpoint>({
  name: 'companies',
  description: 'HubSpot companies → accounts',
  entity: 'account',
  cursor: 'hs_lastmodifieddate',
  lookbackMs: 300_000,
  deletes: 'tombstones', // archived ids arrive from the archived list as batch deletes, not as records with a flag
  checkpoint: crmCheckpointSchema,
  read: (ctx, input) => readCrm(ctx, spec, input),
  map(record, ctx): UnifiedRecord {
    const p = companyProperties.parse(record.properties);
    return {
      systemId: record.id,
      fields: {
        name: p.name ?? null,
        domain: p.domain ? p.domain.toLowerCase() : null,
        // HubSpot's industry options are enum values (COMPUTER_SOFTWARE)
        industry: p.industry ? p.industry.toLowerCase().replace(/_/g, ' ') : null,
        employees: num(p.numberofemployees),
        size: sizeOf(num(p.numberofemployees), ctx.config.companySizeBands),
        region: p.country ?? null,
      },
      attributes: withAdditionalDomains(unmapped(record.properties, mapped), additionalDomains(record.properties.hs_additional_domains)),
      raw: record,
      createdAt: record.createdAt,
      updatedAt: record.updatedAt,
    };
  },
});

/** identity resolution reads a company's other domains from attributes.additional_domains */
function withAdditionalDomains(attributes: Record<string, unknown> | undefined, domains: string[]): Record<string, unknown> | undefined {
  return domains.length ? { ...attributes, additional_domains: domains } : attributes;
}
