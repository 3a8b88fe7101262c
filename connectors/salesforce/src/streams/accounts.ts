import { z } from 'zod';
import { defineStream, type UnifiedRecord } from '@revloop/core';
import type { SalesforceConfig } from '../config.js';
import { checkpointSchema, readIncremental, type SfCheckpoint, type SfRecord } from '../incremental.js';
import { base, num, str, unmapped } from '../mapping.js';

const accountSchema = z.looseObject({
  Id: z.string(),
  SystemModstamp: z.string(),
  Name: z.string().nullish(),
  Industry: z.string().nullish(),
  NumberOfEmployees: z.number().nullish(),
  Website: z.string().nullish(),
  BillingCountry: z.string().nullish(),
});
const MAPPED = ['Name', 'Industry', 'NumberOfEmployees', 'Website', 'BillingCountry'] as const;

/** "https://www.Acme.com/about" → "acme.com" */
export function domainOf(website: string | null | undefined): string | null {
  if (!website) return null;
  const host = website.trim().toLowerCase().replace(/^[a-z]+:\/\//, '').split(/[/?#:]/)[0]!.replace(/^www\./, '');
  return host || null;
}

export default defineStream<SalesforceConfig, SfRecord, SfCheckpoint>({
  name: 'accounts',
  description: 'Account → account (Website → domain, BillingCountry → region)',
  entity: 'account',
  cursor: 'SystemModstamp',
  deletes: 'tombstones',
  checkpoint: checkpointSchema,
  read: (ctx, input) => readIncremental(ctx, { sobject: 'Account', fields: MAPPED, deletes: 'getDeleted', merges: true }, input),
  map(record): UnifiedRecord {
    const a = accountSchema.parse(record);
    return {
      ...base(record),
      fields: { name: str(a.Name), domain: domainOf(a.Website), industry: str(a.Industry), employees: num(a.NumberOfEmployees), region: str(a.BillingCountry) },
      attributes: unmapped(record, MAPPED),
    };
  },
});
