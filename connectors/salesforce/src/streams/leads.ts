// Leads are people too: they fill the same `contact` entity as Contacts (ids never collide: 00Q vs
// 003), with lifecycle_stage 'lead' and the lead's status and company in attributes. A converted
// lead is not written again: it becomes a merge into its ConvertedContactId, so everything
// linked to the lead (campaign touchpoints, tasks) follows the person to the contact.
import { z } from 'zod';
import { defineStream, type MergeInstruction, type UnifiedRecord } from '@revloop/core';
import type { SalesforceConfig } from '../config.js';
import { checkpointSchema, readIncremental, type SfCheckpoint, type SfRecord } from '../incremental.js';
import { base, str, unmapped } from '../mapping.js';

const leadSchema = z.looseObject({
  Id: z.string(),
  SystemModstamp: z.string(),
  FirstName: z.string().nullish(),
  LastName: z.string().nullish(),
  Email: z.string().nullish(),
  Title: z.string().nullish(),
  Company: z.string().nullish(),
  Status: z.string().nullish(),
  IsConverted: z.boolean().nullish(),
  ConvertedContactId: z.string().nullish(),
});
const MAPPED = ['FirstName', 'LastName', 'Email', 'Title', 'Company', 'Status', 'IsConverted', 'ConvertedContactId', 'ConvertedAccountId'] as const;

export function splitConverted(records: SfRecord[]): { records: SfRecord[]; merges: MergeInstruction[] } {
  const keep: SfRecord[] = [];
  const merges: MergeInstruction[] = [];
  for (const r of records) {
    if (r.IsConverted === true && typeof r.ConvertedContactId === 'string') merges.push({ loserSystemId: r.Id, winnerSystemId: r.ConvertedContactId });
    else keep.push(r);
  }
  return { records: keep, merges };
}

export default defineStream<SalesforceConfig, SfRecord, SfCheckpoint>({
  name: 'leads',
  description: "Lead → contact (lifecycle_stage 'lead'; status, company in attributes); converted leads merge into their contact",
  entity: 'contact',
  cursor: 'SystemModstamp',
  deletes: 'tombstones',
  checkpoint: checkpointSchema,
  read: (ctx, input) => readIncremental(ctx, { sobject: 'Lead', fields: MAPPED, deletes: 'getDeleted', merges: true, split: splitConverted }, input),
  map(record): UnifiedRecord {
    const l = leadSchema.parse(record);
    return {
      ...base(record),
      fields: { email: l.Email ? l.Email.toLowerCase() : null, first_name: str(l.FirstName), last_name: str(l.LastName), title: str(l.Title), lifecycle_stage: 'lead' },
      links: { account: null },
      attributes: { leadStatus: l.Status ?? null, company: l.Company ?? null, ...unmapped(record, MAPPED) },
    };
  },
});
