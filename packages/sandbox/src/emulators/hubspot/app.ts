// The hono app: faults -> auth -> rate limits -> routes, with HubSpot's error bodies.
import { Hono } from 'hono';
import type { FaultController } from '../faults.js';
import { checkBearer } from './auth.js';
import { HubSpotHttpError } from './errors.js';
import { bearerOf, missingScope } from './scopes.js';
import { rateLimitBody, type RateLimiter, type RatePolicy } from './rate-limits.js';
import { associationRoutes } from './routes/associations.js';
import { batchRoutes } from './routes/batch.js';
import { eventRoutes } from './routes/events.js';
import { listRoutes } from './routes/lists.js';
import { objectRoutes } from './routes/objects.js';
import { propertyRoutes } from './routes/properties.js';
import { searchRoutes } from './routes/search.js';
import type { PagingTokens } from './paging-tokens.js';
import type { HubSpotState } from './state.js';
import { oauthRoutes, type HubSpotOAuthApp } from './oauth.js';

export interface AppDeps {
  state: HubSpotState;
  faults: FaultController;
  limiter: RateLimiter;
  correlationId: () => string;
  faultRateLimitPolicy: RatePolicy;
  /** signs the opaque paging tokens (events, email events, association batch reads) */
  paging: PagingTokens;
  /** associations per record in one v4 batch-read result; more → per-result paging */
  associationPageSize: number;
  /** how long (simulated ms) an email events offset token is honoured; undefined: no expiry */
  emailOffsetTtlMs?: number;
  /** token → granted scopes (tokens not listed have every scope) */
  tokenScopes: Record<string, string[]>;
  /** an installed OAuth app whose refresh tokens the token endpoint accepts */
  oauthApp?: HubSpotOAuthApp;
}

const json = (body: unknown, status: number, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json;charset=utf-8', ...headers } });

export function buildHubSpotApp(d: AppDeps): Hono {
  const app = new Hono({ strict: false });

  app.use(
    '*',
    d.faults.middleware({
      serverError: () => json({ status: 'error', message: 'internal error', correlationId: d.correlationId() }, 502),
      rateLimited: () => json(rateLimitBody(d.faultRateLimitPolicy, d.correlationId(), d.state.portalId), 429),
    }),
  );

  // token endpoints authenticate by their body, before the bearer check
  app.route('/', oauthRoutes(d.state, d.oauthApp, d.tokenScopes, d.correlationId));

  app.use('*', async (c, next) => {
    const expiredMs = d.oauthApp?.expiredForMs(bearerOf(c.req.header('authorization')) ?? '');
    if (expiredMs !== undefined && expiredMs >= 0) {
      const minutes = Math.max(1, Math.floor(expiredMs / 60_000));
      return json({ status: 'error', message: `The OAuth token used to make this call expired ${minutes} minute(s) ago.`, correlationId: d.correlationId(), category: 'EXPIRED_AUTHENTICATION' }, 401);
    }
    const auth = checkBearer(c.req.header('authorization'), d.state.tokens, d.faults.spec.tokenTtlMs, d.state.now());
    if (!auth.ok) return json({ ...auth.body, correlationId: d.correlationId() }, 401);
    const scopeRefusal = missingScope(c.req.path, d.tokenScopes[bearerOf(c.req.header('authorization')) ?? '']);
    if (scopeRefusal) return json({ ...scopeRefusal, correlationId: d.correlationId() }, 403);
    if (!d.limiter.enabled) return next();
    const decision = d.limiter.admit();
    // HubSpot's search endpoints do not send the X-HubSpot-RateLimit-* headers
    const headers = c.req.path.endsWith('/search') ? {} : decision.headers;
    if (decision.rejected) return json(rateLimitBody(decision.rejected, d.correlationId(), d.state.portalId), 429, headers);
    await next();
    for (const [k, v] of Object.entries(headers)) c.res.headers.set(k, v);
  });

  app.route('/', searchRoutes(d.state));
  app.route('/', batchRoutes(d.state));
  app.route('/', objectRoutes(d.state, d.paging, d.associationPageSize));
  app.route('/', propertyRoutes(d.state));
  app.route('/', listRoutes(d.state));
  app.route('/', associationRoutes(d.state, d.paging, d.associationPageSize));
  app.route('/', eventRoutes(d.state, d.paging, d.emailOffsetTtlMs));

  app.notFound(() => json({ status: 'error', message: 'Resource not found', correlationId: d.correlationId(), category: 'OBJECT_NOT_FOUND' }, 404));
  app.onError((err) => {
    if (err instanceof HubSpotHttpError) {
      return json({ status: 'error', message: err.message, correlationId: d.correlationId(), ...(err.category ? { category: err.category } : {}), ...err.extra }, err.status);
    }
    return json({ status: 'error', message: 'internal error', correlationId: d.correlationId() }, 500);
  });
  return app;
}
