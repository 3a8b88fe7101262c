// One request through ctx.http, for a connector that keeps its own retry loop (it must read every
// status itself: LinkedIn's 401 refresh, 426 version sunset, 429 daily limit). ctx.http applies the
// outbound address policy (checked at connect time, redirects too) but answers a non-2xx status
// by throwing; here that answer comes back as the vendor's Response, whatever its status.
// A refused address (RevloopError OUTBOUND_*) and a transport failure are thrown as they are: the
// caller decides what a dropped connection means for its call.
import { HttpError, type PluginContext } from '@revloop/core';

/** statuses whose Response may carry no body */
const bodiless = new Set([101, 204, 205, 304]);

export async function sendOnce(ctx: Pick<PluginContext<any>, 'http'>, url: string, init: RequestInit = {}): Promise<Response> {
  try {
    // retries: 0 — the caller's loop waits and repeats (on ctx.clock)
    return await ctx.http.request(url, { ...init, retries: 0 });
  } catch (e) {
    if (e instanceof HttpError) return new Response(bodiless.has(e.status) ? null : e.body, { status: e.status, headers: e.headers });
    throw e;
  }
}
