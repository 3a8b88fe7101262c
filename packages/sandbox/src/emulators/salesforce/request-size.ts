// Salesforce refuses a REST call whose URI plus headers pass 16,384 bytes, before looking at the
// session or the resource: 414 URI Too Long when the URI alone is over, else 431 Request Header
// Fields Too Large (Salesforce Help, knowledge article 000386264). A long SOQL SELECT list in
// GET /query?q= is the usual way to get there; the answer comes from the edge, not the API, so it
// is plain text, not the API's JSON error array.
import type { MiddlewareHandler } from 'hono';

const CRLF = 2;

export function requestSizeGate(limit: () => number): MiddlewareHandler {
  return async (c, next) => {
    const url = new URL(c.req.url);
    const uri = Buffer.byteLength(url.pathname + url.search);
    let headers = 0;
    c.req.raw.headers.forEach((value, name) => {
      headers += Buffer.byteLength(name) + 2 + Buffer.byteLength(value) + CRLF;
    });
    const max = limit();
    if (uri > max) return new Response('URI Too Long', { status: 414, headers: { 'content-type': 'text/plain' } });
    if (uri + headers > max) return new Response('Request Header Fields Too Large', { status: 431, headers: { 'content-type': 'text/plain' } });
    await next();
  };
}
