// The ids of every campaign of the ad account (any status), for sizing adAnalytics requests.
// Same finder as the campaigns stream: GET /rest/adAccounts/{id}/adCampaigns?q=search, cursor-paged.
import { z } from 'zod';
import type { PluginContext } from '@revloop/core';
import type { LinkedInAdsConfig } from './config.js';
import { clientFor } from './client.js';
import { query } from './restli.js';

const pageSchema = z.looseObject({
  elements: z.array(z.looseObject({ id: z.union([z.number(), z.string()]) })),
  metadata: z.looseObject({ nextPageToken: z.string().optional() }).optional(),
});

const PAGE_SIZE = 100;

export async function listCampaignIds(ctx: PluginContext<LinkedInAdsConfig>): Promise<string[]> {
  const client = clientFor(ctx);
  const ids: string[] = [];
  let pageToken: string | undefined;
  do {
    const qs = query({ q: 'search', pageSize: PAGE_SIZE, pageToken });
    const page = pageSchema.parse(await client.json(`/rest/adAccounts/${ctx.config.adAccountId}/adCampaigns?${qs}`, { what: 'list campaign ids (to size adAnalytics requests)' }));
    for (const c of page.elements) ids.push(String(c.id));
    pageToken = page.metadata?.nextPageToken;
  } while (pageToken);
  return ids;
}
