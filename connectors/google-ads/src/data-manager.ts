// The Data Manager API (datamanager.googleapis.com, v1 REST), the path Google directs new
// integrations to for Customer Match and offline conversions (uploadPath: 'data-manager').
// - POST /v1/audienceMembers:ingest | :remove | /v1/events:ingest answer {requestId} at once; the
//   work is asynchronous: GET /v1/requestStatus:retrieve?requestId= reports per destination
//   PROCESSING → SUCCESS | PARTIAL_SUCCESS | FAILED with error counts per ProcessingErrorReason
//   (counts, not which records). The connector polls it every jobPollIntervalMs up to jobTimeoutMs.
// - Fast fail: one invalid record refuses the whole request (HTTP 400, google.rpc.BadRequest).
// - OAuth scope https://www.googleapis.com/auth/datamanager; no developer token.
import { HttpError, RevloopError, type PluginContext } from '@revloop/core';
import type { GoogleAdsConfig } from './config.js';
import { accessTokens } from './client.js';

export interface DmDestination {
  operatingAccount: { accountType: 'GOOGLE_ADS'; accountId: string };
  loginAccount?: { accountType: 'GOOGLE_ADS'; accountId: string };
  productDestinationId: string;
}

export interface DmOutcome {
  requestId: string;
  status: 'SUCCESS' | 'PARTIAL_SUCCESS' | 'FAILED';
  errorCounts: { reason: string; recordCount: number }[];
}

interface StatusResponse {
  requestStatusPerDestination?: { requestStatus?: string; errorInfo?: { errorCounts?: { reason?: string; recordCount?: string | number }[] } }[];
}

const tokenSources = new WeakMap<object, () => Promise<string>>();

/** this account (and the manager it is reached through) as a Data Manager destination */
export function destination(config: GoogleAdsConfig, productDestinationId: string): DmDestination {
  return {
    operatingAccount: { accountType: 'GOOGLE_ADS', accountId: config.customerId },
    ...(config.loginCustomerId ? { loginAccount: { accountType: 'GOOGLE_ADS' as const, accountId: config.loginCustomerId } } : {}),
    productDestinationId,
  };
}

async function headers(ctx: PluginContext<GoogleAdsConfig>): Promise<Record<string, string>> {
  const h: Record<string, string> = { 'content-type': 'application/json' };
  if (ctx.config.insecure) return h; // a loopback emulator: no OAuth exchange
  let tokens = tokenSources.get(ctx);
  if (!tokens) tokenSources.set(ctx, (tokens = accessTokens(ctx)));
  h.authorization = `Bearer ${await tokens()}`;
  return h;
}

function dmError(e: unknown, what: string, where: string): Error {
  if (!(e instanceof HttpError)) return e as Error;
  let message = e.body.slice(0, 500);
  try {
    const body = JSON.parse(e.body) as { error?: { message?: string; status?: string } };
    if (body.error?.message) message = `${body.error.status ?? e.status}: ${body.error.message}`;
  } catch {
    /* not JSON: keep the text */
  }
  const fix =
    e.status === 401
      ? 'check clientId, clientSecret and refreshToken; the OAuth consent must include the https://www.googleapis.com/auth/datamanager scope'
      : e.status === 403
        ? 'the OAuth user needs access to the Google Ads account (customerId, and loginCustomerId for a manager) and the datamanager scope'
        : e.status === 400
          ? 'the Data Manager API refused the whole request (fast fail: nothing of it was processed); fix the field named above'
          : 'a transient failure that outlasted the retries: run again later';
  return new RevloopError('GOOGLE_DATA_MANAGER_FAILED', `Data Manager API ${what} failed (HTTP ${e.status}): ${message}`, { where, fix, cause: e, ...(e.status === 400 ? { kind: 'bad_input' as const } : {}) });
}

/** POST one ingestion request; resolves with its requestId */
export async function dmSend(ctx: PluginContext<GoogleAdsConfig>, method: 'audienceMembers:ingest' | 'audienceMembers:remove' | 'events:ingest', body: object, where: string): Promise<string> {
  const url = `${ctx.config.dataManagerEndpoint.replace(/\/$/, '')}/v1/${method}`;
  try {
    const r = await ctx.http.json<{ requestId?: string }>(url, { method: 'POST', headers: await headers(ctx), body: JSON.stringify(body), retries: ctx.config.maxRetries, signal: ctx.signal });
    if (!r.requestId) throw new RevloopError('GOOGLE_DATA_MANAGER_FAILED', `Data Manager API ${method} answered without a requestId`, { where, fix: 'check dataManagerEndpoint' });
    return r.requestId;
  } catch (e) {
    throw dmError(e, method, where);
  }
}

/** polls requestStatus:retrieve until no destination is PROCESSING (or jobTimeoutMs) */
export async function dmAwait(ctx: PluginContext<GoogleAdsConfig>, requestId: string, where: string): Promise<DmOutcome> {
  const { jobPollIntervalMs, jobTimeoutMs } = ctx.config;
  const started = ctx.clock.now();
  const url = `${ctx.config.dataManagerEndpoint.replace(/\/$/, '')}/v1/requestStatus:retrieve?requestId=${encodeURIComponent(requestId)}`;
  for (let polls = 1; ; polls++) {
    let r: StatusResponse;
    try {
      r = await ctx.http.json<StatusResponse>(url, { method: 'GET', headers: await headers(ctx), retries: ctx.config.maxRetries, signal: ctx.signal });
    } catch (e) {
      throw dmError(e, 'requestStatus:retrieve', where);
    }
    const per = r.requestStatusPerDestination ?? [];
    const statuses = per.map((d) => d.requestStatus ?? 'REQUEST_STATUS_UNKNOWN');
    if (per.length && !statuses.some((s) => s === 'PROCESSING' || s === 'REQUEST_STATUS_UNKNOWN')) {
      const errorCounts = per.flatMap((d) => d.errorInfo?.errorCounts ?? []).map((c) => ({ reason: c.reason ?? 'PROCESSING_ERROR_REASON_UNSPECIFIED', recordCount: Number(c.recordCount ?? 0) }));
      const status = statuses.every((s) => s === 'SUCCESS') ? 'SUCCESS' : statuses.every((s) => s === 'FAILED') ? 'FAILED' : 'PARTIAL_SUCCESS';
      return { requestId, status, errorCounts };
    }
    const waited = ctx.clock.now() - started;
    if (waited >= jobTimeoutMs) {
      throw new RevloopError('GOOGLE_DATA_MANAGER_TIMEOUT', `Data Manager request ${requestId} is still ${statuses.join('/') || 'unknown'} after ${waited} ms (${polls} polls; jobTimeoutMs ${jobTimeoutMs})`, {
        where,
        fix: 'nothing is lost: Google finishes the request on its side (processing can take hours); run again later (a re-send is harmless: list membership is a set, events are deduplicated on transactionId), or raise jobTimeoutMs',
      });
    }
    await ctx.clock.sleep(Math.min(jobPollIntervalMs, jobTimeoutMs - waited));
  }
}

export const describeCounts = (o: DmOutcome) => o.errorCounts.map((c) => `${c.recordCount} × ${c.reason}`).join(', ') || 'no error counts';
