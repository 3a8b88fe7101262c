// sObject Collections: POST (create), PATCH (update) and DELETE /composite/sobjects, up to 200
// records, per-record results. With allOrNone every record is checked before any is written, and
// the valid ones report ALL_OR_NONE_OPERATION_ROLLED_BACK when another fails.
import type { Hono } from 'hono';
import { z } from 'zod';
import { jsonResponse, SalesforceApiError } from '../errors.js';
import { objectNamed } from '../schema.js';
import type { SObjectName } from '../ids.js';
import type { SaveError } from '../write-validation.js';
import type { SalesforceContext } from '../context.js';
import { readJson } from './body.js';

const MAX_RECORDS = 200;

const collectionBody = z.object({
  allOrNone: z.boolean().optional().default(false),
  records: z.array(z.record(z.string(), z.unknown())),
});

type SaveResult = { id?: string; success: boolean; errors: SaveError[] };

const ROLLED_BACK: SaveError = {
  statusCode: 'ALL_OR_NONE_OPERATION_ROLLED_BACK',
  message: 'Record rolled back because not all records were valid and the request was using AllOrNone header',
  fields: [],
};

interface Planned {
  type?: SObjectName;
  id?: unknown;
  body: Record<string, unknown>;
  errors: SaveError[];
}

export function registerCompositeRoutes(app: Hono, ctx: SalesforceContext): void {
  const state = ctx.state;

  const parse = async (c: import('hono').Context) => {
    const parsed = collectionBody.safeParse(await readJson(c));
    if (!parsed.success) throw new SalesforceApiError(400, 'JSON_PARSER_ERROR', `Invalid request body: ${parsed.error.issues[0]?.message ?? 'unreadable'}`);
    if (parsed.data.records.length > MAX_RECORDS) throw new SalesforceApiError(400, 'EXCEEDED_ID_LIMIT', `record limit reached. cannot submit more than ${MAX_RECORDS} records into this call`);
    return parsed.data;
  };

  /** Splits a record into its type and fields, with the type error Salesforce gives when it is missing. */
  const plan = (record: Record<string, unknown>): Planned => {
    const { attributes, ...body } = record;
    const typeName = (attributes as { type?: unknown } | undefined)?.type;
    const object = typeof typeName === 'string' ? objectNamed(state.schema, typeName) : undefined;
    if (!object) return { body, errors: [{ statusCode: 'INVALID_TYPE', message: typeof typeName === 'string' ? `sObject type '${typeName}' is not supported.` : 'Must send a concrete entity type.', fields: [] }] };
    return { type: object.name, body, errors: [] };
  };

  const finish = (planned: Planned[], allOrNone: boolean, apply: (p: Planned) => SaveResult): SaveResult[] => {
    if (allOrNone && planned.some((p) => p.errors.length)) return planned.map((p) => ({ success: false, errors: p.errors.length ? p.errors : [ROLLED_BACK] }));
    return planned.map((p) => (p.errors.length ? { success: false, errors: p.errors } : apply(p)));
  };

  app.post('/services/data/:version/composite/sobjects', async (c) => {
    const { allOrNone, records } = await parse(c);
    const planned = records.map(plan).map((p) => {
      if (p.errors.length || !p.type) return p;
      if ('id' in p.body || 'Id' in p.body) return { ...p, errors: [{ statusCode: 'INVALID_FIELD', message: 'cannot specify Id in an insert call', fields: ['Id'] }] };
      return allOrNone ? { ...p, errors: state.checkCreate(p.type, p.body) } : p;
    });
    return jsonResponse(
      200,
      finish(planned, allOrNone, (p) => {
        const r = state.create(p.type!, p.body);
        return r.ok ? { id: r.record.id, success: true, errors: [] } : { success: false, errors: r.errors };
      }),
    );
  });

  app.patch('/services/data/:version/composite/sobjects', async (c) => {
    const { allOrNone, records } = await parse(c);
    const planned = records.map(plan).map((p) => {
      if (p.errors.length || !p.type) return p;
      const { id, Id, ...fields } = p.body;
      const withId = { ...p, id: id ?? Id, body: fields };
      return allOrNone ? { ...withId, errors: state.checkUpdate(p.type, withId.id, fields) } : withId;
    });
    return jsonResponse(
      200,
      finish(planned, allOrNone, (p) => {
        const r = state.update(p.type!, p.id, p.body);
        return r.ok ? { id: r.record.id, success: true, errors: [] } : { ...(typeof p.id === 'string' ? { id: p.id } : {}), success: false, errors: r.errors };
      }),
    );
  });

  app.delete('/services/data/:version/composite/sobjects', (c) => {
    const ids = (c.req.query('ids') ?? '').split(',').filter(Boolean);
    const allOrNone = c.req.query('allOrNone') === 'true';
    if (ids.length > MAX_RECORDS) throw new SalesforceApiError(400, 'EXCEEDED_ID_LIMIT', `record limit reached. cannot submit more than ${MAX_RECORDS} records into this call`);
    const planned: Planned[] = ids.map((id) => ({ id, body: {}, errors: allOrNone ? state.checkDelete(undefined, id) : [] }));
    const results = finish(planned, allOrNone, (p) => {
      const r = state.delete(undefined, p.id);
      return r.ok ? { id: r.record.id, success: true, errors: [] } : { id: p.id as string, success: false, errors: r.errors };
    });
    return jsonResponse(200, results.map((r, i) => ({ ...r, id: r.id ?? ids[i] })));
  });
}
