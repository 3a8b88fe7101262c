// Which vendor streams the connector path syncs each day (the connectors' `streams` in the loop's
// config; the loop's sync step, the same one `revloop serve` runs, reads only these).
//
// Both sandbox CRMs mirror the whole market, with the sandbox's identity noise between them: the
// loop syncs the accounts, contacts and opportunities of both, and identity resolution (the cycle's
// resolve step) makes each company and person one entity, as in production (docs/identity.md).
// HubSpot carries personas and web/email engagement; Salesforce contributes its campaigns too; the
// ad platforms their campaigns, spend and clicks.
import { VENDOR } from './vendor-connectors.js';

export const VENDOR_STREAMS: Record<string, readonly string[]> = {
  [VENDOR.hubspot]: ['companies', 'contacts', 'deals', 'email_events', 'web_events'],
  [VENDOR.salesforce]: ['accounts', 'contacts', 'opportunities', 'campaigns'],
  [VENDOR.linkedin]: ['campaigns', 'campaign-analytics'],
  [VENDOR.google]: ['campaigns', 'campaign-metrics', 'click-views'],
};
