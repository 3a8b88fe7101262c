// Salesforce REST API v62.0 emulator (see README.md for what is and is not emulated).
import { z } from 'zod';
import type { SimTreatment } from '../../market/types.js';
import { createFaults, type FaultController, type FaultSpec } from '../faults.js';
import { listenOnLoopback } from '../http-server.js';
import { ApiUsage } from './api-usage.js';
import { DEFAULT_CREDENTIALS, TokenStore, type Credentials } from './auth.js';
import { createClock, type EmulatorClock } from './clock.js';
import { createSalesforceApp } from './app.js';
import { QueryCursors } from './query-cursors.js';
import { SalesforceState } from './state.js';
import { DEFAULT_LIMITS, type EmulatorLimits } from './limits.js';

export { SalesforceState } from './state.js';
export type { SaveResult } from './state.js';
export type { SfRecord } from './record.js';
export type { EmulatorClock } from './clock.js';
export type { Credentials } from './auth.js';
export { DEFAULT_CREDENTIALS } from './auth.js';
export { KEY_PREFIXES, normalizeId, type SObjectName } from './ids.js';
export { formatDateTime } from './datetime.js';
export { STAGE_NAMES } from './market-feed.js';
export { REPLICATION_ID_LIMIT, URI_AND_HEADERS_LIMIT, type EmulatorLimits } from './limits.js';

const optionsSchema = z.object({
  seed: z.number().int().default(1),
  /** Daily API request allocation (rolling 24 h on the emulator clock); Enterprise orgs start at 100,000. */
  dailyApiLimit: z.number().int().positive().default(100_000),
  credentials: z
    .object({ clientId: z.string(), clientSecret: z.string(), username: z.string(), password: z.string() })
    .partial()
    .default({}),
});

export interface SalesforceEmulatorOptions {
  faults?: Partial<FaultSpec>;
  seed?: number;
  /** simulated epoch ms; defaults to a clock frozen at 2024-01-01 that `clock.advance()` moves */
  now?: () => number;
  onTreatment?: (t: SimTreatment) => void;
  dailyApiLimit?: number;
  credentials?: Partial<Credentials>;
  /** the hour of a write for a treatment's sendHour (default: its UTC hour) */
  hourOf?: (at: number) => number;
  /** the port on 127.0.0.1 (default 0: any free port) */
  port?: number;
  /** Salesforce's request-size limits (getDeleted ids, URI + headers bytes); lower them in tests */
  limits?: Partial<EmulatorLimits>;
}

export interface SalesforceEmulator {
  url: string;
  state: SalesforceState;
  faults: FaultController;
  clock: EmulatorClock;
  tokens: TokenStore;
  /** an access token + refresh token pair issued at start, ready for `new Connection(...)` */
  accessToken: string;
  refreshToken: string;
  credentials: Credentials;
  stop(): Promise<void>;
}

export async function startSalesforceEmulator(options: SalesforceEmulatorOptions = {}): Promise<SalesforceEmulator> {
  const opts = optionsSchema.parse({ seed: options.seed, dailyApiLimit: options.dailyApiLimit, credentials: options.credentials });
  const clock = createClock(options.now);
  const faults = createFaults(options.faults, opts.seed);
  const credentials: Credentials = { ...DEFAULT_CREDENTIALS, ...opts.credentials };
  const state = new SalesforceState({ now: clock.now, onTreatment: options.onTreatment, ...(options.hourOf ? { hourOf: options.hourOf } : {}) });
  const tokens = new TokenStore(credentials, clock.now, opts.seed, () => faults.spec.tokenTtlMs);
  const ctx = { state, tokens, faults, clock, usage: new ApiUsage(opts.dailyApiLimit, clock.now), cursors: new QueryCursors(clock.now), limits: { ...DEFAULT_LIMITS, ...options.limits } };
  // Node's own request-line + header cap (16 KiB) would answer before the app: raise it so the app
  // applies Salesforce's limit with Salesforce's answer
  const server = await listenOnLoopback(createSalesforceApp(ctx), options.port ?? 0, { maxHeaderSize: 4 * ctx.limits.uriAndHeaders });
  const first = tokens.issue();
  return { url: server.url, state, faults, clock, tokens, accessToken: first.accessToken, refreshToken: first.refreshToken, credentials, stop: server.stop };
}
