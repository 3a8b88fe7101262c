// The connector's Google Ads client. Two things matter more than anything else here:
//
// 1. The metadata-server trap. Google's auth stack may probe the cloud metadata server
//    (metadata.google.internal / 169.254.169.254) to find credentials or the universe domain.
//    revloop must never contact it: METADATA_SERVER_DETECTION is set to 'none' before
//    google-ads-api is loaded (it is loaded lazily, below, for that reason), and every gRPC client
//    is built with universeDomain 'googleapis.com' and explicit channel credentials.
//
// 2. Where the calls go. google-ads-api 24.1.0 builds its own service clients (TLS + OAuth to
//    googleads.googleapis.com), but first looks in its exported `serviceCache` under
//    `${ServiceClientName}_${client_id}_${refresh_token}`. The connector puts its own
//    google-ads-node clients there (ttl Infinity, re-checked before every call), built for
//    `apiEndpoint`: TLS (the system's roots, or caCertPath's) + an OAuth access token from
//    src/auth.ts for the real API, or plaintext without OAuth for a loopback emulator
//    (`insecure: true`, refused by the config for any other host). A TLS channel connects only to
//    addresses the outbound policy checked (src/checked-endpoint.ts), not to a name grpc-js
//    resolves on its own.
process.env.METADATA_SERVER_DETECTION = 'none';

import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { credentials, Metadata } from '@grpc/grpc-js';
import type { Customer, GoogleAdsApi, errors as AdsErrors } from 'google-ads-api';
import { createRateLimiter, RevloopError, type PluginContext, type RateLimiter } from '@revloop/core';
import { parseEndpoint, type GoogleAdsConfig } from './config.js';
import { GOOGLE_ADS_API_VERSION, grpcServiceName } from './version.js';
import { describeError, GrpcCode, isQuota, isRetriable, retryDelayOf, toRevloopError, type AdsFailure } from './failure.js';
import { createGoogleTokenSource, type GoogleTokenSource } from './auth.js';
import { isTlsFailure, tlsError } from './tls.js';
import { createTargetKeeper, type GrpcTarget, type TargetKeeper } from './checked-endpoint.js';
import { grpcProxyFor } from './grpc-proxy.js';

const require = createRequire(import.meta.url);

export interface GoogleAdsLib {
  GoogleAdsApi: typeof GoogleAdsApi;
  errors: typeof AdsErrors;
}

interface ServiceCache {
  get(key: string): unknown;
  set(key: string, value: unknown, options?: { ttl?: number }): unknown;
  delete(key: string): unknown;
}

let loaded: { lib: GoogleAdsLib; serviceCache: ServiceCache } | undefined;

/** google-ads-api, loaded only after the metadata-server guard above. */
export function googleAdsLib(): GoogleAdsLib {
  return load().lib;
}

function load() {
  if (!loaded) {
    process.env.METADATA_SERVER_DETECTION = 'none';
    const lib = require('google-ads-api') as GoogleAdsLib;
    // deep import (allowed by 24.1.0, blocked by 25.x): the cache consulted before building a client
    const { serviceCache } = require('google-ads-api/build/src/service.js') as { serviceCache: ServiceCache };
    const { googleAdsVersion } = require('google-ads-api/build/src/version.js') as { googleAdsVersion: string };
    if (googleAdsVersion !== GOOGLE_ADS_API_VERSION) {
      throw new RevloopError('GOOGLE_ADS_VERSION_MISMATCH', `google-ads-api speaks ${googleAdsVersion}, the connector ${GOOGLE_ADS_API_VERSION}`, {
        fix: 'install google-ads-api 24.1.0 and google-ads-node 24.1.0 (pinned in the connector package)',
      });
    }
    loaded = { lib, serviceCache };
  }
  return loaded;
}

/** service → the methods the connector calls; each gets an empty retry-code list (we retry) */
const services: Record<string, string[]> = {
  GoogleAdsService: ['Search', 'SearchStream', 'Mutate'],
  ConversionUploadService: ['UploadClickConversions'],
  UserListService: ['MutateUserLists'],
  OfflineUserDataJobService: ['CreateOfflineUserDataJob', 'AddOfflineUserDataJobOperations', 'RunOfflineUserDataJob'],
};

