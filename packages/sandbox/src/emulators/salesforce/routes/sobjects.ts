// /sobjects: describe, getUpdated/getDeleted, and single-record create/read/update/delete.
import type { Context, Hono } from 'hono';
import { DAY_MS, formatDateTime, parseDateTime, truncateToMinute } from '../datetime.js';
import { describeGlobal, describeObject } from '../describe.js';
import { errorResponse, jsonResponse, notFound, SalesforceApiError } from '../errors.js';
import { normalizeId, type SObjectName } from '../ids.js';
import type { SfRecord } from '../record.js';
import { objectNamed } from '../schema.js';
import { recordUrl, renderValue } from '../soql/compile.js';
import type { SaveError } from '../write-validation.js';
import type { SalesforceContext } from '../context.js';
import { readJsonObject } from './body.js';
import { versionOf } from './version.js';

/** getUpdated/getDeleted serve no more than 30 days back; the delete log keeps 15 days. */
const REPLICATION_WINDOW_MS = 30 * DAY_MS;
const DELETE_LOG_MS = 15 * DAY_MS;

export function registerSObjectRoutes(app: Hono, ctx: SalesforceContext): void {
  const objectOf = (c: Context) => objectNamed(ctx.state.schema, c.req.param('type') ?? '');

  app.get('/services/data/:version/sobjects', (c) => jsonResponse(200, describeGlobal(ctx.state.schema, versionOf(c))));

  app.get('/services/data/:version/sobjects/:type/describe', (c) => {
    const object = objectOf(c);
    return object ? jsonResponse(200, describeObject(object, versionOf(c))) : notFound();
  });

  app.get('/services/data/:version/sobjects/:type/updated', (c) => {
    const object = objectOf(c);
    if (!object) return notFound();
    const { start, latest } = replicationWindow(c, ctx.clock.now());
    const ids: string[] = [];
    for (const r of ctx.state.all(object.name)) {
      const stamp = r.values.SystemModstamp as number;
      if (!r.values.IsDeleted && stamp >= start && stamp < latest) ids.push(r.id);
    }
    tooManyIds(ids.length, ctx.limits.replicationIds);
    return jsonResponse(200, { ids, latestDateCovered: formatDateTime(latest) });
  });

  app.get('/services/data/:version/sobjects/:type/deleted', (c) => {
    const object = objectOf(c);
    if (!object) return notFound();
    const now = ctx.clock.now();
    const { start, latest } = replicationWindow(c, now);
    const earliest = truncateToMinute(now - DELETE_LOG_MS);
    const deletedRecords: { id: string; deletedDate: string }[] = [];
    for (const r of ctx.state.all(object.name)) {
      const at = r.deletedAt;
      if (r.values.IsDeleted && at !== undefined && at >= earliest && at >= start && at < latest) deletedRecords.push({ id: r.id, deletedDate: formatDateTime(at) });
    }
    tooManyIds(deletedRecords.length, ctx.limits.replicationIds);
    return jsonResponse(200, { deletedRecords, earliestDateAvailable: formatDateTime(earliest), latestDateCovered: formatDateTime(latest) });
  });

  app.post('/services/data/:version/sobjects/:type', async (c) => {
    const object = objectOf(c);
    if (!object) return notFound();
    const body = await readJsonObject(c);
    if ('Id' in body || 'id' in body) return errorResponse(400, 'INVALID_FIELD', 'Id: cannot specify Id in an insert call', ['Id']);
    const result = ctx.state.create(object.name, body);
    if (!result.ok) return saveErrors(result.errors);
    return jsonResponse(201, { id: result.record.id, success: true, errors: [] });
  });

  app.get('/services/data/:version/sobjects/:type/:id', (c) => {
    const object = objectOf(c);
    if (!object) return notFound();
    const record = findForRead(ctx, object.name, c.req.param('id')!);
    const fieldsParam = c.req.query('fields');
    const wanted = fieldsParam ? fieldsParam.split(',').map((f) => f.trim()).filter(Boolean) : undefined;
    const defs = wanted
      ? wanted.map((name) => object.fields.get(name.toLowerCase()) ?? unknownField(name, object.name))
      : [...object.fields.values()];
    const out: Record<string, unknown> = { attributes: { type: object.name, url: recordUrl(versionOf(c), record) } };
    for (const def of defs) out[def.name] = renderValue(def, record.values[def.name]);
    return jsonResponse(200, out);
  });

  app.patch('/services/data/:version/sobjects/:type/:id', async (c) => {
    const object = objectOf(c);
    if (!object) return notFound();
    const id = c.req.param('id')!;
    findForWrite(ctx, object.name, id);
    const result = ctx.state.update(object.name, id, await readJsonObject(c));
    return result.ok ? new Response(null, { status: 204 }) : saveErrors(result.errors);
  });

  app.delete('/services/data/:version/sobjects/:type/:id', (c) => {
    const object = objectOf(c);
    if (!object) return notFound();
    const id = c.req.param('id')!;
    findForWrite(ctx, object.name, id);
    const result = ctx.state.delete(object.name, id);
    return result.ok ? new Response(null, { status: 204 }) : saveErrors(result.errors);
  });
}

