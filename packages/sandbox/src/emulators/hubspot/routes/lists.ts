// Lists v3: create a MANUAL list, read it, add members (revloop-email… lists enrol in email).
import { Hono } from 'hono';
import { z } from 'zod';
import { notFound } from '../errors.js';
import { readBody } from '../http-helpers.js';
import { listToWire } from '../lists.js';
import type { HubSpotState } from '../state.js';

const createSchema = z.object({
  name: z.string().min(1),
  objectTypeId: z.enum(['0-1', '0-2', '0-3']),
  processingType: z.enum(['MANUAL', 'SNAPSHOT', 'DYNAMIC']),
});
const recordIds = z.array(z.union([z.string(), z.number()]).transform(String));

export function listRoutes(state: HubSpotState): Hono {
  const app = new Hono({ strict: false });
  app.post('/crm/v3/lists', async (c) => {
    const input = await readBody(c, createSchema, 'ListCreateRequest');
    return c.json({ list: listToWire(state.createList(input)) });
  });
  app.get('/crm/v3/lists/:listId', (c) => {
    const list = state.lists.get(c.req.param('listId'));
    if (!list) throw notFound(`List does not exist with ID ${c.req.param('listId')}.`);
    return c.json({ list: listToWire(list) });
  });
  app.put('/crm/v3/lists/:listId/memberships/add', async (c) => {
    const ids = await readBody(c, recordIds, 'List<String>');
    const { added, missing } = state.addListMembers(c.req.param('listId'), ids);
    // "recordsIdsAdded" (sic) is HubSpot's own spelling
    return c.json({ recordsIdsAdded: added, recordIdsMissing: missing, recordIdsRemoved: [] });
  });
  app.get('/crm/v3/lists/:listId/memberships', (c) => {
    const list = state.lists.get(c.req.param('listId'));
    if (!list) throw notFound(`List does not exist with ID ${c.req.param('listId')}.`);
    const results = [...list.members].map(([recordId, at]) => ({ recordId, membershipTimestamp: new Date(at).toISOString() }));
    return c.json({ results, total: results.length });
  });
  return app;
}
