// Which vendor streams the connector path syncs each day (the connectors' `streams` in the loop's
// config; the loop's sync step, the same one `revloop serve` runs, reads only these).
//
// Both sandbox CRMs mirror the whole market, and the unified model has no cross-system identity
// resolution yet (an account synced from HubSpot and from Salesforce would be two accounts, each
// decided and treated). So one CRM is the system of record for accounts, contacts, engagement and
// opportunities: HubSpot, the one that carries personas and web/email engagement. Salesforce
// contributes its campaigns; the ad platforms their campaigns, spend and clicks.
import { VENDOR } from './vendor-connectors.js';

export const VENDOR_STREAMS: Record<string, readonly string[]> = {
  [VENDOR.hubspot]: ['companies', 'contacts', 'deals', 'email_events', 'web_events'],
  [VENDOR.salesforce]: ['campaigns'],
  [VENDOR.linkedin]: ['campaigns', 'campaign-analytics'],
  [VENDOR.google]: ['campaigns', 'campaign-metrics', 'click-views'],
};
