// GET /query?q=, /queryAll?q= and the nextRecordsUrl follow-ups (/query/01g…-2000).
import type { Hono } from 'hono';
import { errorResponse, jsonResponse, SalesforceApiError, soqlErrorMessage } from '../errors.js';
import type { SfRecord } from '../record.js';
import { compileQuery } from '../soql/compile.js';
import { parseSoql } from '../soql/parse.js';
import { SoqlSyntaxError } from '../soql/tokenize.js';
import { batchSizeFrom } from '../query-cursors.js';
import { type SalesforceContext } from '../context.js';
import { versionOf } from './version.js';

/** Salesforce caps OFFSET at 2,000. */
const MAX_OFFSET = 2000;

export function registerQueryRoutes(app: Hono, ctx: SalesforceContext): void {
  const run = (includeDeleted: boolean) => (c: import('hono').Context) => {
    const version = versionOf(c);
    const soql = c.req.query('q');
    if (soql === undefined || soql.trim() === '') return errorResponse(400, 'MALFORMED_QUERY', 'A query string has to be specified');
    let parsed;
    try {
      parsed = parseSoql(soql);
    } catch (e) {
      if (e instanceof SoqlSyntaxError) return errorResponse(400, 'MALFORMED_QUERY', soqlErrorMessage(soql, e.pos, e.message));
      throw e;
    }
    const q = compileQuery(parsed, ctx.state.schema, ctx.state.get, version);
    if (q.offset > MAX_OFFSET) throw new SalesforceApiError(400, 'NUMBER_OUTSIDE_VALID_RANGE', `Maximum SOQL offset allowed is ${MAX_OFFSET}`);
    let matches: SfRecord[] = [];
    for (const r of ctx.state.all(q.object.name)) if ((includeDeleted || !r.values.IsDeleted) && q.filter(r)) matches.push(r);
    if (q.sort) matches = q.sort(matches);
    if (q.offset || q.limit !== undefined) matches = matches.slice(q.offset, q.limit === undefined ? undefined : q.offset + q.limit);
    if (q.count) return jsonResponse(200, { totalSize: matches.length, done: true, records: [] });
    const page = ctx.cursors.open(matches, q.project, batchSizeFrom(c.req.header('sforce-query-options')), version);
    return jsonResponse(200, page);
  };
  const more = (c: import('hono').Context) =>
    jsonResponse(200, ctx.cursors.more(c.req.param('locator')!, batchSizeFrom(c.req.header('sforce-query-options')), versionOf(c)));

  app.get('/services/data/:version/query', run(false));
  app.get('/services/data/:version/queryAll', run(true));
  app.get('/services/data/:version/query/:locator', more);
  app.get('/services/data/:version/queryAll/:locator', more);
}
