// Associations v4: list a record's associations, create a default one, batch read. A batch-read
// result holds at most `pageSize` associations of its record; a record with more gets its own
// `paging.next.after` (an opaque token), and the next page is asked for with `{ id, after }`.
import { Hono } from 'hono';
import { z } from 'zod';
import { notFound, validation } from '../errors.js';
import { objectTypeParam, readBody } from '../http-helpers.js';
import { singular } from '../object-types.js';
import { looksLikeCount, type PagingTokens } from '../paging-tokens.js';
import type { HubSpotState } from '../state.js';

const batchReadSchema = z.object({ inputs: z.array(z.object({ id: z.union([z.string(), z.number()]).transform(String), after: z.string().optional() })) });

export function associationRoutes(state: HubSpotState, paging: PagingTokens, pageSize: number): Hono {
  const app = new Hono({ strict: false });
  const graph = state.associations;
  const iso = (ms: number) => new Date(ms).toISOString();

  app.get('/crm/v4/objects/:type/:id/associations/:toType', (c) => {
    const type = objectTypeParam(c);
    const toType = objectTypeParam(c, 'toType');
    const record = state.findLive(type, c.req.param('id'));
    if (!record) throw notFound();
    // v4 answers toObjectId as a JSON number (v3 ids are strings)
    const results = graph.targets(type, record.id, toType).map((t) => ({ toObjectId: Number(t.id), associationTypes: graph.typesOf(type, toType, t.primary) }));
    return c.json({ results });
  });

  app.put('/crm/v4/objects/:type/:id/associations/default/:toType/:toId', (c) => {
    const type = objectTypeParam(c);
    const toType = objectTypeParam(c, 'toType');
    const startedAt = state.now();
    state.associate(type, c.req.param('id'), toType, c.req.param('toId'));
    const from = state.findLive(type, c.req.param('id'))!;
    const to = state.findLive(toType, c.req.param('toId'))!;
    const primary = graph.targets(type, from.id, toType).find((t) => t.id === to.id)?.primary ?? false;
    const spec = graph.typesOf(type, toType, primary).at(-1)!;
    return c.json({
      status: 'COMPLETE',
      results: [{ from: { id: from.id }, to: { id: to.id }, associationSpec: { associationCategory: spec.category, associationTypeId: spec.typeId } }],
      startedAt: iso(startedAt),
      completedAt: iso(state.now()),
    });
  });

  app.post('/crm/v4/associations/:type/:toType/batch/read', async (c) => {
    const type = objectTypeParam(c);
    const toType = objectTypeParam(c, 'toType');
    const startedAt = state.now();
    const input = await readBody(c, batchReadSchema, 'BatchInputPublicFetchAssociationsBatchRequest');
    const results: unknown[] = [];
    const missing: string[] = [];
    for (const { id, after } of input.inputs) {
      const r = state.findLive(type, id);
      const targets = r ? graph.targets(type, r.id, toType) : [];
      if (!r || targets.length === 0) {
        missing.push(id);
        continue;
      }
      const scope = JSON.stringify(['associations', type, toType, r.id]);
      const start = after === undefined ? 0 : positionOf(paging, scope, id, after);
      const page = targets.slice(start, start + pageSize);
      const result: Record<string, unknown> = { from: { id }, to: page.map((t) => ({ toObjectId: Number(t.id), associationTypes: graph.typesOf(type, toType, t.primary) })) };
      // present only when there are more (HubSpot: "absent otherwise")
      if (start + page.length < targets.length) result.paging = { next: { after: paging.issue(scope, start + page.length) } };
      results.push(result);
    }
    const body: Record<string, unknown> = { status: 'COMPLETE', results, startedAt: iso(startedAt), completedAt: iso(state.now()) };
    if (missing.length) {
      body.numErrors = missing.length;
      body.errors = missing.map((id) => ({
        status: 'error',
        category: 'OBJECT_NOT_FOUND',
        subCategory: 'crm.associations.NO_ASSOCIATIONS_FOUND',
        message: `No ${singular[toType]} is associated with ${singular[type]} ${id}.`,
        context: { fromObjectId: [id] },
        errors: [],
        links: {},
      }));
      return c.json(body, 207);
    }
    return c.json(body);
  });
  return app;
}

function positionOf(paging: PagingTokens, scope: string, id: string, after: string): number {
  const fix = 'send the paging.next.after of that record\'s previous result as is';
  if (looksLikeCount(after)) throw validation(`inputs[id=${id}].after must be a paging token, not a count of associations (got ${after}); ${fix}`);
  const at = paging.read(scope, after);
  if (at === undefined) throw validation(`inputs[id=${id}].after ${after} is not a paging token issued for this record and association type; ${fix}`);
  return at;
}
