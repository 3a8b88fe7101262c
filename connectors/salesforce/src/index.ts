// @revloop/connector-salesforce: Accounts, Contacts, Leads, Opportunities, Campaigns, campaign
// membership and Tasks into the unified model (jsforce over the REST API), and three idempotent
// write actions. See BEHAVIOR.md for every Salesforce gotcha this code handles.
import { defineConnector, isRevloopError } from '@revloop/core';
import { clientFor } from './client.js';
import { salesforceConfigSchema } from './config.js';
import accounts from './streams/accounts.js';
import contacts from './streams/contacts.js';
import leads from './streams/leads.js';
import opportunities from './streams/opportunities.js';
import campaigns from './streams/campaigns.js';
import campaignMembers from './streams/campaign-members.js';
import tasks from './streams/tasks.js';
import updatePersonFields from './actions/update-person-fields.js';
import createTasks from './actions/create-tasks.js';
import addCampaignMembers from './actions/add-campaign-members.js';
import { salesforceLiveCheck } from './live-check.js';

export const salesforceConnector = defineConnector({
  name: '@revloop/connector-salesforce',
  version: '0.1.0',
  description: 'Salesforce CRM (REST API through jsforce): accounts, people, opportunities, campaigns, touches; score/segment write-back, tasks, campaign membership.',
  config: salesforceConfigSchema,
  async check(ctx) {
    try {
      const limits = (await clientFor(ctx).request({ method: 'GET', url: '/limits' }, 'limits')) as { DailyApiRequests?: { Max: number; Remaining: number } };
      const daily = limits.DailyApiRequests;
      return {
        ok: true,
        message: `connected to ${ctx.config.instanceUrl} (API v${ctx.config.apiVersion})${daily ? `; daily API requests: ${daily.Max - daily.Remaining} of ${daily.Max} used` : ''}`,
      };
    } catch (e) {
      if (isRevloopError(e)) return { ok: false, message: `${e.message}. Fix: ${e.fix ?? ''}` };
      const err = e as { errorCode?: string; message?: string };
      return { ok: false, message: `Salesforce refused the check (${err.errorCode ?? 'error'}: ${err.message ?? String(e)}): verify instanceUrl, loginUrl and the connected app's clientId/clientSecret` };
    }
  },
  liveCheck: salesforceLiveCheck,
  streams: [accounts, contacts, leads, opportunities, campaigns, campaignMembers, tasks],
  actions: [updatePersonFields, createTasks, addCampaignMembers],
});

export default salesforceConnector;
export { API_VERSION, type SalesforceConfig } from './config.js';
