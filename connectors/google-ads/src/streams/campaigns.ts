// campaigns → campaign. A full read every sync (accounts have hundreds of campaigns, not millions);
// REMOVED campaigns arrive as soft deletes.
import { z } from 'zod';
import { defineStream, type UnifiedRecord } from '@revloop/core';
import type { GoogleAdsConfig } from '../config.js';
import { sessionFor } from '../client.js';
import { campaignStatus, idString, numeric } from '../values.js';

const campaignRowSchema = z.looseObject({
  campaign: z.looseObject({
    id: idString,
    resource_name: z.string().nullish(),
    name: z.string().nullish(),
    status: campaignStatus.nullish(),
    advertising_channel_type: z.unknown().optional(),
  }),
  campaign_budget: z.looseObject({ amount_micros: numeric.nullish() }).nullish(),
});
type CampaignRow = z.input<typeof campaignRowSchema>;

const checkpointSchema = z.object({ readAt: z.number() }).strict();
type Checkpoint = z.infer<typeof checkpointSchema>;

const BATCH = 2_000;
const attributes = ['campaign.id', 'campaign.resource_name', 'campaign.name', 'campaign.status', 'campaign.advertising_channel_type'];
/** endpoints that do not serve campaign_budget (the emulator): asked once per process */
const noBudgetField = new Set<string>();

export default defineStream<GoogleAdsConfig, CampaignRow, Checkpoint>({
  name: 'campaigns',
  description: 'Campaigns (name, status, daily budget) read with SearchStream',
  entity: 'campaign',
  cursor: '(full read)',
  deletes: 'archived-flag',
  checkpoint: checkpointSchema,
  async *read(ctx) {
    const session = sessionFor(ctx);
    const order = [{ field: 'campaign.id', sort_order: 'ASC' }];
    let rows: Record<string, any>[];
    if (noBudgetField.has(ctx.config.apiEndpoint)) {
      rows = await session.report('campaigns', { entity: 'campaign', attributes, order });
    } else {
      try {
        rows = await session.report('campaigns', { entity: 'campaign', attributes: [...attributes, 'campaign_budget.amount_micros'], order });
      } catch (e) {
        if ((e as { code?: string }).code !== 'GOOGLE_ADS_QUERY_INVALID') throw e;
        ctx.log.info('campaign_budget.amount_micros is not served by this endpoint: campaigns are read without budgets');
        noBudgetField.add(ctx.config.apiEndpoint);
        rows = await session.report('campaigns', { entity: 'campaign', attributes, order });
      }
    }
    const readAt = ctx.clock.now();
    if (rows.length === 0) yield { records: [], checkpoint: { readAt } };
    for (let i = 0; i < rows.length; i += BATCH) yield { records: rows.slice(i, i + BATCH) as CampaignRow[], checkpoint: { readAt } };
  },
  map(row): UnifiedRecord {
    const r = campaignRowSchema.parse(row);
    const status = r.campaign.status;
    const budget = r.campaign_budget?.amount_micros;
    return {
      systemId: r.campaign.id,
      fields: {
        name: r.campaign.name ?? null,
        platform: 'google',
        status: status ? status.toLowerCase() : null,
        // Google's amount_micros is already micros: kept as is
        daily_budget_micros: budget === undefined || budget === null ? null : Math.round(budget),
      },
      attributes: { resourceName: r.campaign.resource_name, channelType: r.campaign.advertising_channel_type },
      raw: row,
      deleted: status === 'REMOVED',
    };
  },
});
