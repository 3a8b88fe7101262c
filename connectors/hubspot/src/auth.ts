// Access tokens of a HubSpot OAuth app (config `oauth`), from its refresh token: POST
// {baseUrl}/oauth/v1/token (refresh_token grant, form-encoded) through ctx.http (plugin kit's
// postTokenForm), so that the outbound address policy applies to it and to its redirects. A
// private-app token (config `accessToken`) needs none of this: it does not expire, HubSpot only
// refuses it once rotated or the app is deleted (401, HUBSPOT_TOKEN_REFUSED).
// - HubSpot's OAuth access tokens live 30 minutes (expires_in 1800); cached to a minute before
//   (plugin kit's token cache: one refresh in flight, reject(token) after a 401).
// - 400 BAD_REFRESH_TOKEN ("missing or unknown refresh token": the app was uninstalled from the
//   portal, or the token was deleted) / invalid_grant cannot be fixed by retrying: HUBSPOT_RECONNECT,
//   remembered, so that no further request goes out with that refresh token (no retry storm).
import { z } from 'zod';
import { RevloopError, type PluginContext } from '@revloop/core';
import { createTokenCache, postTokenForm, type TokenGrant } from '@revloop/plugin-kit/http';
import type { HubSpotConfig } from './config.js';
import { SCOPE_LIST } from './scopes.js';

const tokenSchema = z.looseObject({ access_token: z.string().min(1), expires_in: z.number().positive() });
/** HubSpot's error body ({status, message}), or the OAuth standard one ({error, error_description}) */
const errorSchema = z.looseObject({ status: z.string().optional(), message: z.string().optional(), error: z.string().optional(), error_description: z.string().optional() });

export interface HubSpotTokenSource {
  token(): Promise<string>;
  /** HubSpot answered 401 to this token: the next token() refreshes */
  reject(token: string): void;
  readonly refreshes: number;
}

export const RECONNECT_FIX = `install the HubSpot app in the portal again (its install URL, with the scopes ${SCOPE_LIST}) and put the refresh token of that install in connectors.<name>.oauth.refreshToken`;

export function createHubSpotTokenSource(ctx: PluginContext<HubSpotConfig>): HubSpotTokenSource {
  const oauth = ctx.config.oauth;
  if (!oauth) throw new Error('createHubSpotTokenSource: no oauth config');
  const where = `connectors.${ctx.name}.oauth`;
  const url = `${ctx.config.baseUrl.replace(/\/$/, '')}/oauth/v1/token`;

  async function refresh(): Promise<TokenGrant> {
    const unavailable = (reason: string) =>
      new RevloopError('HUBSPOT_OAUTH_UNAVAILABLE', `HubSpot's token endpoint did not answer (${reason})`, {
        where: `${where} (POST /oauth/v1/token)`,
        fix: 'try again later; check baseUrl and the network if this persists',
      });
    const form = { grant_type: 'refresh_token', client_id: oauth!.clientId, client_secret: oauth!.clientSecret, refresh_token: oauth!.refreshToken };
    const response = await postTokenForm(ctx, url, form, { unavailable });
    if (!response.ok) {
      const body = errorSchema.safeParse(response.json);
      const reason = (body.success && (body.data.status ?? body.data.error)) || `HTTP ${response.status}`;
      const detail = (body.success && (body.data.message ?? body.data.error_description)) || '';
      if (response.status === 400 || response.status === 401) throw refusal(reason, detail);
      throw unavailable(`${reason}${detail ? `: ${detail}` : ''}`);
    }
    const t = tokenSchema.parse(response.json);
    ctx.redactor.add(t.access_token);
    ctx.log.info({ expiresInS: t.expires_in }, 'hubspot access token refreshed');
    return { token: t.access_token, expiresAt: ctx.clock.now() + t.expires_in * 1000 };
  }

  /** the app credentials or the refresh token are wrong (bad input: remembered by the cache) */
  function refusal(reason: string, detail: string): RevloopError {
    if (reason === 'BAD_CLIENT_ID' || reason === 'BAD_CLIENT_SECRET' || reason === 'invalid_client') {
      return new RevloopError('HUBSPOT_OAUTH_CLIENT', `HubSpot refused the app credentials (${reason}: ${detail})`, {
        where: `${where}.clientId / clientSecret`,
        fix: "set oauth.clientId and oauth.clientSecret to the values on the app's Auth page in HubSpot's developer account",
        kind: 'bad_input',
      });
    }
    return new RevloopError('HUBSPOT_RECONNECT', `HubSpot refused the refresh token (${reason}: ${detail}): the app was uninstalled from the portal or the token was revoked`, {
      where: `${where}.refreshToken`,
      fix: RECONNECT_FIX.replace('<name>', ctx.name),
      kind: 'bad_input',
    });
  }

  return createTokenCache({ refresh, now: () => ctx.clock.now(), skewMs: 60_000 });
}
