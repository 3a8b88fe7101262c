// Ad account campaigns → campaign (platform 'linkedin'). A full read each sync (accounts have
// hundreds of campaigns, not millions), cursor-paged with pageSize/pageToken; an interrupted read
// resumes from the saved page token. dailyBudget.amount is a decimal string → integer micros.
import { z } from 'zod';
import { defineStream, type UnifiedRecord } from '@revloop/core';
import type { LinkedInAdsConfig } from '../config.js';
import { clientFor } from '../client.js';
import { decimalToMicros } from '../money.js';
import { query } from '../restli.js';

const campaignSchema = z.looseObject({
  id: z.union([z.number(), z.string()]),
  name: z.string(),
  status: z.string(),
  account: z.string().optional(),
  campaignGroup: z.string().optional(),
  type: z.string().optional(),
  costType: z.string().optional(),
  objectiveType: z.string().optional(),
  dailyBudget: z.looseObject({ amount: z.string(), currencyCode: z.string() }).nullish(),
  changeAuditStamps: z.looseObject({ lastModified: z.looseObject({ time: z.number() }).optional() }).optional(),
});
type Campaign = z.input<typeof campaignSchema>;

const pageSchema = z.looseObject({
  elements: z.array(z.unknown()),
  metadata: z.looseObject({ nextPageToken: z.string().optional() }).optional(),
});

/** null: the last read finished (the next one starts over); a token: resume there */
const checkpointSchema = z.object({ pageToken: z.string().nullable() }).strict();
type Checkpoint = z.infer<typeof checkpointSchema>;

const PAGE_SIZE = 100;
/** statuses LinkedIn uses for a campaign that is gone */
const GONE = new Set(['REMOVED', 'PENDING_DELETION']);

export default defineStream<LinkedInAdsConfig, Campaign, Checkpoint>({
  name: 'campaigns',
  description: "The ad account's campaigns (GET /rest/adAccounts/{id}/adCampaigns?q=search)",
  entity: 'campaign',
  cursor: 'none (full read, cursor-paged)',
  deletes: 'archived-flag',
  checkpoint: checkpointSchema,
  async *read(ctx, { checkpoint }) {
    const client = clientFor(ctx);
    let pageToken = checkpoint?.pageToken ?? undefined;
    do {
      const qs = query({ q: 'search', pageSize: PAGE_SIZE, pageToken });
      const page = pageSchema.parse(await client.json(`/rest/adAccounts/${ctx.config.adAccountId}/adCampaigns?${qs}`, { what: 'list campaigns' }));
      pageToken = page.metadata?.nextPageToken;
      yield { records: page.elements as Campaign[], checkpoint: { pageToken: pageToken ?? null } };
    } while (pageToken);
  },
  map(record): UnifiedRecord {
    const c = campaignSchema.parse(record);
    return {
      systemId: String(c.id),
      fields: {
        name: c.name,
        platform: 'linkedin',
        status: c.status,
        daily_budget_micros: c.dailyBudget ? decimalToMicros(c.dailyBudget.amount) : null,
      },
      attributes: {
        type: c.type,
        costType: c.costType,
        objectiveType: c.objectiveType,
        campaignGroup: c.campaignGroup,
        currency: c.dailyBudget?.currencyCode,
      },
      raw: record,
      updatedAt: c.changeAuditStamps?.lastModified?.time,
      deleted: GONE.has(c.status),
    };
  },
});
