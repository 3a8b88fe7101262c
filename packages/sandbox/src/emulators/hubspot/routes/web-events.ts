// Behavioral events: GET /events/v3/events returns the events of ONE CRM record. HubSpot requires
// `objectType` plus `objectId` (or `objectProperty.<unique property>`, e.g. objectProperty.email for
// contacts), and pages with the opaque `paging.next.after` token. A request without a record, or a
// numeric / forged `after`, is a 400 VALIDATION_ERROR naming the parameter.
import { Hono, type Context } from 'hono';
import { looksLikeCount, type PagingTokens } from '../paging-tokens.js';
import { parseObjectType, singular, type ObjectType } from '../object-types.js';
import type { WebEvent } from '../signals.js';
import type { HubSpotState } from '../state.js';
import { badParam, intParam, timeParam } from './query-params.js';

/** the object types that have web events here, and the unique properties objectProperty.* may name */
const uniqueProperties: Partial<Record<ObjectType, string[]>> = { contacts: ['hs_object_id', 'email'], companies: ['hs_object_id'] };

export function webEventRoutes(state: HubSpotState, tokens: PagingTokens): Hono {
  const app = new Hono({ strict: false });

  app.get('/events/v3/events', (c) => {
    const type = objectTypeOf(c.req.query('objectType'));
    const recordId = recordOf(state, type, c);
    const eventType = c.req.query('eventType');
    const after = timeParam(c.req.query('occurredAfter'), 'occurredAfter');
    const before = timeParam(c.req.query('occurredBefore'), 'occurredBefore');
    const limit = Math.min(intParam(c.req.query('limit'), 100, 'limit'), 100);
    const scope = JSON.stringify(['web-events', type, recordId ?? null, eventType ?? null, after ?? null, before ?? null]);
    const offset = cursorOf(tokens, scope, c.req.query('after'));
    const matching = (recordId === undefined ? [] : eventsOf(state, type, recordId)).filter(
      (e) => (!eventType || e.eventType === eventType) && (after === undefined || e.occurredAt > after) && (before === undefined || e.occurredAt < before),
    );
    const page = matching.slice(offset, offset + limit);
    const body: Record<string, unknown> = {
      results: page.map((e) => ({ objectType: e.objectType, objectId: e.objectId, eventType: e.eventType, occurredAt: new Date(e.occurredAt).toISOString(), id: e.id, properties: e.properties })),
    };
    if (offset + page.length < matching.length) body.paging = { next: { after: tokens.issue(scope, offset + page.length) } };
    return c.json(body);
  });
  return app;
}

/** a record's events in time order, with those of the records merged into it (they belong to the survivor) */
function eventsOf(state: HubSpotState, type: ObjectType, recordId: string): WebEvent[] {
  const prefix = type === 'contacts' ? 'CONTACT' : 'COMPANY';
  const merged = (state.stores[type].get(recordId)?.properties.hs_merged_object_ids ?? '').split(';').filter(Boolean);
  const lists = [recordId, ...merged].map((id) => state.webEventsByObject.get(`${prefix}:${id}`) ?? []);
  return lists.length === 1 ? lists[0]! : lists.flat().sort((a, b) => a.occurredAt - b.occurredAt);
}

function objectTypeOf(raw: string | undefined): ObjectType {
  if (!raw) throw badParam('objectType', 'objectType is required: the events API returns the events of one CRM record (objectType with objectId or objectProperty.<property>)');
  const type = parseObjectType(raw);
  if (!type || !uniqueProperties[type]) throw badParam('objectType', `Unable to infer object type from: ${raw}`);
  return type;
}

/** the id of the record the request names, undefined when no record has that property value */
function recordOf(state: HubSpotState, type: ObjectType, c: Context): string | undefined {
  const objectId = c.req.query('objectId');
  if (objectId !== undefined && objectId !== '') {
    if (!/^\d+$/.test(objectId)) throw badParam('objectId', `objectId must be an integer (int64) but was ${objectId}`);
    return state.resolve(type, objectId)?.id;
  }
  const byProperty = Object.entries(c.req.queries() ?? {}).filter(([k]) => k.startsWith('objectProperty.'));
  if (byProperty.length === 0) {
    throw badParam('objectId', `objectId or objectProperty.<property> is required with objectType=${singular[type]}: the events API returns the events of one CRM record`);
  }
  if (byProperty.length > 1) throw badParam('objectProperty', `only one objectProperty.<property> may be given, got ${byProperty.map(([k]) => k).join(', ')}`);
  const [key, values] = byProperty[0]!;
  const property = key.slice('objectProperty.'.length);
  if (!uniqueProperties[type]!.includes(property)) {
    throw badParam(key, `${property} is not a unique identifier property of ${singular[type]} (use one of ${uniqueProperties[type]!.join(', ')})`);
  }
  return state.findLive(type, values[0] ?? '', property)?.id;
}

function cursorOf(tokens: PagingTokens, scope: string, raw: string | undefined): number {
  if (raw === undefined || raw === '') return 0;
  if (looksLikeCount(raw)) throw badParam('after', `after must be the paging.next.after token of the previous page, not a count of events (got ${raw})`);
  const at = tokens.read(scope, raw);
  if (at === undefined) throw badParam('after', `after ${raw} is not a paging token issued for this query (same objectType, record, eventType, occurredAfter and occurredBefore)`);
  return at;
}
