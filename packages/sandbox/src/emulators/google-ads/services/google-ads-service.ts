// GoogleAdsService: SearchStream (batches of 10,000 rows) and Search (pages of 10,000 rows).
import { status as GrpcStatus } from '@grpc/grpc-js';
import { z } from 'zod';
import type { CallContext } from '../call-context.js';
import { adsError, GoogleAdsCallError } from '../failure.js';
import { executeGaql } from '../gaql/execute.js';
import { parseGaql } from '../gaql/parse.js';
import { streamHandler, unaryHandler } from '../handlers.js';

/** The real API's fixed batch / page size. */
export const ROWS_PER_MESSAGE = 10_000;

const searchStreamRequest = z.object({ customer_id: z.string().default(''), query: z.string().default('') }).passthrough();
const searchRequest = searchStreamRequest.extend({
  page_token: z.string().optional(),
  search_settings: z.object({ return_total_results_count: z.boolean().optional() }).passthrough().optional(),
});

type Row = Record<string, unknown>;

export function googleAdsServiceHandlers(ctx: CallContext) {
  const runQuery = (query: string) => executeGaql(ctx.state, parseGaql(query));
  return {
    SearchStream: streamHandler(ctx, (r) => String(r.customer_id ?? ''), (raw, requestId) => {
      const req = searchStreamRequest.parse(raw);
      const { rows, fieldMask } = runQuery(req.query);
      const messages: { results: Row[]; field_mask: { paths: string[] }; request_id: string }[] = [];
      for (let i = 0; i < rows.length; i += ROWS_PER_MESSAGE) {
        messages.push({ results: rows.slice(i, i + ROWS_PER_MESSAGE), field_mask: { paths: fieldMask }, request_id: requestId });
      }
      // an empty result is still one message carrying the field mask
      if (messages.length === 0) messages.push({ results: [], field_mask: { paths: fieldMask }, request_id: requestId });
      return messages;
    }),
    Search: unaryHandler(ctx, (r) => String(r.customer_id ?? ''), (raw) => {
      const req = searchRequest.parse(raw);
      const { rows, fieldMask } = runQuery(req.query);
      const offset = req.page_token ? Number(req.page_token) : 0;
      if (!Number.isInteger(offset) || offset < 0 || offset > rows.length) {
        throw new GoogleAdsCallError(GrpcStatus.INVALID_ARGUMENT, [adsError({ request_error: 'INVALID_PAGE_TOKEN' }, 'Page token is invalid.')]);
      }
      const end = offset + ROWS_PER_MESSAGE;
      return {
        results: rows.slice(offset, end),
        next_page_token: end < rows.length ? String(end) : '',
        total_results_count: req.search_settings?.return_total_results_count ? String(rows.length) : '0',
        field_mask: { paths: fieldMask },
        query_resource_consumption: '0',
      };
    }),
  };
}
