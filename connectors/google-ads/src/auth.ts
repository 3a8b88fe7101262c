// OAuth 2.0 access tokens for the Google Ads API from the refresh token (secure mode only).
// - POST {oauthTokenUrl} (https://oauth2.googleapis.com/token), form-encoded refresh-token grant
// - the token is cached until a minute before its expires_in; a call answered UNAUTHENTICATED
//   (OAUTH_TOKEN_EXPIRED / _INVALID) drops it, and the call is repeated once with a fresh one
// - 400 invalid_grant ("Token has been expired or revoked.") cannot be fixed by retrying: the user
//   must consent again. It becomes GOOGLE_ADS_RECONNECT, remembered, so that no further request
//   goes to the token endpoint with that refresh token (no retry storm).
import { z } from 'zod';
import { RevloopError, type PluginContext } from '@revloop/core';
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
  let cached: { token: string; expiresAt: number } | undefined;
  let refused: RevloopError | undefined;
  let inflight: Promise<string> | undefined;
  let refreshes = 0;
  const where = `connectors.${ctx.name}`;

  async function refresh(): Promise<string> {
    const c = ctx.config;
    const body = new URLSearchParams({ grant_type: 'refresh_token', client_id: c.clientId, client_secret: c.clientSecret, refresh_token: c.refreshToken }).toString();
    let response: Response | undefined;
    let lastError: unknown;
    for (let attempt = 0; attempt <= 3; attempt++) {
      try {
        response = await fetch(c.oauthTokenUrl, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body, signal: ctx.signal });
        if (response.status < 500 && response.status !== 429) break;
        lastError = new Error(`HTTP ${response.status}`);
        await response.arrayBuffer();
      } catch (e) {
        lastError = e;
      }
      response = undefined;
      if (attempt < 3) await ctx.clock.sleep(500 * 2 ** attempt);
    }
    if (!response) {
      throw new RevloopError('GOOGLE_OAUTH_UNAVAILABLE', `Google's OAuth token endpoint did not answer: ${(lastError as Error)?.message ?? String(lastError)}`, {
        where: `${where}.oauthTokenUrl`,
        fix: 'try again later; check oauthTokenUrl (https://oauth2.googleapis.com/token) and the network if this persists',
      });
    }
    const text = await response.text();
    if (!response.ok) {
      const parsed = oauthErrorSchema.safeParse(safeJson(text));
      const error = parsed.success ? parsed.data.error : `HTTP ${response.status}`;
      const description = parsed.success ? (parsed.data.error_description ?? '') : text.slice(0, 200);
      if (error === 'invalid_client' || error === 'unauthorized_client') {
        refused = new RevloopError('GOOGLE_OAUTH_CLIENT', `Google refused the OAuth client (${error}: ${description})`, {
          where: `${where}.clientId / clientSecret`,
          fix: 'set clientId and clientSecret to the OAuth client of the Google Cloud project the refresh token was issued to (APIs & Services > Credentials)',
          kind: 'bad_input',
        });
      } else {
        refused = new RevloopError('GOOGLE_ADS_RECONNECT', `Google refused the refresh token (${error}: ${description}): it was revoked or has expired`, {
          where: `${where}.refreshToken`,
          fix: RECONNECT_FIX,
          kind: 'bad_input',
        });
      }
      throw refused;
    }
    const t = tokenSchema.parse(safeJson(text));
    ctx.redactor.add(t.access_token);
    cached = { token: t.access_token, expiresAt: ctx.clock.now() + ((t.expires_in ?? 3600) - 60) * 1000 };
    refreshes++;
    ctx.log.info({ expiresInS: t.expires_in }, 'google ads access token refreshed');
    return t.access_token;
  }

  return {
    get refreshes() {
      return refreshes;
    },
    async token() {
      if (refused) throw refused;
      if (cached && cached.expiresAt > ctx.clock.now()) return cached.token;
      inflight ??= refresh().finally(() => (inflight = undefined));
      return inflight;
    },
    reject(token) {
      if (cached?.token === token) cached = undefined;
    },
  };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
