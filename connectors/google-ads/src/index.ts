// Google Ads connector: campaigns, daily campaign metrics and click views (gRPC SearchStream
// through google-ads-api's reportStreamRaw) into the unified model; offline click conversions and
// Customer Match out of it. See BEHAVIOR.md for every vendor gotcha.
import { defineConnector, errorMessage, isRevloopError } from '@revloop/core';
import { googleAdsConfigSchema } from './config.js';
import { sessionFor } from './client.js';
import campaigns from './streams/campaigns.js';
import campaignMetrics from './streams/campaign-metrics.js';
import clickViews from './streams/click-views.js';
import uploadClickConversions from './actions/upload-click-conversions.js';
import customerMatchSync from './actions/customer-match-sync.js';
import { googleAdsLiveCheck } from './live-check.js';

export const googleAdsConnector = defineConnector({
  name: '@revloop/connector-google-ads',
  version: '0.1.0',
  description: 'Google Ads: campaigns, daily spend, clicks (gclid); offline conversions and Customer Match',
  config: googleAdsConfigSchema,
  async check(ctx) {
    try {
      const rows = await sessionFor(ctx).report('check', {
        entity: 'customer',
        attributes: ['customer.id', 'customer.descriptive_name', 'customer.currency_code', 'customer.time_zone'],
      });
      const c = rows[0]?.customer;
      if (!c) return { ok: false, message: `customer ${ctx.config.customerId} answered no row` };
      return { ok: true, message: `customer ${c.id} (${c.descriptive_name ?? 'no name'}, ${c.currency_code ?? '?'}, ${c.time_zone ?? '?'}) at ${ctx.config.apiEndpoint}` };
    } catch (e) {
      const message = isRevloopError(e) ? `${e.code}: ${e.message}${e.fix ? ` (fix: ${e.fix})` : ''}` : errorMessage(e);
      return { ok: false, message };
    }
  },
  liveCheck: googleAdsLiveCheck,
  streams: [campaigns, campaignMetrics, clickViews],
  actions: [uploadClickConversions, customerMatchSync],
});

export default googleAdsConnector;
export { googleAdsConfigSchema, type GoogleAdsConfig } from './config.js';
export { closeGoogleAdsClients } from './client.js';
export { hashEmail, normaliseEmail } from './actions/customer-match-sync.js';
export { GOOGLE_ADS_API_VERSION } from './version.js';
