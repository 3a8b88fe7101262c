// How a google-ads-node / google-ads-api client is pointed at the emulator (or any Google Ads
// endpoint over insecure loopback gRPC). Nothing here talks to Google: with `sslCreds` given,
// google-gax never asks google-auth-library for a token, so no OAuth refresh is attempted.
import { createRequire } from 'node:module';
import { credentials } from '@grpc/grpc-js';
import { ADS_VERSION } from './protos.js';

const require = createRequire(import.meta.url);

export interface GoogleAdsEndpoint {
  host: string;
  port: number;
}

/** Methods of the emulated services, for a client config that disables gax retries. */
const emulatedMethods: Record<string, string[]> = {
  GoogleAdsService: ['Search', 'SearchStream', 'Mutate'],
  ConversionUploadService: ['UploadClickConversions', 'UploadCallConversions'],
  UserListService: ['MutateUserLists'],
  OfflineUserDataJobService: ['CreateOfflineUserDataJob', 'AddOfflineUserDataJobOperations', 'RunOfflineUserDataJob'],
};

export const emulatedServiceClients = Object.keys(emulatedMethods).map((s) => `${s}Client`);

/**
 * gax retries UNAVAILABLE/DEADLINE_EXCEEDED for up to 10 minutes, and its legacy stream retrier
 * retries any stream error (~7 s, even INVALID_ARGUMENT). Callers that handle retries themselves
 * (connectors, tests) want neither: every method gets an empty retry-code list.
 */
export function noRetryClientConfig(service: string): Record<string, unknown> {
  const methods = Object.fromEntries((emulatedMethods[service] ?? []).map((m) => [m, { retry_codes_name: 'no_retry' }]));
  return { interfaces: { [`google.ads.googleads.${ADS_VERSION}.services.${service}`]: { retry_codes: { no_retry: [] }, methods } } };
}

/** Constructor options for a google-ads-node service client that talks to `endpoint` insecurely. */
export function googleAdsClientOptionsFor(endpoint: GoogleAdsEndpoint, service = 'GoogleAdsService') {
  return {
    servicePath: endpoint.host,
    apiEndpoint: endpoint.host,
    port: endpoint.port,
    sslCreds: credentials.createInsecure(), // no call credentials: no OAuth token exchange
    universeDomain: 'googleapis.com', // keeps google-auth from probing the metadata server
    gaxServerStreamingRetries: true, // retry by status code (none, see clientConfig), not retry-request
    clientConfig: noRetryClientConfig(service),
  };
}

interface ServiceCacheLike {
  set(key: string, value: unknown, options?: { ttl?: number }): unknown;
  delete(key: string): unknown;
}

export interface InstallOptions {
  /** google-ads-api's exported serviceCache (`google-ads-api/build/src/service.js`, 24.1.0) */
  serviceCache: ServiceCacheLike;
  client_id: string;
  refresh_token: string;
  services?: string[];
}

/**
 * google-ads-api 24.1.0 builds its service clients itself (TLS + OAuth to googleads.googleapis.com)
 * but first looks in `serviceCache` under `${ServiceClientName}_${client_id}_${refresh_token}`.
 * Placing loopback clients there makes `Customer` calls go to the emulator. Entries never expire
 * (the cache's default 10-minute TTL would otherwise bring the real endpoint back).
 * Returns a function that removes and closes them.
 */
export function installEmulatorServiceClients(endpoint: GoogleAdsEndpoint, options: InstallOptions): () => Promise<void> {
  process.env.METADATA_SERVER_DETECTION = 'none'; // before google-ads-node (gax / google-auth) loads
  const gads = require('google-ads-node') as Record<string, new (opts: unknown) => { close(): Promise<void> }>;
  const keys: string[] = [];
  const clients: { close(): Promise<void> }[] = [];
  for (const name of options.services ?? emulatedServiceClients) {
    const Client = gads[name];
    if (!Client) throw new Error(`google-ads-node has no ${name}`);
    const client = new Client(googleAdsClientOptionsFor(endpoint, name.replace(/Client$/, '')));
    const key = `${name}_${options.client_id}_${options.refresh_token}`;
    options.serviceCache.set(key, client, { ttl: Infinity });
    keys.push(key);
    clients.push(client);
  }
  return async () => {
    // deleting triggers the cache's dispose (close); close again defensively
    for (const k of keys) options.serviceCache.delete(k);
    await Promise.all(clients.map((c) => c.close().catch(() => undefined)));
  };
}
