// A SOQL query is sent as GET /query?q=…, and Salesforce refuses a REST call whose URI plus headers
// pass 16,384 bytes (414 URI Too Long / 431 Request Header Fields Too Large); it recommends keeping
// the URI under 2,000 characters, since the query it runs is longer than the one sent. A SELECT
// list holding every custom field of an org with hundreds of them passes that. Such a query goes
// in the BODY of a POST /composite call instead (one subrequest; still one API request), as
// Salesforce's help article 000386264 advises; jsforce has no POST query (conn.query always GETs).
import { z } from 'zod';

/** Salesforce's recommended ceiling for a request URI (path + query), characters */
export const MAX_GET_URI = 2_000;

export const compositeAnswerSchema = z.looseObject({
  compositeResponse: z.array(z.looseObject({ body: z.unknown(), httpStatusCode: z.number(), referenceId: z.string() })).length(1),
});

const errorBodySchema = z.array(z.looseObject({ errorCode: z.string(), message: z.string() })).min(1);

/** true when `/services/data/vXX.X${url}` is past the recommended URI length */
export const tooLongForGet = (apiVersion: string, url: string): boolean => `/services/data/v${apiVersion}${url}`.length > MAX_GET_URI;

export function compositeBody(apiVersion: string, method: string, url: string) {
  return { compositeRequest: [{ method, url: `/services/data/v${apiVersion}${url}`, referenceId: 'only' }] };
}

/** the subrequest's answer, or its error thrown the way jsforce throws a direct call's (errorCode, message) */
export function unwrapComposite<T>(answer: unknown): T {
  const sub = compositeAnswerSchema.parse(answer).compositeResponse[0]!;
  if (sub.httpStatusCode < 400) return sub.body as T;
  const parsed = errorBodySchema.safeParse(sub.body);
  const first = parsed.success ? parsed.data[0]! : { errorCode: `ERROR_HTTP_${sub.httpStatusCode}`, message: JSON.stringify(sub.body).slice(0, 300) };
  throw Object.assign(new Error(first.message), { name: first.errorCode, errorCode: first.errorCode, statusCode: sub.httpStatusCode });
}
