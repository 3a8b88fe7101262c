// OAuth 2.0 access tokens from the refresh token (LinkedIn's 3-legged flow, refresh leg only).
// - POST {oauthBaseUrl}/oauth/v2/accessToken, application/x-www-form-urlencoded (JSON is refused)
// - LinkedIn answers with the SAME refresh token (its own expiry counts down): nothing to store
// - invalid_grant (revoked/expired refresh token) cannot be fixed by retrying: the member must
//   authorise the app again, so it becomes a "reconnect" error with the fix.
// The access token is cached in memory and in ctx.state (so that a restart does not refresh).
import { z } from 'zod';
import { RevloopError, type PluginContext } from '@revloop/core';
import type { LinkedInAdsConfig } from './config.js';

const tokenResponseSchema = z.looseObject({
  access_token: z.string().min(1),
  expires_in: z.number().positive(),
  refresh_token: z.string().optional(),
  refresh_token_expires_in: z.number().optional(),
});
const oauthErrorSchema = z.looseObject({ error: z.string(), error_description: z.string().optional() });

const STATE_KEY = 'oauth:access-token';
/** refresh this long before LinkedIn's expiry */
const EXPIRY_MARGIN_MS = 5 * 60_000;

interface CachedToken {
  accessToken: string;
  /** epoch ms; undefined for a token from config (expiry unknown) */
  expiresAt?: number;
}

export interface TokenSource {
  token(): Promise<string>;
  /** the vendor refused this token (401): forget it so that the next token() refreshes */
  reject(token: string): Promise<void>;
  refreshes: number;
}

export function createTokenSource(ctx: PluginContext<LinkedInAdsConfig>): TokenSource {
  let cached: CachedToken | undefined;
  let loaded = false;
  let configTokenRejected = false;
  let inflight: Promise<string> | undefined;
  // a refused refresh token stays refused for this runtime: no token request is sent again
  let refused: RevloopError | undefined;

  const fresh = (t: CachedToken | undefined) => !!t && (t.expiresAt === undefined || t.expiresAt - EXPIRY_MARGIN_MS > ctx.clock.now());

  async function refresh(): Promise<string> {
    const { oauthBaseUrl, clientId, clientSecret, refreshToken } = ctx.config;
    const body = new URLSearchParams({ grant_type: 'refresh_token', refresh_token: refreshToken, client_id: clientId, client_secret: clientSecret });
    const url = `${oauthBaseUrl}/oauth/v2/accessToken`;
    let response: Response | undefined;
    let lastError: unknown;
    for (let attempt = 0; attempt <= 3; attempt++) {
      try {
        response = await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: body.toString(), signal: ctx.signal });
        if (response.status < 500 && response.status !== 429) break;
        lastError = new Error(`HTTP ${response.status}`);
      } catch (e) {
        lastError = e;
        response = undefined;
      }
      await ctx.clock.sleep(500 * 2 ** attempt);
    }
    if (!response || response.status >= 500 || response.status === 429) {
      throw new RevloopError('LINKEDIN_OAUTH_UNAVAILABLE', `LinkedIn's token endpoint did not answer: ${String((lastError as Error)?.message ?? lastError)}`, {
        where: `connectors.${ctx.name}.oauthBaseUrl`,
        fix: 'try again later; check oauthBaseUrl if this persists',
        cause: lastError,
      });
    }
    const text = await response.text();
    if (!response.ok) {
      const parsed = oauthErrorSchema.safeParse(safeJson(text));
      const error = parsed.success ? parsed.data.error : `HTTP ${response.status}`;
      const description = parsed.success ? (parsed.data.error_description ?? '') : text.slice(0, 200);
      if (error === 'invalid_client') {
        throw (refused = new RevloopError('LINKEDIN_OAUTH_CLIENT', `LinkedIn refused the app credentials (invalid_client): ${description}`, {
          where: `connectors.${ctx.name}.clientId / clientSecret`,
          fix: "set clientId and clientSecret to the values on the app's Auth page in LinkedIn's developer portal",
          kind: 'bad_input',
        }));
      }
      throw (refused = new RevloopError('LINKEDIN_RECONNECT', `LinkedIn refused the refresh token (${error}: ${description}); it was revoked, expired (365 days) or belongs to another app`, {
        where: `connectors.${ctx.name}.refreshToken`,
        fix: 'reconnect LinkedIn: authorise the app again (3-legged OAuth with scopes r_ads, rw_ads, r_ads_reporting, rw_conversions) and put the new refresh token in refreshToken',
        kind: 'bad_input',
      }));
    }
    const token = tokenResponseSchema.parse(safeJson(text));
    ctx.redactor.add(token.access_token);
    cached = { accessToken: token.access_token, expiresAt: ctx.clock.now() + token.expires_in * 1000 };
    await ctx.state.set(STATE_KEY, cached);
    ctx.log.info({ expiresInS: token.expires_in, refreshTokenExpiresInS: token.refresh_token_expires_in }, 'linkedin access token refreshed');
    source.refreshes++;
    return token.access_token;
  }

  const source: TokenSource = {
    refreshes: 0,
    async token() {
      if (!loaded) {
        loaded = true;
        const stored = await ctx.state.get<CachedToken>(STATE_KEY);
        if (stored?.accessToken) {
          ctx.redactor.add(stored.accessToken);
          cached = stored;
        }
      }
      if (fresh(cached)) return cached!.accessToken;
      if (refused) throw refused;
      if (!cached && ctx.config.accessToken && !configTokenRejected) return ctx.config.accessToken;
      // one refresh at a time, shared by concurrent callers
      inflight ??= refresh().finally(() => (inflight = undefined));
      return inflight;
    },
    async reject(token) {
      if (token === ctx.config.accessToken) configTokenRejected = true;
      if (cached?.accessToken === token) {
        cached = undefined;
        await ctx.state.delete(STATE_KEY);
      }
    },
  };
  return source;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
