// sObject Collections (/composite/sobjects): up to 200 records a request, allOrNone false. The
// answer is 200 even when records fail; each result says success or errors, and a failed create
// has no id: results are matched to the input by position, never by id.
import { z } from 'zod';
import type { PluginContext } from '@revloop/core';
import { clientFor } from './client.js';
import type { SalesforceConfig } from './config.js';
import { chunk } from './soql.js';

const saveResultSchema = z.array(
  z.looseObject({
    id: z.string().nullish(),
    success: z.boolean(),
    errors: z.array(z.looseObject({ statusCode: z.string(), message: z.string(), fields: z.array(z.string()).optional() })).default([]),
  }),
);
export type SaveResult = z.infer<typeof saveResultSchema>[number];

export const COLLECTION_LIMIT = 200;

export function describeErrors(r: SaveResult): string {
  return r.errors.map((e) => `${e.statusCode}: ${e.message}${e.fields?.length ? ` (${e.fields.join(', ')})` : ''}`).join('; ') || 'failed without an error';
}

export async function compositeWrite(
  ctx: PluginContext<SalesforceConfig>,
  method: 'POST' | 'PATCH',
  records: { type: string; fields: Record<string, unknown>; id?: string }[],
  /** false: a PATCH whose outcome is unknown is not re-sent by the client (the caller looks first) */
  options: { retry?: boolean } = {},
): Promise<SaveResult[]> {
  const out: SaveResult[] = [];
  for (const part of chunk(records, COLLECTION_LIMIT)) {
    const body = { allOrNone: false, records: part.map((r) => ({ attributes: { type: r.type }, ...(r.id ? { id: r.id } : {}), ...r.fields })) };
    const results = saveResultSchema.parse(await clientFor(ctx).request({ method, url: '/composite/sobjects', body, retry: method !== 'POST' && options.retry !== false }, `${method} /composite/sobjects`));
    if (results.length !== part.length) throw new Error(`Salesforce answered ${results.length} results for ${part.length} records`);
    out.push(...results);
  }
  return out;
}
