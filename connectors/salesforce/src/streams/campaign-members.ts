// A CampaignMember is a person's exposure to a campaign: a touchpoint (kind 'exposure', channel
// 'email'), linked to the contact (ContactId, or LeadId: leads are contacts too), the campaign,
// and the contact's account (read through the one-level relationship Contact.AccountId).
import { z } from 'zod';
import { defineStream, type UnifiedRecord } from '@revloop/core';
import type { SalesforceConfig } from '../config.js';
import { isoDate, parseSfDateTime } from '../datetime.js';
import { checkpointSchema, readIncremental, type SfCheckpoint, type SfRecord } from '../incremental.js';
import { base, unmapped } from '../mapping.js';

const memberSchema = z.looseObject({
  Id: z.string(),
  SystemModstamp: z.string(),
  CreatedDate: z.string(),
  CampaignId: z.string(),
  ContactId: z.string().nullish(),
  LeadId: z.string().nullish(),
  Contact: z.looseObject({ AccountId: z.string().nullish() }).nullish(),
});
const MAPPED = ['CampaignId', 'ContactId', 'LeadId', 'Contact'] as const;

export default defineStream<SalesforceConfig, SfRecord, SfCheckpoint>({
  name: 'campaign_members',
  description: "CampaignMember → touchpoint (kind 'exposure', channel 'email'; links contact, campaign, account)",
  entity: 'touchpoint',
  cursor: 'SystemModstamp',
  deletes: 'tombstones',
  checkpoint: checkpointSchema,
  read: (ctx, input) => readIncremental(ctx, { sobject: 'CampaignMember', fields: ['CampaignId', 'ContactId', 'LeadId', 'Status', 'HasResponded', 'Contact.AccountId'], deletes: 'getDeleted' }, input),
  map(record): UnifiedRecord {
    const m = memberSchema.parse(record);
    const created = parseSfDateTime(m.CreatedDate);
    return {
      ...base(record),
      fields: { kind: 'exposure', channel: 'email', occurred_at: created, date: created === null ? null : isoDate(created) },
      links: { contact: m.ContactId ?? m.LeadId ?? null, campaign: m.CampaignId, account: m.Contact?.AccountId ?? null },
      attributes: unmapped(record, MAPPED),
    };
  },
});
