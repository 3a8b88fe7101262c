// Access tokens of a HubSpot OAuth app (config `oauth`), from its refresh token: POST /oauth/v1/token
// (refresh_token grant) through the SDK's oauth.tokensApi. A private-app token (config
// `accessToken`) needs none of this: it does not expire, HubSpot only refuses it once rotated or
// the app is deleted (401, HUBSPOT_TOKEN_REFUSED).
// - HubSpot's OAuth access tokens live 30 minutes (expires_in 1800); cached to a minute before.
// - 400 BAD_REFRESH_TOKEN ("missing or unknown refresh token": the app was uninstalled from the
//   portal, or the token was deleted) / invalid_grant cannot be fixed by retrying: HUBSPOT_RECONNECT,
//   remembered, so that no further request goes out with that refresh token (no retry storm).
import { Client } from '@hubspot/api-client';
import { RevloopError, type PluginContext } from '@revloop/core';
import type { HubSpotConfig } from './config.js';
import { SCOPE_LIST } from './scopes.js';

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
  const sdk = new Client({ basePath: ctx.config.baseUrl.replace(/\/$/, ''), numberOfApiCallRetries: 0 });
  const where = `connectors.${ctx.name}.oauth`;
  let cached: { token: string; expiresAt: number } | undefined;
  let refused: RevloopError | undefined;
  let inflight: Promise<string> | undefined;
  let refreshes = 0;

  async function refresh(): Promise<string> {
    for (let attempt = 0; ; attempt++) {
      try {
        const r = await sdk.oauth.tokensApi.create('refresh_token', undefined, undefined, oauth!.clientId, oauth!.clientSecret, oauth!.refreshToken);
        ctx.redactor.add(r.accessToken);
        cached = { token: r.accessToken, expiresAt: ctx.clock.now() + (r.expiresIn - 60) * 1000 };
        refreshes++;
        ctx.log.info({ expiresInS: r.expiresIn }, 'hubspot access token refreshed');
        return r.accessToken;
      } catch (e) {
        const { code, body } = e as { code?: number; body?: { status?: string; error?: string; message?: string; error_description?: string } };
        const reason = body?.status ?? body?.error ?? `HTTP ${code ?? '?'}`;
        const detail = body?.message ?? body?.error_description ?? '';
        if (code === 400 || code === 401) {
          refused =
            reason === 'BAD_CLIENT_ID' || reason === 'BAD_CLIENT_SECRET' || reason === 'invalid_client'
              ? new RevloopError('HUBSPOT_OAUTH_CLIENT', `HubSpot refused the app credentials (${reason}: ${detail})`, {
                  where: `${where}.clientId / clientSecret`,
                  fix: "set oauth.clientId and oauth.clientSecret to the values on the app's Auth page in HubSpot's developer account",
                  kind: 'bad_input',
                })
              : new RevloopError('HUBSPOT_RECONNECT', `HubSpot refused the refresh token (${reason}: ${detail}): the app was uninstalled from the portal or the token was revoked`, {
                  where: `${where}.refreshToken`,
                  fix: RECONNECT_FIX.replace('<name>', ctx.name),
                  kind: 'bad_input',
                });
          throw refused;
        }
        if (attempt >= 3) {
          throw new RevloopError('HUBSPOT_OAUTH_UNAVAILABLE', `HubSpot's token endpoint did not answer (${reason}${detail ? `: ${detail}` : ''})`, {
            where: `${where} (POST /oauth/v1/token)`,
            fix: 'try again later; check baseUrl and the network if this persists',
          });
        }
        await ctx.clock.sleep(500 * 2 ** attempt);
      }
    }
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
