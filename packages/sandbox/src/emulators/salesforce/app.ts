// The hono app: fault injection, version check, bearer auth and the daily API allocation in
// front of every /services/data/vXX.X route, then the routes themselves.
import { Hono, type MiddlewareHandler } from 'hono';
import { errorResponse, notFound, requestLimitExceeded, SalesforceApiError, serverUnavailable, sessionInvalid } from './errors.js';
import { parseVersion, type SalesforceContext } from './context.js';
import { registerCompositeRoutes } from './routes/composite.js';
import { isSubrequest, registerCompositeRequestRoute } from './routes/composite-request.js';
import { registerLimitRoutes } from './routes/limits.js';
import { registerOAuthRoutes } from './routes/oauth.js';
import { registerQueryRoutes } from './routes/query.js';
import { registerSObjectRoutes } from './routes/sobjects.js';
import { requestSizeGate } from './request-size.js';

function bearerToken(header: string | undefined): string | undefined {
  const m = header ? /^(?:Bearer|OAuth)\s+(\S+)$/i.exec(header) : null;
  return m?.[1];
}

function apiGate(ctx: SalesforceContext): MiddlewareHandler {
  return async (c, next) => {
    if (!parseVersion(c.req.path.split('/')[3])) return notFound();
    const token = bearerToken(c.req.header('authorization'));
    if (!token || !ctx.tokens.isValidAccess(token)) return sessionInvalid();
    // a composite call counts once, however many subrequests it carries
    if (isSubrequest(c.env)) return next();
    if (!ctx.usage.tryUse()) return requestLimitExceeded();
    await next();
    c.res.headers.set('Sforce-Limit-Info', ctx.usage.header());
  };
}

export function createSalesforceApp(ctx: SalesforceContext): Hono {
  const app = new Hono({ strict: false });
  // the limits of the HTTP request itself: not for a composite's subrequests (they travel in its body)
  const outer = (gate: MiddlewareHandler): MiddlewareHandler => (c, next) => (isSubrequest(c.env) ? next() : gate(c, next));
  app.use('/services/*', outer(requestSizeGate(() => ctx.limits.uriAndHeaders)));
  // Salesforce signals rate limiting with 403 REQUEST_LIMIT_EXCEEDED, never 429
  app.use('/services/data/*', outer(ctx.faults.middleware({ serverError: serverUnavailable, rateLimited: requestLimitExceeded })));
  app.use('/services/data/:version/*', apiGate(ctx));
  registerOAuthRoutes(app, ctx);
  registerLimitRoutes(app, ctx);
  registerQueryRoutes(app, ctx);
  registerSObjectRoutes(app, ctx);
  registerCompositeRoutes(app, ctx);
  registerCompositeRequestRoute(app);
  app.notFound(() => notFound());
  app.onError((err) => {
    if (err instanceof SalesforceApiError) return new Response(JSON.stringify(err.body()), { status: err.status, headers: { 'content-type': 'application/json;charset=UTF-8' } });
    return errorResponse(500, 'UNKNOWN_EXCEPTION', `An unexpected error occurred. Please include this ErrorId if you contact support: ${String(err.message).slice(0, 80)}`);
  });
  return app;
}
