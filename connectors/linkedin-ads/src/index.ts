// LinkedIn Ads (Marketing API, versioned /rest) connector: campaigns and daily campaign analytics
// into the unified model; audience sync (DMP segments) and offline conversion upload as actions.
// No LinkedIn SDK exists: plain fetch, Rest.li 2.0 query values built by hand (see restli.ts).
import { defineConnector, isRevloopError } from '@revloop/core';
import { linkedInAdsConfigSchema } from './config.js';
import { clientFor } from './client.js';
import campaigns from './streams/campaigns.js';
import campaignAnalytics from './streams/campaign-analytics.js';
import syncAudience from './actions/sync-audience.js';
import uploadConversions from './actions/upload-conversions.js';
import { z } from 'zod';
import { linkedInLiveCheck } from './live-check.js';

const adAccountSchema = z.looseObject({ id: z.union([z.number(), z.string()]), name: z.string().optional(), currency: z.string().optional(), status: z.string().optional() });

export const linkedInAdsConnector = defineConnector({
  name: '@revloop/connector-linkedin-ads',
  version: '0.1.0',
  description: 'LinkedIn Marketing API: campaigns, daily campaign analytics, DMP audiences, offline conversions',
  config: linkedInAdsConfigSchema,
  async check(ctx) {
    try {
      const account = adAccountSchema.parse(await clientFor(ctx).json(`/rest/adAccounts/${ctx.config.adAccountId}`, { what: 'read the ad account' }));
      if (account.status && account.status !== 'ACTIVE') return { ok: false, message: `ad account ${account.id} is ${account.status}: syncs will read it, but ads do not serve` };
      return { ok: true, message: `ad account ${account.id} "${account.name ?? ''}" (${account.currency ?? '?'})` };
    } catch (e) {
      if (isRevloopError(e)) return { ok: false, message: `${e.message}${e.fix ? ` — fix: ${e.fix}` : ''}` };
      throw e;
    }
  },
  liveCheck: linkedInLiveCheck,
  streams: [campaigns, campaignAnalytics],
  actions: [syncAudience, uploadConversions],
});

export default linkedInAdsConnector;
export type { LinkedInAdsConfig } from './config.js';
export { LINKEDIN_API_VERSION } from './version.js';
export { decimalToMicros, microsToDecimal } from './money.js';
export { clientFor } from './client.js';
export { analyticsPath } from './streams/campaign-analytics.js';