function noRetryClientConfig(service: string) {
  const methods = Object.fromEntries((services[service] ?? []).map((m) => [m, { retry_codes_name: 'no_retry' }]));
  return { interfaces: { [grpcServiceName(service)]: { retry_codes: { no_retry: [] }, methods } } };
}

type ClosableClient = { close(): Promise<void> };

export interface GoogleAdsSession {
  readonly lib: GoogleAdsLib;
  readonly customer: Customer;
  readonly limiter: RateLimiter;
  /** requests sent (attempts, including retried ones) and failures retried, per developer token and clock */
  readonly stats: { requests: number; retried: number };
  /**
   * Run one Google Ads request: paced to requestsPerDay, retried with backoff on RESOURCE_EXHAUSTED
   * (waiting Google's retry_delay), UNAVAILABLE, INTERNAL, DEADLINE_EXCEEDED and dropped streams.
   */
  call<T>(label: string, fn: (customer: Customer) => Promise<T>, options?: CallOptions): Promise<T>;
  /** SearchStream (reportStreamRaw) → every row of every message, as plain JSON objects */
  report(label: string, options: Record<string, unknown>): Promise<Record<string, any>[]>;
}

export interface CallOptions {
  /**
   * a write that is not idempotent (a create, a job run): UNAVAILABLE, INTERNAL, DEADLINE_EXCEEDED or
   * a dropped stream is NOT retried here — Google may have applied it — but thrown as
   * GOOGLE_ADS_OUTCOME_UNKNOWN, so that the caller looks up what exists before sending it again
   * (RESOURCE_EXHAUSTED is still retried: a refused call applied nothing)
   */
  write?: boolean;
}

export const OUTCOME_UNKNOWN = 'GOOGLE_ADS_OUTCOME_UNKNOWN';
export const isOutcomeUnknown = (e: unknown): boolean => e instanceof RevloopError && e.code === OUTCOME_UNKNOWN;

interface Installed {
  lib: GoogleAdsLib;
  customer: Customer;
  /** puts the connector's clients in serviceCache (built for the endpoint's checked addresses) */
  install(ctx: PluginContext<GoogleAdsConfig>): Promise<void>;
  /** where the channels connect: resolved and checked again now and then (see checked-endpoint.ts) */
  keeper: TargetKeeper;
  clients: ClosableClient[];
  /** clients replaced after the endpoint's addresses changed, closed after RETIRED_CLOSE_MS */
  retired: Set<ClosableClient>;
  keys: string[];
  /** secure mode's OAuth access tokens (unused when insecure) */
  tokens: GoogleTokenSource;
}
const installed = new Map<string, Installed>();
/** a replaced client is closed this long after (calls it already started finish anyway) */
const RETIRED_CLOSE_MS = 60_000;
/** pacing is per developer token and per clock (a test's simulated clock is its own world) */
const pacing = new WeakMap<object, Map<string, { limiter: RateLimiter; stats: { requests: number; retried: number } }>>();

function digest(parts: unknown[]): string {
  return createHash('sha256').update(JSON.stringify(parts)).digest('hex').slice(0, 32);
}

