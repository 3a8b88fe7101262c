import { z } from 'zod';
import { defineStream, type UnifiedRecord } from '@revloop/core';
import type { SalesforceConfig } from '../config.js';
import { checkpointSchema, readIncremental, type SfCheckpoint, type SfRecord } from '../incremental.js';
import { base, str, unmapped } from '../mapping.js';

const contactSchema = z.looseObject({
  Id: z.string(),
  SystemModstamp: z.string(),
  FirstName: z.string().nullish(),
  LastName: z.string().nullish(),
  Email: z.string().nullish(),
  Title: z.string().nullish(),
  AccountId: z.string().nullish(),
});
const MAPPED = ['FirstName', 'LastName', 'Email', 'Title', 'AccountId'] as const;

export default defineStream<SalesforceConfig, SfRecord, SfCheckpoint>({
  name: 'contacts',
  description: 'Contact → contact (link AccountId); merged contacts → identity-map merges',
  entity: 'contact',
  cursor: 'SystemModstamp',
  deletes: 'tombstones',
  checkpoint: checkpointSchema,
  read: (ctx, input) => readIncremental(ctx, { sobject: 'Contact', fields: MAPPED, deletes: 'getDeleted', merges: true }, input),
  map(record): UnifiedRecord {
    const c = contactSchema.parse(record);
    return {
      ...base(record),
      fields: { email: c.Email ? c.Email.toLowerCase() : null, first_name: str(c.FirstName), last_name: str(c.LastName), title: str(c.Title) },
      links: { account: c.AccountId ?? null },
      attributes: unmapped(record, MAPPED),
    };
  },
});
