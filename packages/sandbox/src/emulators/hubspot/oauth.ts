// HubSpot's token endpoints: an OAuth app's refresh-token grant (POST /oauth/v1/token), OAuth
// access-token metadata (GET /oauth/v1/access-tokens/{token}) and a private app's token info
// (POST /oauth/v2/private-apps/get/access-token-info). They authenticate by what they are sent,
// not by a bearer, so they are routed before the app's auth middleware.
// Refusals as HubSpot sends them: 400 {"status":"BAD_REFRESH_TOKEN","message":"missing or unknown
// refresh token"}; 400 BAD_CLIENT_ID / BAD_CLIENT_SECRET.
import { randomBytes } from 'node:crypto';
import { Hono } from 'hono';
import type { HubSpotState } from './state.js';

export interface HubSpotOAuthAppOptions {
  clientId: string;
  clientSecret: string;
  refreshTokens: string[];
  /** OAuth access tokens live 30 minutes at HubSpot */
  accessTokenTtlMs?: number;
  appId?: number;
}

/** every scope a token not listed in tokenScopes is granted (the ones revloop uses and their neighbours) */
export const ALL_SCOPES = [
  'oauth',
  'content',
  'crm.lists.read',
  'crm.lists.write',
  'crm.objects.companies.read',
  'crm.objects.companies.write',
  'crm.objects.contacts.read',
  'crm.objects.contacts.write',
  'crm.objects.deals.read',
  'crm.objects.deals.write',
  'crm.schemas.companies.read',
  'crm.schemas.contacts.read',
  'crm.schemas.deals.read',
];

export class HubSpotOAuthApp {
  private readonly refresh: Set<string>;
  private readonly expiresAt = new Map<string, number>();
  readonly ttlMs: number;
  /** requests the token endpoint received */
  requests = 0;

  constructor(
    readonly options: HubSpotOAuthAppOptions,
    private readonly state: HubSpotState,
  ) {
    this.refresh = new Set(options.refreshTokens);
    this.ttlMs = options.accessTokenTtlMs ?? 1_800_000;
  }

  /** the app was uninstalled from the portal: its refresh tokens and access tokens stop working */
  revokeRefreshToken(token: string): void {
    this.refresh.delete(token);
    for (const t of this.expiresAt.keys()) this.state.tokens.delete(t);
    this.expiresAt.clear();
  }

  /** ends every access token the app holds now (as if 30 minutes had passed) */
  expireAccessTokens(): void {
    for (const t of this.expiresAt.keys()) this.expiresAt.set(t, this.state.now());
  }

  /** undefined for a token this app did not mint; else ms since it expired (≤ 0: still valid) */
  expiredForMs(token: string): number | undefined {
    const at = this.expiresAt.get(token);
    return at === undefined ? undefined : this.state.now() - at;
  }

  mint(): string {
    const token = `CJ${randomBytes(30).toString('base64url')}`;
    this.state.issueToken(token);
    this.expiresAt.set(token, this.state.now() + this.ttlMs);
    return token;
  }

  isValidRefresh(token: string): boolean {
    return this.refresh.has(token);
  }
}

const refusal = (status: string, message: string, correlationId: string, code = 400) =>
  Response.json({ status, message, correlationId }, { status: code });

export function oauthRoutes(state: HubSpotState, app: HubSpotOAuthApp | undefined, tokenScopes: Record<string, string[]>, correlationId: () => string): Hono {
  const routes = new Hono({ strict: false });
  const scopesOf = (token: string) => tokenScopes[token] ?? ALL_SCOPES;

  routes.post('/oauth/v1/token', async (c) => {
    if (app) app.requests++;
    const form = new URLSearchParams(await c.req.text());
    if (!app || form.get('client_id') !== app.options.clientId) return refusal('BAD_CLIENT_ID', 'missing or unknown client id', correlationId());
    if (form.get('client_secret') !== app.options.clientSecret) return refusal('BAD_CLIENT_SECRET', 'missing or invalid client secret', correlationId());
    if (form.get('grant_type') !== 'refresh_token') return refusal('BAD_GRANT_TYPE', 'missing or unknown grant type', correlationId());
    const refresh = form.get('refresh_token') ?? '';
    if (!app.isValidRefresh(refresh)) return refusal('BAD_REFRESH_TOKEN', 'missing or unknown refresh token', correlationId());
    return c.json({ token_type: 'bearer', refresh_token: refresh, access_token: app.mint(), expires_in: Math.floor(app.ttlMs / 1000) });
  });

  routes.get('/oauth/v1/access-tokens/:token', (c) => {
    const token = c.req.param('token');
    const expired = app?.expiredForMs(token);
    if (expired === undefined || expired >= 0 || !state.tokens.has(token)) return refusal('error', 'The OAuth token used to make this call expired or is unknown', correlationId(), 404);
    return c.json({ token, user: 'admin@revloop.sandbox', hub_domain: 'revloop-sandbox.hubspot.com', scopes: scopesOf(token), hub_id: state.portalId, app_id: app!.options.appId ?? 1_000_001, expires_in: Math.floor(-expired / 1000), user_id: 7_000_001, token_type: 'access' });
  });

  routes.post('/oauth/v2/private-apps/get/access-token-info', async (c) => {
    const body = (await c.req.json().catch(() => undefined)) as { tokenKey?: unknown } | undefined;
    const token = typeof body?.tokenKey === 'string' ? body.tokenKey : '';
    if (!token || !state.tokens.has(token) || app?.expiredForMs(token) !== undefined) return refusal('error', 'Token not found', correlationId(), 404);
    return c.json({ userId: 7_000_001, hubId: state.portalId, appId: 2_000_001, scopes: scopesOf(token) });
  });
  return routes;
}
