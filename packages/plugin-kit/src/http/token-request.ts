// A form-encoded POST to an OAuth token endpoint (refresh grant, introspection) through ctx.http,
// so that the outbound address policy applies to the token URL and to every redirect: a token URL
// at a metadata, link-local or private address (or plain http off this machine) is refused before
// a connection is made, with OUTBOUND_REFUSED naming the setting. The client secret and refresh
// token travel in this request: it must not go anywhere a vendor API call could not.
// A 5xx, a 429 or a dropped connection says nothing about the credential: tried again, waiting on
// ctx.clock (simulated in the sandbox). Any other answer (2xx, 400 invalid_grant, 401) is final
// and handed back for the connector to read in its vendor's words.
import { HttpError, isRevloopError, type PluginContext } from '@revloop/core';
import { sendOnce } from './send-once.js';

export interface TokenEndpointAnswer {
  status: number;
  ok: boolean;
  text: string;
  /** the body as JSON, or undefined when it is not JSON */
  json: unknown;
}

export interface TokenRequestOptions {
  /** attempts after the first for a 5xx, a 429 or a dropped connection (default 3) */
  retries?: number;
  /** first wait, doubled each attempt, ms on ctx.clock (default 500) */
  backoffMs?: number;
  headers?: Record<string, string>;
  /** the error thrown when the endpoint gave no final answer (`reason`: e.g. "HTTP 503") */
  unavailable(reason: string, cause: unknown): Error;
}

function parse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

const answer = (status: number, text: string): TokenEndpointAnswer => ({ status, ok: status >= 200 && status < 300, text, json: parse(text) });

export async function postTokenForm(ctx: PluginContext<any>, url: string, form: Record<string, string>, options: TokenRequestOptions): Promise<TokenEndpointAnswer> {
  const retries = options.retries ?? 3;
  const backoffMs = options.backoffMs ?? 500;
  const body = new URLSearchParams(form).toString();
  let reason = '';
  let cause: unknown;
  for (let attempt = 0; attempt <= retries; attempt++) {
    try {
      // one request, whatever its status (the waits are this loop's, on ctx.clock); a refused
      // address (OUTBOUND_*: no request was made, none should be) is thrown and not caught below
      const r = await sendOnce(ctx, url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json', ...options.headers }, body, signal: ctx.signal });
      const text = await r.text();
      if (r.status < 500 && r.status !== 429) return answer(r.status, text);
      reason = `HTTP ${r.status}`;
      cause = new HttpError(r.status, text, url, r.headers);
    } catch (e) {
      if (isRevloopError(e)) throw e;
      reason = (e as Error).message;
      cause = e;
    }
    if (ctx.signal.aborted) break;
    if (attempt < retries) await ctx.clock.sleep(backoffMs * 2 ** attempt);
  }
  throw options.unavailable(reason, cause);
}
