// `revloop check --live` for HubSpot: read-only calls that show what would fail later.
// - Scopes: a private app's token → POST /oauth/v2/private-apps/get/access-token-info {tokenKey};
//   an OAuth app's → GET /oauth/v1/access-tokens/{token}. Each scope in src/scopes.ts that the
//   token lacks is a stream or action that would answer 403 MISSING_SCOPES.
// - Daily limit: the X-HubSpot-RateLimit-Daily / -Daily-Remaining headers of one cheap read (HubSpot
//   sends them to private apps, not to OAuth apps: then it is unknown).
import { z } from 'zod';
import type { LiveCheckFinding, PluginContext } from '@revloop/core';
import { hubspotFor } from './client.js';
import type { HubSpotConfig } from './config.js';
import { HUBSPOT_SCOPES } from './scopes.js';

const privateAppInfo = z.looseObject({ hubId: z.number().optional(), appId: z.number().optional(), scopes: z.array(z.string()) });
const oauthInfo = z.looseObject({ hub_id: z.number().optional(), app_id: z.number().optional(), scopes: z.array(z.string()) });

export async function hubspotLiveCheck(ctx: PluginContext<HubSpotConfig>): Promise<LiveCheckFinding[]> {
  const api = hubspotFor(ctx);
  const token = await api.accessToken();
  const findings: LiveCheckFinding[] = [];

  const info = ctx.config.oauth
    ? oauthInfo.parse(await api.request('OAuth token metadata', { path: `/oauth/v1/access-tokens/${encodeURIComponent(token)}` }))
    : privateAppInfo.parse(await api.request('private app token info', { method: 'POST', path: '/oauth/v2/private-apps/get/access-token-info', body: { tokenKey: token } }));
  const granted = new Set(info.scopes);
  const hub = 'hubId' in info ? info.hubId : info.hub_id;
  const missing = HUBSPOT_SCOPES.filter(([scope]) => !granted.has(scope));
  if (!missing.length) findings.push({ what: 'token scopes', ok: true, detail: `all ${HUBSPOT_SCOPES.length} scopes the connector uses are granted (portal ${hub ?? '?'})` });
  for (const [scope, usedBy] of missing) {
    findings.push({
      what: `scope ${scope}`,
      ok: false,
      detail: `not granted to the ${ctx.config.oauth ? 'OAuth app' : 'private app'}: ${usedBy} would answer 403 MISSING_SCOPES`,
      fix: ctx.config.oauth
        ? `add ${scope} to the app's scopes and install it in the portal again (new refresh token in oauth.refreshToken)`
        : `add ${scope} in HubSpot (Settings → Integrations → Private apps → your app → Scopes), then commit the change`,
    });
  }

  const res = await api.call('daily limit', (sdk) => sdk.apiRequest({ method: 'GET', path: '/crm/v3/objects/contacts', qs: { limit: '1' } }));
  await res.text();
  const limit = Number(res.headers.get('x-hubspot-ratelimit-daily'));
  const remaining = Number(res.headers.get('x-hubspot-ratelimit-daily-remaining'));
  if (!res.headers.has('x-hubspot-ratelimit-daily') || !Number.isFinite(limit) || !Number.isFinite(remaining)) {
    findings.push({ what: 'daily API limit', ok: true, unknown: true, detail: 'HubSpot sent no daily-limit headers (it does not to OAuth apps)', fix: "see the portal's API usage (Settings → Integrations → Private apps / Connected apps → your app → Logs)" });
  } else {
    const ok = remaining > 0;
    findings.push({
      what: 'daily API limit',
      ok,
      detail: `${remaining} of ${limit} requests remaining today${limit < ctx.config.rateLimits.daily ? `; rateLimits.daily (${ctx.config.rateLimits.daily}) is above the portal's limit` : ''}`,
      ...(ok ? {} : { fix: "the limit resets at midnight in the portal's time zone; HubSpot's API limit increase add-on raises it" }),
    });
    if (ok && limit < ctx.config.rateLimits.daily) {
      findings.push({ what: 'rateLimits.daily', ok: true, detail: `configured ${ctx.config.rateLimits.daily}, the portal allows ${limit}: syncs stop at the portal's limit (RATE_LIMIT_EXHAUSTED) rather than pacing below it`, fix: `set rateLimits.daily: ${limit} in connectors.${ctx.name}` });
    }
  }
  return findings;
}