function installFor(ctx: PluginContext<GoogleAdsConfig>): Installed {
  const c = ctx.config;
  const key = digest([c.apiEndpoint, c.insecure, c.caCertPath, c.oauthTokenUrl, c.customerId, c.loginCustomerId, c.developerToken, c.clientId, c.clientSecret, c.refreshToken]);
  const existing = installed.get(key);
  if (existing) return existing;
  const { lib, serviceCache } = load();
  // google-ads-api keys its cache by refresh token; ours is a digest, so that the real token
  // never becomes a cache key and two endpoints with the same credentials never share clients
  const cacheToken = `revloop-${key}`;
  const keys = Object.keys(services).map((s) => `${s}Client_${c.clientId}_${cacheToken}`);
  const clients: ClosableClient[] = [];
  const retired = new Set<ClosableClient>();
  const tokens = createGoogleTokenSource(ctx);
  const { host, port } = parseEndpoint(c.apiEndpoint);
  const keeper = createTargetKeeper(host, port, { insecure: c.insecure, proxied: !c.insecure && grpcProxyFor(host, port) });
  let builtFor: number | undefined;
  const retire = () => {
    keys.forEach((k) => serviceCache.delete(k));
    const old = clients.splice(0);
    old.forEach((client) => retired.add(client));
    setTimeout(() => old.forEach((client) => retired.delete(client) && client.close().catch(() => undefined)), RETIRED_CLOSE_MS).unref();
  };
  const install = async (callCtx: PluginContext<GoogleAdsConfig>) => {
    const { target, generation } = await keeper.current((h, p) => callCtx.http.resolveChecked(h, p));
    // the endpoint's checked addresses changed: new calls go to the new ones
    if (builtFor !== undefined && builtFor !== generation) retire();
    builtFor = generation;
    const gads = require('google-ads-node') as Record<string, new (opts: unknown) => ClosableClient>;
    Object.keys(services).forEach((service, i) => {
      if (serviceCache.get(keys[i]!)) return;
      const Client = gads[`${service}Client`];
      if (!Client) throw new Error(`google-ads-node has no ${service}Client`);
      const client = new Client(clientOptions(c, service, tokens, target));
      serviceCache.set(keys[i]!, client, { ttl: Infinity });
      clients.push(client);
    });
  };
  const api = new lib.GoogleAdsApi({ client_id: c.clientId, client_secret: c.clientSecret, developer_token: c.developerToken });
  const customer = api.Customer({ customer_id: c.customerId, login_customer_id: c.loginCustomerId, refresh_token: cacheToken });
  const entry: Installed = { lib, customer, install, keeper, clients, retired, keys, tokens };
  installed.set(key, entry);
  return entry;
}

function pacingFor(ctx: PluginContext<GoogleAdsConfig>) {
  const c = ctx.config;
  let byToken = pacing.get(ctx.clock);
  if (!byToken) pacing.set(ctx.clock, (byToken = new Map()));
  const key = digest([c.apiEndpoint, c.developerToken, c.requestsPerDay]);
  let p = byToken.get(key);
  if (!p) {
    const limiter = createRateLimiter([{ limit: c.requestsPerDay, intervalMs: 86_400_000, name: 'daily operations' }], {
      now: () => ctx.clock.now(),
      sleep: (ms) => ctx.clock.sleep(ms),
      maxWaitMs: c.maxRetryWaitMs,
      vendor: 'Google Ads',
    });
    byToken.set(key, (p = { limiter, stats: { requests: 0, retried: 0 } }));
  }
  return p;
}

/** The Google Ads session of a connector instance: cached clients, this context's clock and log. */
export function sessionFor(ctx: PluginContext<GoogleAdsConfig>): GoogleAdsSession {
  const c = ctx.config;
  const { lib, customer, install, keeper, tokens } = installFor(ctx);
  const { limiter, stats } = pacingFor(ctx);
  const where = `connectors.${ctx.name}`;

  async function call<T>(label: string, fn: (customer: Customer) => Promise<T>, options: CallOptions = {}): Promise<T> {
    let tokenRefused = false;
    for (let attempt = 0; ; attempt++) {
      await limiter.acquire();
      // an evicted cache entry would otherwise send the call to googleads.googleapis.com; a refused
      // address (OUTBOUND_REFUSED) stops here, before any connection
      await install(ctx);
      // the access token first: a refused refresh token stops here with its own error (the call's
      // metadata generator then finds the token cached)
      const token = c.insecure ? undefined : await tokens.token();
      stats.requests++;
      try {
        return await fn(customer);
      } catch (e) {
        if (e instanceof RevloopError) throw e;
        const f: AdsFailure = describeError(lib, e);
        if (isTlsFailure(f)) throw tlsError(f, where, c.apiEndpoint);
        if (f.grpcCode === GrpcCode.UNAVAILABLE) keeper.markStale(); // the vendor's addresses may have moved: resolve again
        if (token && !tokenRefused && isAccessTokenRefused(f)) {
          // expired or revoked access token: refresh once and repeat (nothing was applied)
          tokenRefused = true;
          tokens.reject(token);
          ctx.log.info({ label, error: f.message }, 'google ads access token refused: refreshing');
          continue;
        }
        if (options.write && isRetriable(f) && !isQuota(f)) {
          throw new RevloopError(OUTCOME_UNKNOWN, `Google Ads failed after ${label} was sent (${f.message}): it may or may not have been applied`, {
            where: `${where} (${label})`,
            fix: 'nothing to do: the action looks up what exists before sending it again',
            cause: e,
          });
        }
        if (!isRetriable(f) || attempt >= c.maxRetries || ctx.signal.aborted) throw toRevloopError(f, `${where} (${label})`);
        const hinted = retryDelayOf(f);
        const wait = hinted ?? Math.min(c.maxRetryWaitMs, 1000 * 2 ** attempt) * (0.5 + Math.random() / 2);
        if (wait > c.maxRetryWaitMs) throw toRevloopError(f, `${where} (${label})`);
        stats.retried++;
        ctx.log.debug({ label, attempt: attempt + 1, waitMs: Math.round(wait), error: f.message }, 'google ads retry');
        if (isQuota(f)) limiter.penalize(wait); // the next acquire() waits it out
        else await ctx.clock.sleep(wait);
      }
    }
  }

  async function report(label: string, options: Record<string, unknown>): Promise<Record<string, any>[]> {
    return call(label, async (cust) => {
      const stream = (await cust.reportStreamRaw(options as never)) as unknown as NodeJS.ReadableStream | undefined;
      if (!stream) return [];
      const rows: Record<string, any>[] = [];
      await new Promise<void>((resolve, reject) => {
        stream.on('data', (m: { results?: { toJSON?(): Record<string, any> }[] }) => {
          for (const r of m.results ?? []) rows.push(typeof r.toJSON === 'function' ? r.toJSON() : (r as Record<string, any>));
        });
        stream.on('error', reject);
        stream.on('end', () => resolve());
      });
      return rows; // a stream cut mid-way rejects: the whole query is retried, partial rows dropped
    });
  }

  return { lib, customer, limiter, stats, call, report };
}

