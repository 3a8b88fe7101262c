// OAuth 2.0 endpoints of the login server: /services/oauth2/token (refresh_token and password
// grants) and /services/oauth2/revoke. Errors are the {error, error_description} pairs Salesforce sends.
import { createHmac } from 'node:crypto';
import type { Context, Hono } from 'hono';
import { jsonResponse } from '../errors.js';
import { ORG_ID, USER_ID } from '../auth.js';
import type { SalesforceContext } from '../context.js';

const oauthError = (error: string, description: string, status = 400) => jsonResponse(status, { error, error_description: description });

async function formOf(c: Context): Promise<Record<string, string>> {
  const text = await c.req.text();
  return Object.fromEntries(new URLSearchParams(text));
}

export function registerOAuthRoutes(app: Hono, ctx: SalesforceContext): void {
  const creds = ctx.tokens.credentials;

  const tokenResponse = (c: Context, accessToken: string, issuedAt: number, refreshToken?: string) => {
    const origin = new URL(c.req.url).origin;
    const id = `${origin}/id/${ORG_ID}/${USER_ID}`;
    const signature = createHmac('sha256', creds.clientSecret).update(id + issuedAt).digest('base64');
    return jsonResponse(200, {
      access_token: accessToken,
      ...(refreshToken ? { refresh_token: refreshToken } : {}),
      signature,
      scope: 'api refresh_token',
      instance_url: origin,
      id,
      token_type: 'Bearer',
      issued_at: String(issuedAt),
    });
  };

  app.post('/services/oauth2/token', async (c) => {
    const form = await formOf(c);
    if (form.client_id !== creds.clientId) return oauthError('invalid_client_id', 'client identifier invalid');
    if (form.client_secret !== undefined && form.client_secret !== creds.clientSecret) return oauthError('invalid_client', 'invalid client credentials');
    switch (form.grant_type) {
      case 'refresh_token': {
        ctx.tokens.refreshRequests++;
        // Salesforce answers the same for unknown, expired and revoked refresh tokens
        if (!form.refresh_token || !ctx.tokens.isValidRefresh(form.refresh_token)) return oauthError('invalid_grant', 'expired access/refresh token');
        const t = ctx.tokens.issue(form.refresh_token);
        return tokenResponse(c, t.accessToken, t.issuedAt);
      }
      case 'password': {
        if (form.client_secret === undefined) return oauthError('invalid_client', 'invalid client credentials');
        if (form.username !== creds.username || form.password !== creds.password) return oauthError('invalid_grant', 'authentication failure');
        const t = ctx.tokens.issueAccessOnly();
        return tokenResponse(c, t.accessToken, t.issuedAt);
      }
      default:
        return oauthError('unsupported_grant_type', 'grant type not supported');
    }
  });

  app.post('/services/oauth2/revoke', async (c) => {
    const form = await formOf(c);
    const token = form.token ?? c.req.query('token');
    if (!token || !ctx.tokens.revoke(token)) return oauthError('invalid_token', 'invalid token');
    return new Response(null, { status: 200 });
  });
}
