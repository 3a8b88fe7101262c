// Batch endpoints: read / create / update / upsert / archive (≤ 100 inputs each).
// Results come back in REVERSE input order on purpose: HubSpot does not keep input order either.
import { Hono, type Context } from 'hono';
import { z } from 'zod';
import { HubSpotHttpError, validation } from '../errors.js';
import { boolParam, objectTypeParam, readBody } from '../http-helpers.js';
import { singular, type ObjectType } from '../object-types.js';
import { recordToWire } from '../serialize.js';
import type { HubSpotState } from '../state.js';
import type { CrmRecord } from '../record-store.js';
import { associationTargets, createInputSchema } from './objects.js';

const id = z.union([z.string(), z.number()]).transform(String);
const writeValue = z.union([z.string(), z.number(), z.boolean(), z.null()]);
const maxInputs = 100;

const readSchema = z.object({
  inputs: z.array(z.object({ id })),
  properties: z.array(z.string()).default([]),
  propertiesWithHistory: z.array(z.string()).optional(),
  idProperty: z.string().optional(),
});
const createSchema = z.object({ inputs: z.array(createInputSchema) });
const updateSchema = z.object({ inputs: z.array(z.object({ id, idProperty: z.string().optional(), properties: z.record(z.string(), writeValue) })) });
const upsertSchema = z.object({ inputs: z.array(z.object({ id, idProperty: z.string().optional(), properties: z.record(z.string(), writeValue) })) });
const archiveSchema = z.object({ inputs: z.array(z.object({ id })) });

interface BatchError {
  status: 'error';
  category: string;
  message: string;
  context: Record<string, string[]>;
  links?: Record<string, string>;
}

function checkSize(n: number): void {
  if (n > maxInputs) throw validation(`Batch input is too large: ${n} inputs were provided, the maximum is ${maxInputs}.`);
}

function respond(c: Context, state: HubSpotState, startedAt: number, results: unknown[], errors: BatchError[], okStatus: 200 | 201) {
  const iso = (ms: number) => new Date(ms).toISOString();
  const body: Record<string, unknown> = { status: 'COMPLETE', results: results.reverse(), startedAt: iso(startedAt), completedAt: iso(state.now()) };
  if (errors.length) {
    body.numErrors = errors.length;
    body.errors = errors;
    return c.json(body, 207);
  }
  return c.json(body, okStatus);
}

function notFoundError(type: ObjectType, ids: string[]): BatchError {
  return {
    status: 'error',
    category: 'OBJECT_NOT_FOUND',
    message: `Could not get some ${singular[type].toUpperCase()} objects, they may be deleted or not exist. Check that ids are valid.`,
    context: { ids },
  };
}

function uniqueIdProperty(state: HubSpotState, type: ObjectType, idProperty: string | undefined): string | undefined {
  if (!idProperty || idProperty === 'hs_object_id') return undefined;
  const def = state.catalog.get(type, idProperty);
  if (!def?.hasUniqueValue) throw validation(`Property ${idProperty} is not a unique identifier property for ${singular[type]} objects.`);
  state.stores[type].addUniqueIndex(idProperty);
  return idProperty;
}