function clientOptions(c: GoogleAdsConfig, service: string, tokens: GoogleTokenSource, target: GrpcTarget) {
  const { host, port } = parseEndpoint(c.apiEndpoint);
  const sslCreds = c.insecure
    ? credentials.createInsecure() // no call credentials: no OAuth exchange, nothing leaves loopback
    : credentials.combineChannelCredentials(
        // caCertPath: the roots to trust instead of the system's (a TLS-inspecting proxy's CA)
        credentials.createSsl(c.caCertPath ? readFileSync(c.caCertPath) : null),
        credentials.createFromMetadataGenerator((_params, callback) => {
          tokens.token().then(
            (token) => {
              const md = new Metadata();
              md.set('authorization', `Bearer ${token}`);
              callback(null, md);
            },
            (e: Error) => callback(e),
          );
        }),
      );
  return {
    servicePath: target.servicePath, // the checked addresses (TLS), or the loopback emulator as configured
    apiEndpoint: host,
    port,
    ...target.options,
    sslCreds,
    universeDomain: 'googleapis.com', // keeps google-auth from asking the metadata server
    gaxServerStreamingRetries: true, // retry by status code (none, see clientConfig), not retry-request's ~7 s
    clientConfig: noRetryClientConfig(service),
  };
}

/** UNAUTHENTICATED for the access token itself (not the developer token): worth one refresh */
function isAccessTokenRefused(f: AdsFailure): boolean {
  return f.errors.some((e) => /^authentication_error\.OAUTH_TOKEN_(EXPIRED|INVALID|REVOKED|DISABLED)$/.test(e.code));
}

/** the secure mode's OAuth access tokens of this connector instance (also used by the Data Manager API path) */
export function tokenSourceFor(ctx: PluginContext<GoogleAdsConfig>): GoogleTokenSource {
  return installFor(ctx).tokens;
}

/** OAuth access tokens from the refresh token (secure mode), cached until a minute before expiry. */
export function accessTokens(ctx: PluginContext<GoogleAdsConfig>): () => Promise<string> {
  return () => tokenSourceFor(ctx).token();
}

/** Close every client the connector opened (tests, shutdown). */
export async function closeGoogleAdsClients(): Promise<void> {
  const { serviceCache } = loaded ?? {};
  const all = [...installed.values()];
  installed.clear();
  for (const s of all) for (const k of s.keys) serviceCache?.delete(k);
  await Promise.all(all.flatMap((s) => [...s.clients, ...s.retired].map((c) => c.close().catch(() => undefined))));
}
