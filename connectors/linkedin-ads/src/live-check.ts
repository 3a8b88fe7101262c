// `revloop check --live` for LinkedIn: read-only calls that show what would fail later.
// - LinkedIn-Version: the ad account read with the pinned version (426 = sunset: every call would
//   fail), and the version's sunset date by LinkedIn's calendar.
// - Ad account access: the same read (403 when the member has no role on the account).
// - Scopes: POST {oauthBaseUrl}/oauth/v2/introspectToken with the access token (through ctx.http:
//   the outbound policy applies): the scopes the member granted against the four the streams and
//   actions need.
import { z } from 'zod';
import { isRevloopError, type LiveCheckFinding, type PluginContext } from '@revloop/core';
import { postTokenForm, type TokenEndpointAnswer } from '@revloop/plugin-kit/http';
import { STATE_KEY } from './auth.js';
import { clientFor } from './client.js';
import { apiVersionOf, type LinkedInAdsConfig } from './config.js';
import { sunsetOf } from './version.js';

/** scope → what needs it */
export const LINKEDIN_SCOPES: ReadonlyArray<readonly [string, string]> = [
  ['r_ads', 'campaigns (read ad accounts and campaigns)'],
  ['rw_ads', 'sync-audience (DMP segments)'],
  ['r_ads_reporting', 'campaign-analytics (adAnalytics)'],
  ['rw_conversions', 'upload-conversions (conversionEvents)'],
];

const introspection = z.looseObject({ active: z.boolean(), scope: z.string().optional(), expires_at: z.number().optional() });
const account = z.looseObject({ id: z.union([z.number(), z.string()]), status: z.string().optional(), name: z.string().optional() });

export async function linkedInLiveCheck(ctx: PluginContext<LinkedInAdsConfig>): Promise<LiveCheckFinding[]> {
  const c = ctx.config;
  const version = apiVersionOf(c);
  const findings: LiveCheckFinding[] = [];
  const sunset = sunsetOf(version);
  try {
    const a = account.parse(await clientFor(ctx).json(`/rest/adAccounts/${c.adAccountId}`, { what: 'read the ad account' }));
    findings.push({ what: `LinkedIn-Version ${version}`, ok: true, detail: `answers; sunset on ${sunset.date}${sunset.published ? '' : ' (estimated: a year after release)'}` });
    const active = !a.status || a.status === 'ACTIVE';
    findings.push({
      what: `ad account ${c.adAccountId}`,
      ok: true,
      detail: `readable${a.name ? ` ("${a.name}")` : ''}, status ${a.status ?? '?'}${active ? '' : ': syncs read it, ads do not serve'}`,
    });
  } catch (e) {
    if (isRevloopError(e) && e.code === 'LINKEDIN_VERSION_SUNSET') {
      findings.push({ what: `LinkedIn-Version ${version}`, ok: false, detail: e.message, ...(e.fix ? { fix: e.fix } : {}) });
      return findings;
    }
    throw e;
  }

  const stored = await ctx.state.get<{ accessToken: string }>(STATE_KEY);
  const token = stored?.accessToken ?? c.accessToken;
  if (!token) return [...findings, { what: 'scopes', ok: true, unknown: true, detail: 'no access token to introspect' }];
  // through ctx.http (postTokenForm): the app's secret goes only where the outbound policy allows
  let answer: TokenEndpointAnswer | undefined;
  let unanswered = '';
  try {
    answer = await postTokenForm(ctx, `${c.oauthBaseUrl}/oauth/v2/introspectToken`, { client_id: c.clientId, client_secret: c.clientSecret, token }, { retries: 0, unavailable: (reason) => new Error(reason) });
  } catch (e) {
    if (isRevloopError(e)) throw e; // an address the outbound policy refuses: the check fails with it
    unanswered = (e as Error).message;
  }
  const body = introspection.safeParse(answer?.json);
  if (!answer?.ok || !body.success) {
    const detail = answer ? `token introspection answered HTTP ${answer.status}` : `token introspection did not answer (${unanswered})`;
    return [...findings, { what: 'scopes', ok: true, unknown: true, detail, fix: 'check clientId and clientSecret (introspection authenticates the app)' }];
  }
  if (!body.data.active) return [...findings, { what: 'access token', ok: false, detail: 'introspection says the access token is not active', fix: 'run the check again (it refreshes the token); if it persists, reconnect LinkedIn' }];
  const granted = new Set((body.data.scope ?? '').split(/[,\s]+/).filter(Boolean));
  const missing = LINKEDIN_SCOPES.filter(([s]) => !granted.has(s));
  if (!missing.length) findings.push({ what: 'token scopes', ok: true, detail: `${LINKEDIN_SCOPES.map(([s]) => s).join(', ')} granted` });
  for (const [scope, usedBy] of missing) {
    findings.push({
      what: `scope ${scope}`,
      ok: false,
      detail: `not granted: ${usedBy} would answer 403`,
      fix: `add ${scope} to the app's products in LinkedIn's developer portal (Advertising API / Conversions API), authorise again and put the new refresh token in refreshToken`,
    });
  }
  return findings;
}
