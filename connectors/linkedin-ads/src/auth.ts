// OAuth 2.0 access tokens from the refresh token (LinkedIn's 3-legged flow, refresh leg only).
// - POST {oauthBaseUrl}/oauth/v2/accessToken, application/x-www-form-urlencoded (JSON is refused),
//   through ctx.http (plugin kit's postTokenForm): the outbound address policy applies to it
// - LinkedIn answers with the SAME refresh token (its own expiry counts down): nothing to store
// - invalid_grant (revoked/expired refresh token) cannot be fixed by retrying: the member must
//   authorise the app again, so it becomes a "reconnect" error with the fix, remembered for the run
//   (plugin kit's token cache): no further token request goes out with that refresh token.
// The access token is cached in memory and in ctx.state (so that a restart does not refresh); a
// token given in config (accessToken) is used until LinkedIn refuses it.
import { z } from 'zod';
import { RevloopError, type PluginContext } from '@revloop/core';
import { createTokenCache, postTokenForm, type TokenGrant } from '@revloop/plugin-kit/http';
import type { LinkedInAdsConfig } from './config.js';

const tokenResponseSchema = z.looseObject({
  access_token: z.string().min(1),
  expires_in: z.number().positive(),
  refresh_token: z.string().optional(),
  refresh_token_expires_in: z.number().optional(),
});
const oauthErrorSchema = z.looseObject({ error: z.string(), error_description: z.string().optional() });

export const STATE_KEY = 'oauth:access-token';
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
  readonly refreshes: number;
}

export function createTokenSource(ctx: PluginContext<LinkedInAdsConfig>): TokenSource {
  const where = `connectors.${ctx.name}`;

  async function refresh(): Promise<TokenGrant> {
    const { oauthBaseUrl, clientId, clientSecret, refreshToken } = ctx.config;
    const response = await postTokenForm(ctx, `${oauthBaseUrl}/oauth/v2/accessToken`, { grant_type: 'refresh_token', refresh_token: refreshToken, client_id: clientId, client_secret: clientSecret }, {
      unavailable: (reason, cause) =>
        new RevloopError('LINKEDIN_OAUTH_UNAVAILABLE', `LinkedIn's token endpoint did not answer: ${reason}`, {
          where: `${where}.oauthBaseUrl`,
          fix: 'try again later; check oauthBaseUrl if this persists',
          cause,
        }),
    });
    if (!response.ok) throw refusal(response.status, response.json, response.text);
    const token = tokenResponseSchema.parse(response.json);
    ctx.redactor.add(token.access_token);
    const stored: CachedToken = { accessToken: token.access_token, expiresAt: ctx.clock.now() + token.expires_in * 1000 };
    await ctx.state.set(STATE_KEY, stored);
    ctx.log.info({ expiresInS: token.expires_in, refreshTokenExpiresInS: token.refresh_token_expires_in }, 'linkedin access token refreshed');
    return { token: stored.accessToken, expiresAt: stored.expiresAt };
  }

  /** a 4xx from the token endpoint: the app or the refresh token is wrong (bad input: remembered) */
  function refusal(status: number, json: unknown, text: string): RevloopError {
    const parsed = oauthErrorSchema.safeParse(json);
    const error = parsed.success ? parsed.data.error : `HTTP ${status}`;
    const description = parsed.success ? (parsed.data.error_description ?? '') : text.slice(0, 200);
    if (error === 'invalid_client') {
      return new RevloopError('LINKEDIN_OAUTH_CLIENT', `LinkedIn refused the app credentials (invalid_client): ${description}`, {
        where: `${where}.clientId / clientSecret`,
        fix: "set clientId and clientSecret to the values on the app's Auth page in LinkedIn's developer portal",
        kind: 'bad_input',
      });
    }
    return new RevloopError('LINKEDIN_RECONNECT', `LinkedIn refused the refresh token (${error}: ${description}); it was revoked, expired (365 days) or belongs to another app`, {
      where: `${where}.refreshToken`,
      fix: 'reconnect LinkedIn: authorise the app again (3-legged OAuth with scopes r_ads, rw_ads, r_ads_reporting, rw_conversions) and put the new refresh token in refreshToken',
      kind: 'bad_input',
    });
  }

  /** before the first refresh: the token kept by an earlier run, else the one in config */
  async function initial(): Promise<TokenGrant | undefined> {
    const stored = await ctx.state.get<CachedToken>(STATE_KEY);
    if (stored?.accessToken) {
      ctx.redactor.add(stored.accessToken);
      return { token: stored.accessToken, expiresAt: stored.expiresAt };
    }
    return ctx.config.accessToken ? { token: ctx.config.accessToken } : undefined;
  }

  const cache = createTokenCache({ refresh, now: () => ctx.clock.now(), skewMs: EXPIRY_MARGIN_MS, initial });
  return {
    get refreshes() {
      return cache.refreshes;
    },
    token: () => cache.token(),
    async reject(token) {
      if (cache.reject(token)) await ctx.state.delete(STATE_KEY);
    },
  };
}
