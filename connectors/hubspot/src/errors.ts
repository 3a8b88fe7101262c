// How @hubspot/api-client reports failures (ApiException: code = HTTP status, body = HubSpot's
// error JSON; node-fetch FetchError for dropped connections), and what revloop does about each.
import { RevloopError } from '@revloop/core';
import { HUBSPOT_SCOPES, SCOPE_LIST } from './scopes.js';

export interface VendorFailure {
  status: number; // 0 for a network failure
  /** a network failure's system code (node-fetch FetchError: ENOTFOUND, EAI_AGAIN, ECONNREFUSED…) */
  network?: string;
  category?: string;
  policyName?: string;
  /** MISSING_SCOPES: the scopes HubSpot names in errors[].context.requiredGranularScopes */
  requiredScopes?: string[];
  message: string;
}

export function describeFailure(e: unknown): VendorFailure {
  const err = e as { code?: unknown; body?: unknown; message?: string; name?: string };
  if (typeof err?.code === 'number') {
    let body = err.body as Record<string, unknown> | string | undefined;
    if (typeof body === 'string') {
      try {
        body = JSON.parse(body) as Record<string, unknown>;
      } catch {
        /* keep the text */
      }
    }
    const b = (body && typeof body === 'object' ? body : {}) as Record<string, unknown>;
    return {
      status: err.code,
      category: typeof b.category === 'string' ? b.category : undefined,
      policyName: typeof b.policyName === 'string' ? b.policyName : undefined,
      requiredScopes: requiredScopesOf(b),
      // the SDK's own message embeds the response headers: keep HubSpot's message only
      message: typeof b.message === 'string' ? b.message : typeof body === 'string' ? body.slice(0, 300) : `HTTP ${err.code}`,
    };
  }
  return { status: 0, network: typeof err?.code === 'string' ? err.code : undefined, message: err?.message ?? String(e) };
}

/** a host name that DNS cannot resolve (ENOTFOUND), or not now (EAI_AGAIN): no retry later fixes a wrong name */
const DNS_FAILURES = new Set(['ENOTFOUND', 'EAI_AGAIN']);

export const isTransient = (f: VendorFailure) => f.status === 0 || f.status >= 500;
export const isPacingLimit = (f: VendorFailure) => f.status === 429 && f.policyName !== 'DAILY';
export const isDailyLimit = (f: VendorFailure) => f.status === 429 && f.policyName === 'DAILY';

export const TOKEN_FIX =
  `create or rotate the private app token in HubSpot (Settings → Integrations → Private apps → your app → Auth → "Show token" / "Rotate") with the scopes ${SCOPE_LIST}, and put it in the secret behind connectors.<name>.accessToken`;

export function tokenRefused(where: string, f: VendorFailure): RevloopError {
  return new RevloopError('HUBSPOT_TOKEN_REFUSED', `HubSpot refused the access token (${f.category ?? 'HTTP 401'}: ${f.message.slice(0, 160)})`, { where, fix: TOKEN_FIX });
}

export function dailyLimitSpent(where: string, detail: string): RevloopError {
  return new RevloopError('RATE_LIMIT_EXHAUSTED', `the daily API limit of the HubSpot portal is spent (${detail})`, {
    where,
    fix: 'nothing is lost: the next run resumes from the last checkpoint after midnight (portal time zone), or raise the limit with HubSpot\'s API add-on',
  });
}

export function vendorError(where: string, f: VendorFailure): RevloopError {
  if (f.status === 403 && f.category === 'MISSING_SCOPES') return scopeMissing(where, f);
  if (f.network && DNS_FAILURES.has(f.network)) {
    const host = /(?:ENOTFOUND|EAI_AGAIN) (\S+)/.exec(f.message)?.[1] ?? 'the HubSpot host';
    return new RevloopError('HUBSPOT_HOST_UNRESOLVED', `the host ${host} could not be resolved (DNS ${f.network}): ${f.message.slice(0, 300)}`, {
      where,
      fix: `check the host name in the connector's baseUrl (HubSpot's is https://api.hubapi.com; leave baseUrl out to use it) and that this machine can resolve it (DNS, network, proxy)${f.network === 'EAI_AGAIN' ? '; EAI_AGAIN is a temporary DNS failure: check the network, then run again' : ''}`,
    });
  }
  return new RevloopError('HUBSPOT_REQUEST_FAILED', `HubSpot answered ${f.status || 'no response'}${f.category ? ` ${f.category}` : ''}: ${f.message.slice(0, 400)}`, {
    where,
    fix: f.status === 0 || f.status >= 500 ? 'HubSpot or the network failed repeatedly: run the sync again later (it resumes from its checkpoint)' : 'see the message; the request was refused as sent',
    cause: f,
  });
}

/** HubSpot refused the request as sent (400): e.g. a paging token it no longer honours */
export const isRefusedRequest = (e: unknown): boolean => e instanceof RevloopError && (e.cause as VendorFailure | undefined)?.status === 400;

/** HubSpot said there is more but gave no (new) paging token: asking again would loop forever */
export function pagingStuck(where: string, what: string, field: string): RevloopError {
  return new RevloopError('HUBSPOT_PAGING_STUCK', `HubSpot answered a page of ${what} with more to come but without a new \`${field}\` token to ask for it`, {
    where,
    fix: 'run the sync again (it resumes from the last stored page); if it repeats, report the request to HubSpot support with the correlation id from the debug log',
  });
}

function requiredScopesOf(body: Record<string, unknown>): string[] | undefined {
  const errors = Array.isArray(body.errors) ? (body.errors as Array<{ context?: Record<string, unknown> }>) : [];
  const scopes = errors.flatMap((e) => [e.context?.requiredGranularScopes, e.context?.requiredScopes].flatMap((v) => (Array.isArray(v) ? v.map(String) : [])));
  return scopes.length ? [...new Set(scopes)] : undefined;
}

/** 403 MISSING_SCOPES: the token works but its private app lacks a scope this request needs */
export function scopeMissing(where: string, f: VendorFailure): RevloopError {
  const scopes = f.requiredScopes?.length ? f.requiredScopes : undefined;
  const usedBy = scopes?.map((s) => HUBSPOT_SCOPES.find(([name]) => name === s)?.[1]).filter(Boolean);
  return new RevloopError('HUBSPOT_SCOPE_MISSING', `HubSpot refused the request: the private app lacks ${scopes ? `the scope ${scopes.join(', ')}` : 'a scope this request needs'}${usedBy?.length ? `, needed by ${usedBy.join('; ')}` : ''}`, {
    where,
    fix: `in HubSpot: Settings → Integrations → Private apps → your app → Scopes, add ${scopes ? scopes.join(', ') : 'the missing scope'} (the connector needs ${SCOPE_LIST}), save, and use the app's token`,
  });
}
