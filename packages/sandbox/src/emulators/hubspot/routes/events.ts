// Signals: GET /email/public/v1/events (opens/clicks), GET /email/public/v1/campaigns/{id},
// and GET /events/v3/events (page visits, form fills, document views).
import { Hono } from 'hono';
import { notFound, validation } from '../errors.js';
import type { HubSpotState } from '../state.js';

function intParam(raw: string | undefined, fallback: number, name: string): number {
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) throw validation(`${name} must be a non-negative integer but was ${raw}`);
  return n;
}

function timeParam(raw: string | undefined): number | undefined {
  if (!raw) return undefined;
  const n = /^\d+$/.test(raw) ? Number(raw) : Date.parse(raw);
  if (Number.isNaN(n)) throw validation(`Invalid timestamp: ${raw}`);
  return n;
}

export function eventRoutes(state: HubSpotState): Hono {
  const app = new Hono({ strict: false });

  app.get('/email/public/v1/events', (c) => {
    const start = timeParam(c.req.query('startTimestamp'));
    const end = timeParam(c.req.query('endTimestamp'));
    const type = c.req.query('eventType');
    const recipient = c.req.query('recipient')?.toLowerCase();
    const limit = Math.min(intParam(c.req.query('limit'), 100, 'limit'), 1000);
    const offset = intParam(c.req.query('offset'), 0, 'offset');
    const matching = state.emailEvents.filter(
      (e) => (start === undefined || e.created >= start) && (end === undefined || e.created <= end) && (!type || e.type === type) && (!recipient || e.recipient.toLowerCase() === recipient),
    );
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
    const hasMore = offset + limit < matching.length;
    return c.json({ hasMore, offset: String(offset + page.length), events });
  });

  app.get('/email/public/v1/campaigns/:id', (c) => {
    const id = Number(c.req.param('id'));
    const name = state.emailCampaigns.get(id);
    if (name === undefined) throw notFound(`Campaign ${id} not found`);
    return c.json({ id, appId: 0, appName: 'Batch', name, subject: name, contentId: id, numIncluded: 0, type: 'BATCH_EMAIL' });
  });

  app.get('/events/v3/events', (c) => {
    const objectType = c.req.query('objectType')?.toUpperCase();
    const objectId = c.req.query('objectId');
    const eventType = c.req.query('eventType');
    const after = timeParam(c.req.query('occurredAfter'));
    const before = timeParam(c.req.query('occurredBefore'));
    const limit = Math.min(intParam(c.req.query('limit'), 100, 'limit'), 100);
    const offset = intParam(c.req.query('after'), 0, 'after');
    if (objectType && objectType !== 'CONTACT' && objectType !== 'COMPANY') throw validation(`Unable to infer object type from: ${objectType}`);
    const matching = state.webEvents.filter(
      (e) =>
        (!objectType || e.objectType === objectType) &&
        (!objectId || e.objectId === objectId) &&
        (!eventType || e.eventType === eventType) &&
        (after === undefined || e.occurredAt > after) &&
        (before === undefined || e.occurredAt < before),
    );
    const page = matching.slice(offset, offset + limit);
    const body: Record<string, unknown> = {
      results: page.map((e) => ({ objectType: e.objectType, objectId: e.objectId, eventType: e.eventType, occurredAt: new Date(e.occurredAt).toISOString(), id: e.id, properties: e.properties })),
    };
    if (offset + limit < matching.length) body.paging = { next: { after: String(offset + limit) } };
    return c.json(body);
  });
  return app;
}
