// Authenticators for vendorClient(): they add the credential to each request and, for OAuth2,
// refresh the access token before it expires and once after a 401 (token-cache.ts). Every token
// they see is registered with the runtime's redactor, so that it never reaches a log, error or row.
import { z } from 'zod';
import { RevloopError, type PluginContext } from '@revloop/core';
import { createTokenCache, type TokenCache, type TokenGrant } from './token-cache.js';
import { postTokenForm } from './token-request.js';

const tokenResponseSchema = z.looseObject({
  access_token: z.string().min(1),
  /** seconds */
  expires_in: z.coerce.number().positive().optional(),
  refresh_token: z.string().min(1).optional(),
});

export interface Authenticator {
  /** headers that authenticate one request */
  headers(ctx: PluginContext<any>): Promise<Record<string, string>>;
  /**
   * after a 401: renew the credential; true when a retry may succeed. `refused`: the headers the
   * 401 answered (so that a token another request already replaced is not dropped again)
   */
  renew?(ctx: PluginContext<any>, refused?: Record<string, string>): Promise<boolean>;
}

type Value = string | ((ctx: PluginContext<any>) => string);
const valueOf = (v: Value, ctx: PluginContext<any>) => (typeof v === 'function' ? v(ctx) : v);

/** `Authorization: Bearer <token>` (an API key or a long-lived token), e.g. bearer((ctx) => ctx.config.apiKey) */
export function bearer(token: Value, options: { header?: string; scheme?: string } = {}): Authenticator {
  const header = options.header ?? 'authorization';
  const scheme = options.scheme ?? 'Bearer';
  return {
    async headers(ctx) {
      const t = valueOf(token, ctx);
      ctx.redactor.add(t);
      return { [header]: scheme ? `${scheme} ${t}` : t };
    },
  };
}

export interface OAuth2RefreshOptions {
  /** the vendor's token endpoint (absolute URL) */
  tokenUrl: Value;
  clientId: Value;
  clientSecret: Value;
  refreshToken: Value;
  scope?: string;
  /** refresh this long before the token's expiry, ms (default 60 s) */
  skewMs?: number;
  /** where a rotated refresh token is kept (ctx.state key; default "oauth2.refreshToken") */
  stateKey?: string;
}

/**
 * OAuth2 refresh-token grant. The access token lives in a token cache (token-cache.ts) per plugin
 * context: renewed before expiry (by ctx.clock) or after a 401 (that token rejected), one refresh
 * at a time, and a refusal of the grant (400/401 from the token endpoint: invalid_grant,
 * invalid_client) remembered for the run, so that no request goes out with that refresh token again.
 * A refresh token the vendor rotates is kept in ctx.state, because the one in the config stops
 * working after the first rotation. The token request is postTokenForm's: through ctx.http (the
 * outbound address policy applies to the token URL and its redirects), retries waiting on ctx.clock.
 */
export function oauth2Refresh(options: OAuth2RefreshOptions): Authenticator {
  const skewMs = options.skewMs ?? 60_000;
  const stateKey = options.stateKey ?? 'oauth2.refreshToken';
  const caches = new WeakMap<PluginContext<any>, TokenCache>();

  async function refresh(ctx: PluginContext<any>): Promise<TokenGrant> {
    const refreshToken = (await ctx.state.get<string>(stateKey)) ?? valueOf(options.refreshToken, ctx);
    const clientSecret = valueOf(options.clientSecret, ctx);
    ctx.redactor.add(clientSecret);
    ctx.redactor.add(refreshToken);
    const form: Record<string, string> = { grant_type: 'refresh_token', refresh_token: refreshToken, client_id: valueOf(options.clientId, ctx), client_secret: clientSecret };
    if (options.scope) form.scope = options.scope;
    const url = valueOf(options.tokenUrl, ctx);
    const failed = (detail: string, refused: boolean, cause?: unknown) =>
      new RevloopError('AUTH_REFRESH_FAILED', `${ctx.name}: the OAuth2 token refresh at ${url} failed: ${ctx.redactor.text(detail)}`, {
        where: `connectors.${ctx.name}`,
        fix: 'check clientId, clientSecret and refreshToken (a revoked or rotated refresh token needs a new consent), then run again',
        ...(cause ? { cause } : {}),
        // the endpoint refused the credential: remembered by the token cache, not sent again
        kind: refused ? 'bad_input' : 'failure',
      });
    // an address the outbound policy refuses throws its own error (naming the setting and the fix)
    const answer = await postTokenForm(ctx, url, form, { retries: 2, unavailable: (reason, cause) => failed(reason, false, cause) });
    if (!answer.ok) throw failed(`HTTP ${answer.status}: ${answer.text.slice(0, 300)}`, answer.status === 400 || answer.status === 401);
    const checked = tokenResponseSchema.safeParse(answer.json);
    if (!checked.success) throw failed(`unexpected answer: ${checked.error.message}`, false);
    const parsed = checked.data;
    ctx.redactor.add(parsed.access_token);
    if (parsed.refresh_token && parsed.refresh_token !== refreshToken) {
      ctx.redactor.add(parsed.refresh_token);
      await ctx.state.set(stateKey, parsed.refresh_token);
    }
    return { token: parsed.access_token, expiresAt: ctx.clock.now() + (parsed.expires_in ?? 3600) * 1000 };
  }

  function cacheOf(ctx: PluginContext<any>): TokenCache {
    let cache = caches.get(ctx);
    if (!cache) caches.set(ctx, (cache = createTokenCache({ refresh: () => refresh(ctx), now: () => ctx.clock.now(), skewMs })));
    return cache;
  }

  return {
    async headers(ctx) {
      return { authorization: `Bearer ${await cacheOf(ctx).token()}` };
    },
    async renew(ctx, refused) {
      const cache = cacheOf(ctx);
      const token = /^Bearer (.+)$/i.exec(refused?.authorization ?? '')?.[1];
      // without the refused headers: whatever is cached now is dropped
      cache.reject(token ?? (await cache.token()));
      await cache.token();
      return true;
    },
  };
}
