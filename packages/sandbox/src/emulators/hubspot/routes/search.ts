// POST /crm/v3/objects/{type}/search
import { Hono } from 'hono';
import { objectTypeParam, readBody } from '../http-helpers.js';
import { checkSearchLimits, runSearch, searchRequestSchema } from '../search.js';
import { recordToWire } from '../serialize.js';
import type { HubSpotState } from '../state.js';

export function searchRoutes(state: HubSpotState): Hono {
  const app = new Hono({ strict: false });
  app.post('/crm/v3/objects/:type/search', async (c) => {
    const type = objectTypeParam(c);
    const req = await readBody(c, searchRequestSchema, 'PublicObjectSearchRequest');
    const { offset, limit } = checkSearchLimits(req);
    const hits = runSearch(state.catalog, type, state.stores[type].all(), req);
    const page = hits.slice(offset, offset + limit);
    const body: Record<string, unknown> = {
      total: hits.length,
      results: page.map((r) => recordToWire(r, { properties: req.properties })),
    };
    // paging.next is offered even when it points past the 10,000 cap (that request then fails)
    if (offset + limit < hits.length) body.paging = { next: { after: String(offset + limit) } };
    return c.json(body);
  });
  return app;
}
