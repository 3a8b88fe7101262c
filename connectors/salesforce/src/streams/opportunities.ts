import { z } from 'zod';
import { defineStream, type UnifiedRecord } from '@revloop/core';
import type { SalesforceConfig } from '../config.js';
import { checkpointSchema, readIncremental, type SfCheckpoint, type SfRecord } from '../incremental.js';
import { base, bool01, str, toMicros, unmapped } from '../mapping.js';

const opportunitySchema = z.looseObject({
  Id: z.string(),
  SystemModstamp: z.string(),
  Name: z.string().nullish(),
  AccountId: z.string().nullish(),
  ContactId: z.string().nullish(),
  StageName: z.string().nullish(),
  Amount: z.number().nullish(),
  CloseDate: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).nullish(),
  IsWon: z.boolean().nullish(),
  IsClosed: z.boolean().nullish(),
});
const MAPPED = ['Name', 'AccountId', 'ContactId', 'StageName', 'Amount', 'CloseDate', 'IsWon', 'IsClosed'] as const;

export default defineStream<SalesforceConfig, SfRecord, SfCheckpoint>({
  name: 'opportunities',
  description: 'Opportunity → opportunity (StageName, Amount → amount_micros, IsWon, IsClosed, CloseDate; link AccountId, ContactId)',
  entity: 'opportunity',
  cursor: 'SystemModstamp',
  deletes: 'tombstones',
  checkpoint: checkpointSchema,
  read: (ctx, input) => readIncremental(ctx, { sobject: 'Opportunity', fields: MAPPED, deletes: 'getDeleted' }, input),
  map(record): UnifiedRecord {
    const o = opportunitySchema.parse(record);
    return {
      ...base(record),
      fields: { name: str(o.Name), stage: str(o.StageName), amount_micros: toMicros(o.Amount), is_closed: bool01(o.IsClosed), is_won: bool01(o.IsWon), close_date: o.CloseDate ?? null },
      links: { account: o.AccountId ?? null, contact: o.ContactId ?? null },
      attributes: unmapped(record, MAPPED),
    };
  },
});
