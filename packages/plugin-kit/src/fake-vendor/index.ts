// A fake REST vendor for connector tests: bearer or OAuth2 auth, cursor / offset / Link / updated-
// since paging, 429s with Retry-After (and a count of requests that did not wait), deletes as
// archived records, and a clock the test moves. Its probes plug straight into the conformance suite:
//
//   const vendor = await startFakeVendor({ resources: { contacts: [...] } });
//   return { config: { baseUrl: vendor.url, apiKey: vendor.apiKey }, ...vendor.probes({ contacts: 'contacts' }), ... };
import { SimulatedClock } from '@revloop/core';
import { FakeVendorState, type FakeRecord, type FakeRecordInput } from './state.js';
import { startServer, type OAuthSettings, type ServerCounts } from './server.js';
import type { ConformanceHarness } from '../harness.js';

export type { FakeRecord, FakeRecordInput } from './state.js';
export type { OAuthSettings, ServerCounts } from './server.js';

export interface FakeVendorOptions {
  /** the vendor's clock (default: a simulated clock at 2024-01-01); pass it to the runtime too */
  clock?: SimulatedClock;
  /** the bearer key the API accepts (default: a 26-character key) */
  apiKey?: string;
  oauth?: OAuthSettings;
  /** initial records per resource; without updatedAt they all get the clock's now (ties on purpose) */
  resources?: Record<string, FakeRecordInput[]>;
  /** the largest page the API serves, whatever limit is asked (default 100) */
  maxPageSize?: number;
}

export interface FakeVendor {
  url: string;
  clock: SimulatedClock;
  apiKey: string;
  counts: ServerCounts;
  upsert(resource: string, record: FakeRecordInput): FakeRecord;
  /** delete (archive) a record: the next incremental read returns it once with archived: true */
  remove(resource: string, id: string): void;
  /** ids of the live records of a resource */
  ids(resource: string): string[];
  records(resource: string): FakeRecord[];
  /** answer the next n API requests 429 with Retry-After: retryAfterSec (default 1 request, 2 s) */
  throttle(n?: number, retryAfterSec?: number): void;
  /** invalidate every issued OAuth access token (the next call gets 401) */
  revokeTokens(): void;
  /** the conformance probes for streams named after (or mapped to) resources */
  probes(streams: Record<string, string>): Pick<ConformanceHarness, 'vendorIds' | 'rateLimit' | 'clock'>;
  close(): Promise<void>;
}

export async function startFakeVendor(options: FakeVendorOptions = {}): Promise<FakeVendor> {
  const clock = options.clock ?? new SimulatedClock(Date.UTC(2024, 0, 1));
  const apiKey = options.apiKey ?? 'fake-vendor-key-0123456789';
  const state = new FakeVendorState(clock);
  for (const [resource, records] of Object.entries(options.resources ?? {})) {
    state.ensure(resource);
    for (const r of records) state.upsert(resource, r);
  }
  const server = await startServer({ state, clock, apiKey, oauth: options.oauth, maxPageSize: options.maxPageSize ?? 100 });
  return {
    url: server.url,
    clock,
    apiKey,
    counts: server.control.counts,
    upsert: (resource, record) => state.upsert(resource, record),
    remove: (resource, id) => state.remove(resource, id),
    ids: (resource) => state.liveIds(resource),
    records: (resource) => state.ordered(resource),
    throttle: (n = 1, sec = 2) => server.control.throttle(n, sec),
    revokeTokens: () => server.control.revokeTokens(),
    probes(streams) {
      return {
        clock,
        vendorIds: () => Object.fromEntries(Object.entries(streams).map(([stream, resource]) => [stream, state.liveIds(resource)])),
        rateLimit: {
          trigger: () => server.control.throttle(1, 2),
          served: () => server.control.counts.throttled,
          violations: () => server.control.counts.retryAfterViolations,
        },
      };
    },
    close: server.close,
  };
}
