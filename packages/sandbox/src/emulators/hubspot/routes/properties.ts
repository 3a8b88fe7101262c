// Properties API: GET /crm/v3/properties/{type}[/{name}], POST to create a custom property.
import { Hono } from 'hono';
import { HubSpotHttpError, notFound } from '../errors.js';
import { objectTypeParam, readBody } from '../http-helpers.js';
import { propertyCreateSchema, propertyToWire } from '../property-catalog.js';
import type { HubSpotState } from '../state.js';

export function propertyRoutes(state: HubSpotState): Hono {
  const app = new Hono({ strict: false });
  app.get('/crm/v3/properties/:type', (c) => {
    const type = objectTypeParam(c);
    return c.json({ results: state.catalog.all(type).map(propertyToWire) });
  });
  app.get('/crm/v3/properties/:type/:name', (c) => {
    const type = objectTypeParam(c);
    const def = state.catalog.get(type, c.req.param('name'));
    if (!def) throw notFound(`Unable to find property ${c.req.param('name')}`);
    return c.json(propertyToWire(def));
  });
  app.post('/crm/v3/properties/:type', async (c) => {
    const type = objectTypeParam(c);
    const input = await readBody(c, propertyCreateSchema, 'PropertyCreate');
    const def = state.catalog.create(type, input, state.now());
    if (!def) throw new HubSpotHttpError(409, 'OBJECT_ALREADY_EXISTS', `Property named '${input.name}' already exists.`);
    if (def.hasUniqueValue) state.stores[type].addUniqueIndex(def.name);
    return c.json(propertyToWire(def), 201);
  });
  return app;
}
