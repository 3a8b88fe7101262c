// Legacy email events: GET /email/public/v1/events (opens/clicks) and GET /email/public/v1/campaigns/{id}.
// Paging is HubSpot's: every answer carries an `offset` token and `hasMore`; the next page is asked
// for with that token. A number in `offset` (a client counting events itself) is a 400. HubSpot calls
// the token short-lived without saying how short: `offsetTtlMs` (simulated time) makes older ones a 400.
import { Hono } from 'hono';
import { notFound } from '../errors.js';
import { looksLikeCount, type PagingTokens } from '../paging-tokens.js';
import type { HubSpotState } from '../state.js';
import { badParam, intParam, timeParam } from './query-params.js';

export function emailEventRoutes(state: HubSpotState, tokens: PagingTokens, offsetTtlMs: number | undefined): Hono {
  const app = new Hono({ strict: false });

  app.get('/email/public/v1/events', (c) => {
    const start = timeParam(c.req.query('startTimestamp'), 'startTimestamp');
    const end = timeParam(c.req.query('endTimestamp'), 'endTimestamp');
    const type = c.req.query('eventType');
    const recipient = c.req.query('recipient')?.toLowerCase();
    const limit = Math.min(intParam(c.req.query('limit'), 100, 'limit'), 1000);
    const scope = JSON.stringify(['email-events', start ?? null, end ?? null, type ?? null, recipient ?? null]);
    const offset = offsetOf(tokens, scope, c.req.query('offset'), offsetTtlMs === undefined ? undefined : state.now() - offsetTtlMs);
    // newest first, as HubSpot documents ("Events will be returned in reverse-chronological order")
    const matching = state.emailEvents
      .filter((e) => (start === undefined || e.created >= start) && (end === undefined || e.created <= end) && (!type || e.type === type) && (!recipient || e.recipient.toLowerCase() === recipient))
      .reverse();
    const page = matching.slice(offset, offset + limit);
    const events = page.map((e) => ({
      appId: 0,
      appName: 'Batch',
      portalId: state.portalId,
      recipient: e.recipient,
      id: e.id,
      created: e.created,
      type: e.type,
      emailCampaignId: e.emailCampaignId,
      sentBy: { id: `${e.emailCampaignId}-sent`, created: e.created },
      ...(e.url ? { url: e.url } : {}),
    }));
    const hasMore = offset + page.length < matching.length;
    return c.json({ hasMore, offset: tokens.issue(scope, offset + page.length, state.now()), events });
  });

  app.get('/email/public/v1/campaigns/:id', (c) => {
    const id = Number(c.req.param('id'));
    const name = state.emailCampaigns.get(id);
    if (name === undefined) throw notFound(`Campaign ${id} not found`);
    return c.json({ id, appId: 0, appName: 'Batch', name, subject: name, contentId: id, numIncluded: 0, type: 'BATCH_EMAIL' });
  });
  return app;
}

function offsetOf(tokens: PagingTokens, scope: string, raw: string | undefined, issuedNotBefore: number | undefined): number {
  if (raw === undefined || raw === '') return 0;
  if (looksLikeCount(raw)) {
    throw badParam('offset', `offset must be the offset token of the previous response, not a count of events (got ${raw}); send back the response's offset value as is`);
  }
  const at = tokens.open(scope, raw);
  if (at === undefined) throw badParam('offset', `offset ${raw} is not a token issued for this query (same startTimestamp, endTimestamp, eventType and recipient)`);
  if (issuedNotBefore !== undefined && at.issuedAt < issuedNotBefore) throw badParam('offset', `offset token expired (issued ${new Date(at.issuedAt).toISOString()}); start the query again without offset`);
  return at.position;
}
