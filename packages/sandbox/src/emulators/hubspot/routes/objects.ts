// Basic object endpoints: list, get, create, update, archive, and contact merge.
import { Hono } from 'hono';
import { z } from 'zod';
import { notFound, validation } from '../errors.js';
import { boolParam, objectTypeParam, readBody } from '../http-helpers.js';
import { parseObjectType, type ObjectType } from '../object-types.js';
import type { PagingTokens } from '../paging-tokens.js';
import { listParam, recordToWire } from '../serialize.js';
import type { AssociationInput, HubSpotState } from '../state.js';

const writeValue = z.union([z.string(), z.number(), z.boolean(), z.null()]);

export const associationInputSchema = z.object({
  to: z.object({ id: z.union([z.string(), z.number()]).transform(String) }),
  types: z.array(z.object({ associationCategory: z.string(), associationTypeId: z.number().int() })).min(1),
});

export const createInputSchema = z.object({
  properties: z.record(z.string(), writeValue),
  associations: z.array(associationInputSchema).optional(),
});

const updateInputSchema = z.object({ properties: z.record(z.string(), writeValue) });
const mergeInputSchema = z.object({
  primaryObjectId: z.union([z.string(), z.number()]).transform(String),
  objectIdToMerge: z.union([z.string(), z.number()]).transform(String),
});

// association type id -> target type (the create body names only the type id)
const targetOfTypeId: Record<number, ObjectType> = {
  1: 'companies', 279: 'companies', 5: 'companies', 341: 'companies', 192: 'companies',
  2: 'contacts', 280: 'contacts', 3: 'contacts', 204: 'contacts',
  4: 'deals', 6: 'deals', 342: 'deals', 216: 'deals',
  203: 'tasks', 191: 'tasks', 215: 'tasks',
};

export function associationTargets(inputs: z.infer<typeof associationInputSchema>[] | undefined): AssociationInput[] {
  return (inputs ?? []).map((a) => {
    const toType = targetOfTypeId[a.types[0]!.associationTypeId];
    if (!toType) throw validation(`Unknown association type id ${a.types[0]!.associationTypeId}`);
    return { toType, toId: a.to.id };
  });
}

export function associationTypesParam(values: string[] | undefined): ObjectType[] {
  return listParam(values)
    .map((v) => parseObjectType(v))
    .filter((t): t is ObjectType => t !== undefined);
}

export function objectRoutes(state: HubSpotState, paging: PagingTokens, associationPageSize: number): Hono {
  const app = new Hono({ strict: false });
  const graph = state.associations;
  // embedded associations page like the v4 batch read (HubSpot's v3 page size is not documented)
  const associationPage = {
    size: associationPageSize,
    after: (r: { type: ObjectType; id: string }, toType: ObjectType, position: number) => paging.issue(JSON.stringify(['v3-associations', r.type, toType, r.id]), position),
  };

  app.get('/crm/v3/objects/:type', (c) => {
    const type = objectTypeParam(c);
    const limitRaw = Number(c.req.query('limit') ?? 10);
    if (!Number.isFinite(limitRaw) || limitRaw < 1) throw validation(`limit must be a positive integer but was ${c.req.query('limit')}`);
    const limit = Math.min(Math.floor(limitRaw), 100); // the list endpoint caps pages at 100
    const afterRaw = c.req.query('after');
    const after = afterRaw ? Number(afterRaw) : 0;
    if (!Number.isFinite(after)) throw validation(`Invalid after value: ${afterRaw}`);
    const { records, nextAfter } = state.stores[type].page(after, limit, boolParam(c.req.query('archived')));
    const properties = listParam(c.req.queries('properties'));
    const associations = associationTypesParam(c.req.queries('associations'));
    const body: Record<string, unknown> = { results: records.map((r) => recordToWire(r, { properties, associations, graph, associationPage })) };
    if (nextAfter) {
      const u = new URL(c.req.url);
      u.searchParams.set('after', nextAfter);
      body.paging = { next: { after: nextAfter, link: `${u.pathname}${u.search}` } };
    }
    return c.json(body);
  });

  app.get('/crm/v3/objects/:type/:id', (c) => {
    const type = objectTypeParam(c);
    const idProperty = c.req.query('idProperty');
    const archived = boolParam(c.req.query('archived'));
    const id = c.req.param('id');
    const record = idProperty ? state.findLive(type, id, idProperty) : state.resolve(type, id);
    if (!record || (record.archived && !archived)) throw notFound();
    return c.json(recordToWire(record, { properties: listParam(c.req.queries('properties')), associations: associationTypesParam(c.req.queries('associations')), graph, associationPage }));
  });

  app.post('/crm/v3/objects/contacts/merge', async (c) => {
    const input = await readBody(c, mergeInputSchema, 'PublicMergeInput');
    return c.json(recordToWire(state.merge(input.primaryObjectId, input.objectIdToMerge), {}));
  });

  app.post('/crm/v3/objects/:type', async (c) => {
    const type = objectTypeParam(c);
    const input = await readBody(c, createInputSchema, 'SimplePublicObjectInputForCreate');
    const record = state.create(type, input.properties, associationTargets(input.associations));
    return c.json(recordToWire(record, { properties: Object.keys(record.properties) }), 201);
  });

  app.patch('/crm/v3/objects/:type/:id', async (c) => {
    const type = objectTypeParam(c);
    const input = await readBody(c, updateInputSchema, 'SimplePublicObjectInput');
    const record = state.update(type, c.req.param('id'), input.properties, c.req.query('idProperty'));
    return c.json(recordToWire(record, { properties: Object.keys(record.properties) }));
  });

  app.delete('/crm/v3/objects/:type/:id', (c) => {
    const type = objectTypeParam(c);
    // HubSpot answers 204 even when the record is already archived or unknown
    state.archive(type, c.req.param('id'));
    return c.body(null, 204);
  });

  return app;
}
