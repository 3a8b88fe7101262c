// Google's OAuth 2.0 token endpoint (oauth2.googleapis.com/token), refresh-token grant only, and
// the access tokens it mints: the gRPC services accept only a bearer minted here and refuse it
// once its expires_in has passed (UNAUTHENTICATED, OAUTH_TOKEN_EXPIRED), so a client must refresh.
// A revoked or expired refresh token answers what Google answers:
//   400 {"error":"invalid_grant","error_description":"Token has been expired or revoked."}
import { randomBytes } from 'node:crypto';
import { Hono } from 'hono';

export interface GoogleOAuthOptions {
  clientId: string;
  clientSecret: string;
  refreshToken: string;
  /** access token lifetime on the emulator clock (Google: 3599 s) */
  accessTokenTtlMs?: number;
}

export type AccessTokenCheck = 'ok' | 'missing' | 'unknown' | 'expired';

export class GoogleOAuthTokens {
  private readonly access = new Map<string, number>(); // token → expires at
  private readonly refresh = new Set<string>();
  /** refresh-token grants answered with a token (for tests: a refresh happened) */
  granted = 0;
  /** every request the token endpoint received, answered or refused */
  requests = 0;
  readonly ttlMs: number;

  constructor(
    readonly options: GoogleOAuthOptions,
    private readonly now: () => number,
  ) {
    this.refresh.add(options.refreshToken);
    this.ttlMs = options.accessTokenTtlMs ?? 3_599_000;
  }

  /** the user removed the app's access (myaccount.google.com/permissions), or the token aged out */
  revokeRefreshToken(token = this.options.refreshToken): void {
    this.refresh.delete(token);
    for (const t of this.access.keys()) this.access.delete(t); // Google ends its access tokens too
  }

  /** ends every access token now, before its expires_in (Google may: a password change, a revoked grant) */
  expireAccessTokens(): void {
    for (const t of this.access.keys()) this.access.set(t, this.now());
  }

  isValidRefresh(token: string): boolean {
    return this.refresh.has(token);
  }

  mint(): { token: string; expiresInS: number } {
    const token = `ya29.emu-${randomBytes(24).toString('base64url')}`;
    this.access.set(token, this.now() + this.ttlMs);
    this.granted++;
    return { token, expiresInS: Math.floor(this.ttlMs / 1000) };
  }

  check(authorization: string | undefined): AccessTokenCheck {
    const token = /^Bearer\s+(.+)$/i.exec(authorization ?? '')?.[1];
    if (!token) return 'missing';
    const expiresAt = this.access.get(token);
    if (expiresAt === undefined) return 'unknown';
    return this.now() >= expiresAt ? 'expired' : 'ok';
  }
}

const oauthError = (status: number, error: string, description: string) => Response.json({ error, error_description: description }, { status });

/** POST /token, form-encoded, as oauth2.googleapis.com answers it */
export function createGoogleOAuthApp(tokens: GoogleOAuthTokens): Hono {
  const app = new Hono();
  app.post('/token', async (c) => {
    tokens.requests++;
    const form = new URLSearchParams(await c.req.text());
    if (form.get('grant_type') !== 'refresh_token') return oauthError(400, 'unsupported_grant_type', `Invalid grant_type: ${form.get('grant_type') ?? ''}`);
    if (form.get('client_id') !== tokens.options.clientId) return oauthError(401, 'invalid_client', 'The OAuth client was not found.');
    if (form.get('client_secret') !== tokens.options.clientSecret) return oauthError(401, 'invalid_client', 'Unauthorized');
    const refresh = form.get('refresh_token');
    if (!refresh) return oauthError(400, 'invalid_request', 'Missing required parameter: refresh_token');
    if (!tokens.isValidRefresh(refresh)) return oauthError(400, 'invalid_grant', 'Token has been expired or revoked.');
    const { token, expiresInS } = tokens.mint();
    return c.json({ access_token: token, expires_in: expiresInS, scope: 'https://www.googleapis.com/auth/adwords', token_type: 'Bearer' });
  });
  return app;
}
