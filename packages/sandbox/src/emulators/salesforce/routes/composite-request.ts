// POST /composite: up to 25 subrequests in one call (one API request against the daily limit), each
// answered as { body, httpHeaders, httpStatusCode, referenceId }. Salesforce recommends it for a
// SOQL query too long for a GET: the query travels in the request BODY, so the URI + headers limit
// of a GET does not apply (Salesforce Help, knowledge article 000386264). Subrequests run in
// order through the same routes, without the per-call gates of the outer request.
// Not emulated: @{ref.field} references between subrequests, allOrNone rollback, collateSubrequests.
import type { Hono } from 'hono';
import { z } from 'zod';
import { jsonResponse, SalesforceApiError } from '../errors.js';
import { readJson } from './body.js';

const MAX_SUBREQUESTS = 25;
/** subrequests that are queries: at most 5 per composite call */
const MAX_QUERIES = 5;

const compositeBody = z.object({
  allOrNone: z.boolean().optional(),
  collateSubrequests: z.boolean().optional(),
  compositeRequest: z
    .array(
      z.object({
        method: z.enum(['GET', 'POST', 'PATCH', 'PUT', 'DELETE']),
        url: z.string().startsWith('/services/data/v'),
        referenceId: z.string().regex(/^[A-Za-z0-9_]+$/),
        body: z.unknown().optional(),
        httpHeaders: z.record(z.string(), z.string()).optional(),
      }),
    )
    .min(1),
});

/** hono env of a subrequest: the outer request already passed the per-call gates */
export interface SubrequestEnv {
  compositeSubrequest: true;
}
export const isSubrequest = (env: unknown): boolean => (env as Partial<SubrequestEnv> | undefined)?.compositeSubrequest === true;

export function registerCompositeRequestRoute(app: Hono): void {
  app.post('/services/data/:version/composite', async (c) => {
    const parsed = compositeBody.safeParse(await readJson(c));
    if (!parsed.success) throw new SalesforceApiError(400, 'JSON_PARSER_ERROR', `Invalid composite request: ${parsed.error.issues[0]?.message ?? 'unreadable'}`);
    const subs = parsed.data.compositeRequest;
    if (subs.length > MAX_SUBREQUESTS) throw new SalesforceApiError(400, 'LIMIT_EXCEEDED', `Limit Exceeded: a composite request can have at most ${MAX_SUBREQUESTS} subrequests`);
    if (subs.filter((s) => /\/query(All)?[/?]/.test(s.url)).length > MAX_QUERIES)
      throw new SalesforceApiError(400, 'LIMIT_EXCEEDED', `Limit Exceeded: a composite request can have at most ${MAX_QUERIES} query subrequests`);
    const origin = new URL(c.req.url).origin;
    const compositeResponse = [];
    for (const sub of subs) {
      const headers: Record<string, string> = { ...sub.httpHeaders, authorization: c.req.header('authorization') ?? '' };
      if (sub.body !== undefined) headers['content-type'] = 'application/json';
      const env: SubrequestEnv = { compositeSubrequest: true };
      const res = await app.fetch(new Request(`${origin}${sub.url}`, { method: sub.method, headers, body: sub.body === undefined ? undefined : JSON.stringify(sub.body) }), env);
      const text = await res.text();
      let body: unknown = null;
      try {
        body = text ? JSON.parse(text) : null;
      } catch {
        body = text;
      }
      compositeResponse.push({ body, httpHeaders: {}, httpStatusCode: res.status, referenceId: sub.referenceId });
    }
    return jsonResponse(200, { compositeResponse });
  });
}
