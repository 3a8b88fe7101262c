// Reads a JSON request body, answering malformed JSON the way Salesforce does.
import type { Context } from 'hono';
import { SalesforceApiError } from '../errors.js';

export async function readJson(c: Context): Promise<unknown> {
  const text = await c.req.text();
  try {
    return JSON.parse(text);
  } catch {
    const bad = text.trim()[0] ?? '<EOF>';
    throw new SalesforceApiError(
      400,
      'JSON_PARSER_ERROR',
      `Unexpected character ('${bad}' (code ${bad.charCodeAt(0) || 0})): expected a valid value (JSON String, Number, Array, Object or token 'null', 'true' or 'false') at [line:1, column:1]`,
    );
  }
}

export async function readJsonObject(c: Context): Promise<Record<string, unknown>> {
  const body = await readJson(c);
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw new SalesforceApiError(400, 'JSON_PARSER_ERROR', 'Cannot deserialize instance of sObject from START_ARRAY value [line:1, column:1]');
  return body as Record<string, unknown>;
}
