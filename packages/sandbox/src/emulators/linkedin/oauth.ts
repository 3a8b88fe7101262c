// POST /oauth/v2/accessToken (www.linkedin.com in production), grant_type=refresh_token only.
// LinkedIn keeps the same refresh token on refresh; refresh_token_expires_in counts down.
// POST /oauth/v2/introspectToken: an access token's status and scopes ({active:false} otherwise).
import { Hono } from 'hono';
import type { LinkedInState } from './state.js';

export interface OAuthOptions {
  clientId: string;
  clientSecret: string;
  accessTokenTtlMs: () => number; // 0 = LinkedIn's default 60 days, not enforced
  refreshTokenTtlMs: number;
  /** the scopes the member granted (introspection answers them comma-separated) */
  scopes?: string[];
}

/** what revloop's connector asks for */
export const DEFAULT_LINKEDIN_SCOPES = ['r_ads', 'rw_ads', 'r_ads_reporting', 'rw_conversions'];

const SIXTY_DAYS_S = 60 * 86_400;

const oauthError = (status: number, error: string, description: string) =>
  Response.json({ error, error_description: description }, { status });

export function oauthRoutes(state: LinkedInState, options: OAuthOptions): Hono {
  const app = new Hono();
  app.post('/oauth/v2/accessToken', async (c) => {
    if (!(c.req.header('content-type') ?? '').includes('application/x-www-form-urlencoded'))
      return oauthError(400, 'invalid_request', 'A required parameter "grant_type" is missing');
    const form = new URLSearchParams(await c.req.text());
    const grant = form.get('grant_type');
    if (!grant) return oauthError(400, 'invalid_request', 'A required parameter "grant_type" is missing');
    if (grant !== 'refresh_token') return oauthError(400, 'unsupported_grant_type', `The grant type "${grant}" is not supported`);
    const refresh = form.get('refresh_token');
    if (!refresh) return oauthError(400, 'invalid_request', 'A required parameter "refresh_token" is missing');
    if (form.get('client_id') !== options.clientId || form.get('client_secret') !== options.clientSecret)
      return oauthError(401, 'invalid_client', 'Client authentication failed');
    const issuedAt = state.refreshTokenIssuedAt(refresh, options.refreshTokenTtlMs);
    if (issuedAt === undefined)
      return oauthError(400, 'invalid_grant', 'The provided authorization grant or refresh token is invalid, expired or revoked');
    const ttl = options.accessTokenTtlMs();
    return c.json({
      access_token: state.issueAccessToken(),
      expires_in: ttl > 0 ? Math.floor(ttl / 1000) : SIXTY_DAYS_S,
      refresh_token: refresh,
      refresh_token_expires_in: Math.floor((issuedAt + options.refreshTokenTtlMs - state.now()) / 1000),
    });
  });
  app.post('/oauth/v2/introspectToken', async (c) => {
    const form = new URLSearchParams(await c.req.text());
    if (form.get('client_id') !== options.clientId || form.get('client_secret') !== options.clientSecret)
      return oauthError(401, 'invalid_client', 'Client authentication failed');
    const token = form.get('token') ?? '';
    const check = state.checkAccessToken(token, options.accessTokenTtlMs());
    if (check !== 'ok') return c.json({ active: false });
    const now = Math.floor(state.now() / 1000);
    const ttl = options.accessTokenTtlMs();
    return c.json({
      active: true,
      client_id: options.clientId,
      authorized_at: now,
      created_at: now,
      status: 'active',
      expires_at: now + (ttl > 0 ? Math.floor(ttl / 1000) : SIXTY_DAYS_S),
      scope: (options.scopes ?? DEFAULT_LINKEDIN_SCOPES).join(','),
      auth_type: '3L',
    });
  });
  return app;
}
