// @revloop/connector-hubspot: companies, contacts, deals, email and web events into the unified
// model through @hubspot/api-client; idempotent write actions; signed webhooks. See BEHAVIOR.md
// for every HubSpot gotcha this code handles.
import { defineConnector, isRevloopError } from '@revloop/core';
import { hubspotFor } from './client.js';
import { hubspotConfigSchema } from './config.js';
import { TOKEN_FIX } from './errors.js';
import companies from './streams/companies.js';
import contacts from './streams/contacts.js';
import deals from './streams/deals.js';
import emailEvents from './streams/email-events.js';
import webEvents from './streams/web-events.js';
import upsertContactProperties from './actions/upsert-contact-properties.js';
import upsertCompanyProperties from './actions/upsert-company-properties.js';
import createSalesTasks from './actions/create-sales-tasks.js';
import addContactsToList from './actions/add-contacts-to-list.js';
import crmEvents from './webhooks/crm-events.js';
import { hubspotLiveCheck } from './live-check.js';

export const hubspotConnector = defineConnector({
  name: '@revloop/connector-hubspot',
  version: '0.1.0',
  description: 'HubSpot CRM (private app): companies, contacts, deals, email and web engagement; property write-back, sales tasks, list membership; webhooks.',
  config: hubspotConfigSchema,
  async check(ctx) {
    try {
      // one cheap authenticated call: a single contact id
      const api = hubspotFor(ctx);
      await api.call('check', (sdk) => sdk.crm.contacts.basicApi.getPage(1, undefined, ['hs_object_id']));
      // the email events API needs the `content` scope, which a CRM-only private app lacks
      await api.request('check content scope', { path: '/email/public/v1/events', qs: { limit: '1' } });
      return { ok: true, message: `connected to HubSpot at ${ctx.config.baseUrl}` };
    } catch (e) {
      if (isRevloopError(e) && e.code === 'HUBSPOT_TOKEN_REFUSED') return { ok: false, message: `${e.message}: the token was refused. Fix: ${TOKEN_FIX}` };
      if (isRevloopError(e)) return { ok: false, message: `${e.message}${e.fix ? `. Fix: ${e.fix}` : ''}` };
      return { ok: false, message: `HubSpot could not be reached at ${ctx.config.baseUrl}: ${e instanceof Error ? e.message : String(e)}` };
    }
  },
  liveCheck: hubspotLiveCheck,
  streams: [companies, contacts, deals, emailEvents, webEvents],
  actions: [upsertContactProperties, upsertCompanyProperties, createSalesTasks, addContactsToList],
  webhooks: [crmEvents],
});

export default hubspotConnector;
export { hubspotConfigSchema, HUBSPOT_DEFAULT_LIMITS, type HubSpotConfig } from './config.js';
export { signatureV3 } from './signature.js';
