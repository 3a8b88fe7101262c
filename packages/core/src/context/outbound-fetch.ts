// fetch under the outbound address policy: the URL is checked (after DNS resolution) before the
// request, and so is every redirect, which is followed here (at most 5) instead of by fetch, so
// that a vendor answering 302 → http://169.254.169.254/ cannot send the call there. A redirect to
// another origin drops the Authorization and Cookie headers, as fetch itself does.
// These checks give the early, precise error; what enforces the policy is the dispatcher passed
// to fetch (outbound-connect.ts): it resolves the name again at connect time and connects only to
// an address it checked, so a name that answers differently the second time (DNS rebinding) is
// refused there.
import type { Dispatcher } from 'undici';
import { checkOutboundUrl, type OutboundPolicy } from './outbound.js';
import { createOutboundDispatcher, outboundRefusal } from './outbound-connect.js';

const MAX_REDIRECTS = 5;
const redirectStatuses = new Set([301, 302, 303, 307, 308]);
/** an allowed origin is not resolved again within this time (ms of the injected clock) */
const VERDICT_MS = 60_000;

export interface OutboundFetchDeps {
  policy: OutboundPolicy;
  fetch: typeof fetch;
  now: () => number;
  /** the setting the URLs come from, for errors (e.g. `connectors.hubspot`) */
  where: string;
  /** the connect-time check given to fetch as its `dispatcher` (default: one built from the policy) */
  dispatcher?: Dispatcher;
}

function withoutCredentials(headers: RequestInit['headers']): Headers {
  const h = new Headers(headers);
  h.delete('authorization');
  h.delete('cookie');
  return h;
}

export function createOutboundFetch(deps: OutboundFetchDeps): (url: string, init?: RequestInit) => Promise<Response> {
  const allowed = new Map<string, number>(); // origin → allowed until
  const dispatcher = deps.dispatcher ?? createOutboundDispatcher(deps.policy, deps.where);
  // every request goes out through the checking dispatcher; a refusal there is the policy's error
  const send = (url: string, init: RequestInit): Promise<Response> =>
    deps.fetch(url, { ...init, dispatcher } as RequestInit).catch((e: unknown) => {
      throw outboundRefusal(e, deps.where) ?? e;
    });

  async function check(url: string): Promise<void> {
    const origin = new URL(url).origin;
    if ((allowed.get(origin) ?? -Infinity) > deps.now()) return;
    await checkOutboundUrl(url, deps.policy, deps.where);
    allowed.set(origin, deps.now() + VERDICT_MS);
  }

  return async function outboundFetch(url, init = {}) {
    await check(url);
    // the caller handles redirects itself: nothing is followed here
    if (init.redirect === 'manual' || init.redirect === 'error') return send(url, init);
    let current = url;
    let currentInit: RequestInit = init;
    for (let hop = 0; ; hop++) {
      const response = await send(current, { ...currentInit, redirect: 'manual' });
      const location = response.headers.get('location');
      if (!redirectStatuses.has(response.status) || !location) return response;
      await response.body?.cancel();
      if (hop >= MAX_REDIRECTS) throw new Error(`more than ${MAX_REDIRECTS} redirects from ${url}`);
      const next = new URL(location, current).toString();
      await check(next);
      const method = (currentInit.method ?? 'GET').toUpperCase();
      if (response.status === 303 || ((response.status === 301 || response.status === 302) && method === 'POST')) currentInit = { ...currentInit, method: 'GET', body: undefined };
      if (new URL(next).origin !== new URL(current).origin) currentInit = { ...currentInit, headers: withoutCredentials(currentInit.headers) };
      current = next;
    }
  };
}
