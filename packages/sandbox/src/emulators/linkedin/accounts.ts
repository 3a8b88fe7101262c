// Ad accounts and campaigns: GET /rest/adAccounts, /rest/adAccounts/{id}, /rest/adAccounts/{id}/adCampaigns.
import { Hono } from 'hono';
import { errors } from './errors.js';
import { ACCOUNT_URN } from './ids.js';
import { page } from './paging.js';
import { parseRestliValue, rawQueryParams, RestliSyntaxError, type RestliValue } from './restli.js';
import type { LinkedInCampaignRecord, LinkedInState } from './state.js';

function renderAccount(state: LinkedInState) {
  const a = state.adAccount;
  return {
    id: a.id,
    name: a.name,
    currency: a.currency,
    status: 'ACTIVE',
    type: 'BUSINESS',
    test: false,
    servingStatuses: ['RUNNABLE'],
    notifiedOnCampaignOptimization: false,
    notifiedOnCreativeApproval: false,
    notifiedOnCreativeRejection: false,
    notifiedOnEndOfCampaign: false,
    version: { versionTag: '1' },
  };
}

function renderCampaign(state: LinkedInState, r: LinkedInCampaignRecord) {
  const c = r.campaign;
  return {
    id: r.id,
    name: c.name,
    account: `${ACCOUNT_URN}${state.adAccount.id}`,
    campaignGroup: `urn:li:sponsoredCampaignGroup:${state.adAccount.id}`,
    status: c.status,
    type: 'SPONSORED_UPDATES',
    costType: 'CPM',
    format: 'SINGLE_IMAGE',
    objectiveType: 'LEAD_GENERATION',
    dailyBudget: { amount: c.dailyBudget.toFixed(2), currencyCode: state.adAccount.currency },
    runSchedule: { start: c.createdAt },
    locale: { country: 'US', language: 'en' },
    test: false,
    changeAuditStamps: { created: { time: c.createdAt }, lastModified: { time: c.createdAt } },
    version: { versionTag: '1' },
  };
}

/** `search=(status:(values:List(ACTIVE)))`: the only search facet the emulator filters on. */
function statusFilter(raw: string | undefined): Set<string> | undefined {
  if (raw === undefined) return undefined;
  const search = parseRestliValue(raw, 'search') as Record<string, RestliValue>;
  const values = (search.status as Record<string, RestliValue> | undefined)?.values;
  if (values === undefined) return undefined;
  if (!Array.isArray(values)) throw new RestliSyntaxError('search', 'status.values must be a List');
  return new Set(values.map(String));
}

export function accountRoutes(state: LinkedInState): Hono {
  const app = new Hono();
  app.get('/adAccounts', (c) => {
    if (c.req.query('q') !== 'search') return errors.invalidParam('q');
    const result = page([state.adAccount], c.req.query(), () => renderAccount(state));
    return result.ok ? c.json(result.body) : errors.invalidParam(result.param);
  });
  app.get('/adAccounts/:id', (c) => {
    if (c.req.param('id') !== String(state.adAccount.id)) return errors.notFound(`adAccounts/${c.req.param('id')}`);
    return c.json(renderAccount(state));
  });
  app.get('/adAccounts/:id/adCampaigns', (c) => {
    if (c.req.param('id') !== String(state.adAccount.id)) return errors.notFound(`adAccounts/${c.req.param('id')}`);
    if (c.req.query('q') !== 'search') return errors.invalidParam('q');
    let statuses: Set<string> | undefined;
    try {
      statuses = statusFilter(rawQueryParams(c.req.url).get('search'));
    } catch (e) {
      if (e instanceof RestliSyntaxError) return errors.invalidParam(e.param);
      throw e;
    }
    const items = [...state.campaigns.values()]
      .filter((r) => !statuses || statuses.has(r.campaign.status))
      .sort((a, b) => a.id - b.id);
    const result = page(items, c.req.query(), (r) => renderCampaign(state, r));
    return result.ok ? c.json(result.body) : errors.invalidParam(result.param);
  });
  return app;
}