export function batchRoutes(state: HubSpotState): Hono {
  const app = new Hono({ strict: false });

  app.post('/crm/v3/objects/:type/batch/read', async (c) => {
    const type = objectTypeParam(c);
    const startedAt = state.now();
    const input = await readBody(c, readSchema, 'BatchReadInputSimplePublicObjectId');
    checkSize(input.inputs.length);
    const idProperty = uniqueIdProperty(state, type, input.idProperty);
    const archived = boolParam(c.req.query('archived'));
    const results: unknown[] = [];
    const missing: string[] = [];
    for (const { id: key } of input.inputs) {
      const r = idProperty ? state.findLive(type, key, idProperty) : state.resolve(type, key);
      if (!r || r.archived !== archived) missing.push(key);
      else results.push(recordToWire(r, { properties: input.properties }));
    }
    return respond(c, state, startedAt, results, missing.length ? [notFoundError(type, missing)] : [], 200);
  });

  app.post('/crm/v3/objects/:type/batch/create', async (c) => {
    const type = objectTypeParam(c);
    const startedAt = state.now();
    const input = await readBody(c, createSchema, 'BatchInputSimplePublicObjectInputForCreate');
    checkSize(input.inputs.length);
    // all-or-nothing: validate every input before writing any (no partial writes on a 400)
    for (const i of input.inputs) state.validate(type, i.properties);
    if (type === 'contacts') {
      const seen = new Set<string>();
      for (const i of input.inputs) {
        const email = i.properties.email ? String(i.properties.email).toLowerCase() : undefined;
        if (!email) continue;
        const existing = state.stores.contacts.findUnique('email', email);
        if (existing || seen.has(email)) throw new HubSpotHttpError(409, 'CONFLICT', `Contact already exists. Existing ID: ${existing?.id ?? 'in this batch'}`);
        seen.add(email);
      }
    }
    const records = input.inputs.map((i) => state.create(type, i.properties, associationTargets(i.associations)));
    return respond(c, state, startedAt, records.map((r) => recordToWire(r, { properties: Object.keys(r.properties) })), [], 201);
  });

  app.post('/crm/v3/objects/:type/batch/update', async (c) => {
    const type = objectTypeParam(c);
    const startedAt = state.now();
    const input = await readBody(c, updateSchema, 'BatchInputSimplePublicObjectBatchInput');
    checkSize(input.inputs.length);
    for (const i of input.inputs) state.validate(type, i.properties);
    const results: unknown[] = [];
    const missing: string[] = [];
    for (const i of input.inputs) {
      const idProperty = uniqueIdProperty(state, type, i.idProperty);
      if (!state.findLive(type, i.id, idProperty)) {
        missing.push(i.id);
        continue;
      }
      const r = state.update(type, i.id, i.properties, idProperty);
      results.push(recordToWire(r, { properties: Object.keys(r.properties) }));
    }
    return respond(c, state, startedAt, results, missing.length ? [notFoundError(type, missing)] : [], 200);
  });

  app.post('/crm/v3/objects/:type/batch/upsert', async (c) => {
    const type = objectTypeParam(c);
    const startedAt = state.now();
    const input = await readBody(c, upsertSchema, 'BatchInputSimplePublicObjectBatchInputUpsert');
    checkSize(input.inputs.length);
    const results: unknown[] = [];
    const errors: BatchError[] = [];
    for (const i of input.inputs) {
      const idProperty = uniqueIdProperty(state, type, i.idProperty);
      try {
        const existing = state.findLive(type, i.id, idProperty);
        let record: CrmRecord;
        if (existing) record = state.update(type, existing.id, i.properties);
        else if (!idProperty) throw new HubSpotHttpError(404, 'OBJECT_NOT_FOUND', `No ${singular[type]} with ID ${i.id} exists`);
        else record = state.create(type, { ...i.properties, [idProperty]: i.id });
        results.push({ ...recordToWire(record, { properties: Object.keys(record.properties) }), new: !existing });
      } catch (e) {
        if (!(e instanceof HubSpotHttpError)) throw e;
        errors.push({ status: 'error', category: e.category ?? 'VALIDATION_ERROR', message: e.message, context: { ids: [i.id] } });
      }
    }
    return respond(c, state, startedAt, results, errors, 200);
  });

  app.post('/crm/v3/objects/:type/batch/archive', async (c) => {
    const type = objectTypeParam(c);
    const input = await readBody(c, archiveSchema, 'BatchInputSimplePublicObjectId');
    checkSize(input.inputs.length);
    for (const i of input.inputs) state.archive(type, i.id);
    return c.body(null, 204);
  });

  return app;
}
