import { z } from 'zod';
import { defineStream, type UnifiedRecord } from '@revloop/core';
import type { SalesforceConfig } from '../config.js';
import { checkpointSchema, readIncremental, type SfCheckpoint, type SfRecord } from '../incremental.js';
import { base, str, unmapped } from '../mapping.js';

const campaignSchema = z.looseObject({
  Id: z.string(),
  SystemModstamp: z.string(),
  Name: z.string().nullish(),
  Status: z.string().nullish(),
});
// Type, IsActive, StartDate, EndDate are read and kept in attributes
const MAPPED = ['Name', 'Status'] as const;

export default defineStream<SalesforceConfig, SfRecord, SfCheckpoint>({
  name: 'campaigns',
  description: "Campaign → campaign (platform 'salesforce'; Type, IsActive, dates in attributes)",
  entity: 'campaign',
  cursor: 'SystemModstamp',
  deletes: 'tombstones',
  checkpoint: checkpointSchema,
  read: (ctx, input) => readIncremental(ctx, { sobject: 'Campaign', fields: [...MAPPED, 'Type', 'IsActive', 'StartDate', 'EndDate'], deletes: 'getDeleted' }, input),
  map(record): UnifiedRecord {
    const c = campaignSchema.parse(record);
    return {
      ...base(record),
      fields: { name: str(c.Name), platform: 'salesforce', status: str(c.Status) },
      attributes: unmapped(record, MAPPED),
    };
  },
});
