// OAuth 2.0 access tokens for the Google Ads API from the refresh token (secure mode only).
// - POST {oauthTokenUrl} (https://oauth2.googleapis.com/token), form-encoded refresh-token grant,
//   through ctx.http (plugin kit's postTokenForm): the outbound address policy applies to it
// - the token is cached until a minute before its expires_in (plugin kit's token cache); a call
//   answered UNAUTHENTICATED (OAUTH_TOKEN_EXPIRED / _INVALID) rejects it, and the call is repeated
//   once with a fresh one
// - 400 invalid_grant ("Token has been expired or revoked.") cannot be fixed by retrying: the user
//   must consent again. It becomes GOOGLE_ADS_RECONNECT, remembered, so that no further request
//   goes to the token endpoint with that refresh token (no retry storm).
import { z } from 'zod';
import { RevloopError, type PluginContext } from '@revloop/core';
import { createTokenCache, postTokenForm, type TokenGrant } from '@revloop/plugin-kit/http';
import type { GoogleAdsConfig } from './config.js';

const tokenSchema = z.looseObject({ access_token: z.string().min(1), expires_in: z.number().positive().optional() });
const oauthErrorSchema = z.looseObject({ error: z.string(), error_description: z.string().optional() });

export const RECONNECT_FIX =
  'authorise the app again (OAuth consent with the https://www.googleapis.com/auth/adwords scope, by a user with access to the customer) and put the new refresh token in refreshToken; a refresh token stops working when the user removes the app\'s access, changes the password (Gmail scopes), after 6 months unused, or after 7 days while the OAuth consent screen is in "Testing"';

export interface GoogleTokenSource {
  token(): Promise<string>;
  /** the API refused this token (UNAUTHENTICATED): the next token() refreshes */
  reject(token: string): void;
  readonly refreshes: number;
}

export function createGoogleTokenSource(ctx: PluginContext<GoogleAdsConfig>): GoogleTokenSource {
  const where = `connectors.${ctx.name}`;

  async function refresh(): Promise<TokenGrant> {
    const c = ctx.config;
    const response = await postTokenForm(ctx, c.oauthTokenUrl, { grant_type: 'refresh_token', client_id: c.clientId, client_secret: c.clientSecret, refresh_token: c.refreshToken }, {
      unavailable: (reason) =>
        new RevloopError('GOOGLE_OAUTH_UNAVAILABLE', `Google's OAuth token endpoint did not answer: ${reason}`, {
          where: `${where}.oauthTokenUrl`,
          fix: 'try again later; check oauthTokenUrl (https://oauth2.googleapis.com/token) and the network if this persists',
        }),
    });
    if (!response.ok) throw refusal(response.status, response.json, response.text);
    const t = tokenSchema.parse(response.json);
    ctx.redactor.add(t.access_token);
    ctx.log.info({ expiresInS: t.expires_in }, 'google ads access token refreshed');
    return { token: t.access_token, expiresAt: ctx.clock.now() + (t.expires_in ?? 3600) * 1000 };
  }

  /** a 4xx from the token endpoint: the client or the refresh token is wrong (bad input: remembered) */
  function refusal(status: number, json: unknown, text: string): RevloopError {
    const parsed = oauthErrorSchema.safeParse(json);
    const error = parsed.success ? parsed.data.error : `HTTP ${status}`;
    const description = parsed.success ? (parsed.data.error_description ?? '') : text.slice(0, 200);
    if (error === 'invalid_client' || error === 'unauthorized_client') {
      return new RevloopError('GOOGLE_OAUTH_CLIENT', `Google refused the OAuth client (${error}: ${description})`, {
        where: `${where}.clientId / clientSecret`,
        fix: 'set clientId and clientSecret to the OAuth client of the Google Cloud project the refresh token was issued to (APIs & Services > Credentials)',
        kind: 'bad_input',
      });
    }
    return new RevloopError('GOOGLE_ADS_RECONNECT', `Google refused the refresh token (${error}: ${description}): it was revoked or has expired`, {
      where: `${where}.refreshToken`,
      fix: RECONNECT_FIX,
      kind: 'bad_input',
    });
  }

  return createTokenCache({ refresh, now: () => ctx.clock.now(), skewMs: 60_000 });
}