function saveErrors(errors: SaveError[]): Response {
  return jsonResponse(400, errors.map((e) => ({ message: e.message, errorCode: e.statusCode, fields: e.fields })));
}

function unknownField(name: string, object: string): never {
  throw new SalesforceApiError(400, 'INVALID_FIELD', `No such column '${name}' on entity '${object}'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names.`);
}

/** A URL id that is not an id is read as an external id by Salesforce, hence that message. */
function findRecord(ctx: SalesforceContext, type: SObjectName, rawId: string): SfRecord {
  const id = normalizeId(rawId);
  if (!id) throw new SalesforceApiError(404, 'NOT_FOUND', `Provided external ID field does not exist or is not accessible: ${rawId}`);
  const record = ctx.state.get(id);
  if (!record || record.type !== type) throw new SalesforceApiError(404, 'NOT_FOUND', 'The requested resource does not exist');
  return record;
}

function findForRead(ctx: SalesforceContext, type: SObjectName, rawId: string): SfRecord {
  const record = findRecord(ctx, type, rawId);
  if (record.values.IsDeleted) throw new SalesforceApiError(404, 'NOT_FOUND', 'The requested resource does not exist');
  return record;
}

function findForWrite(ctx: SalesforceContext, type: SObjectName, rawId: string): SfRecord {
  const record = findRecord(ctx, type, rawId);
  if (record.values.IsDeleted) throw new SalesforceApiError(404, 'ENTITY_IS_DELETED', 'entity is deleted', []);
  return record;
}

/**
 * start/end of getUpdated/getDeleted. Salesforce ignores the seconds, refuses windows older than
 * 30 days, and reports as latestDateCovered the end or "now", whichever is earlier.
 */
/** getUpdated / getDeleted refuse a window holding more ids than the limit (600,000) */
function tooManyIds(found: number, limit: number): void {
  if (found > limit)
    throw new SalesforceApiError(400, 'EXCEEDED_ID_LIMIT', `The number of ids (${found}) exceeds the limit of ${limit}: choose start and end dates that are closer together`);
}

function replicationWindow(c: Context, now: number): { start: number; latest: number } {
  // an unencoded "+00:00" arrives as " 00:00"
  const read = (name: string) => {
    const raw = c.req.query(name);
    if (raw === undefined) throw new SalesforceApiError(400, 'MISSING_ARGUMENT', `${name} parameter is required`);
    const ms = parseDateTime(raw.replace(' ', '+'));
    if (ms === undefined) throw new SalesforceApiError(400, 'INVALID_REPLICATION_DATE', `${name} is not a valid dateTime: ${raw}`);
    return truncateToMinute(ms);
  };
  const start = read('start');
  const end = read('end');
  if (end < start) throw new SalesforceApiError(400, 'INVALID_REPLICATION_DATE', 'EndDate can not be before StartDate');
  if (start < truncateToMinute(now - REPLICATION_WINDOW_MS)) throw new SalesforceApiError(400, 'INVALID_REPLICATION_DATE', 'startDate cannot be more than 30 days ago');
  return { start, latest: Math.min(end, truncateToMinute(now)) };
}
