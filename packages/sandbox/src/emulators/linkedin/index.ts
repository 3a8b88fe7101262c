// LinkedIn Marketing API emulator: versioned /rest resources + OAuth refresh, on loopback.
import { Hono } from 'hono';
import type { SimTreatment } from '../../market/types.js';
import { createFaults, type FaultController, type FaultSpec } from '../faults.js';
import { listenOnLoopback } from '../http-server.js';
import { accountRoutes } from './accounts.js';
import { analyticsRoutes } from './analytics.js';
import { createManualClock as manualClock, type ManualClock } from '../manual-clock.js';
import { conversionRoutes } from './conversions.js';
import { errors } from './errors.js';
import { protocolGate, quotaGate, tokenGate, versionGate } from './gate.js';
import { DEFAULT_VERSIONS, type VersionPolicy } from './versions.js';
import { oauthRoutes } from './oauth.js';
import { segmentRoutes } from './segments.js';
import { LinkedInState, type LinkedInAdAccount } from './state.js';

export { LinkedInState, type ReceivedConversion, type LinkedInSegment } from './state.js';
export { parseRestliValue, RestliSyntaxError, type RestliValue } from './restli.js';
export { microsToDecimal, ANALYTICS_ROW_LIMIT } from './analytics.js';
export { createManualClock as manualClock, type ManualClock } from '../manual-clock.js';
export { CAMPAIGN_URN, ACCOUNT_URN } from './ids.js';

export interface LinkedInEmulatorOptions {
  faults?: Partial<FaultSpec>;
  seed?: number;
  /** simulated epoch ms; defaults to a manual clock (returned as `clock`) starting 2024-01-01 */
  now?: () => number;
  onTreatment?: (t: SimTreatment) => void;
  adAccount?: Partial<LinkedInAdAccount>;
  versions?: Partial<VersionPolicy>;
  requestsPerDay?: number;
  requestsPerMinute?: number;
  /** elements per adAnalytics response before the rest is cut silently (default 15,000, LinkedIn's cap) */
  analyticsRowLimit?: number;
  clientId?: string;
  clientSecret?: string;
  /** a ready access token (issued at start) and refresh token, so callers need no auth flow */
  accessToken?: string;
  refreshToken?: string;
  refreshTokenTtlMs?: number;
  /** the scopes the member granted, answered by token introspection (default: the four revloop asks for) */
  scopes?: string[];
  /** the port on 127.0.0.1 (default 0: any free port) */
  port?: number;
}

export interface LinkedInEmulator {
  url: string;
  state: LinkedInState;
  faults: FaultController;
  clock: ManualClock | undefined;
  accessToken: string;
  refreshToken: string;
  clientId: string;
  clientSecret: string;
  stop(): Promise<void>;
}

export { DEFAULT_VERSIONS, NEWEST_VERSION as LINKEDIN_NEWEST_VERSION, type VersionPolicy } from './versions.js';

export function createLinkedInApp(state: LinkedInState, faults: FaultController, options: LinkedInEmulatorOptions & { clientId: string; clientSecret: string }): Hono {
  const app = new Hono();
  app.use('*', faults.middleware({ serverError: errors.serverError, rateLimited: () => errors.throttled('MINUTE') }));
  app.route(
    '/',
    oauthRoutes(state, {
      clientId: options.clientId,
      clientSecret: options.clientSecret,
      accessTokenTtlMs: () => faults.spec.tokenTtlMs,
      refreshTokenTtlMs: options.refreshTokenTtlMs ?? 365 * 86_400_000,
      ...(options.scopes ? { scopes: options.scopes } : {}),
    }),
  );
  const rest = new Hono();
  rest.use('*', versionGate({ ...DEFAULT_VERSIONS, ...options.versions }, state.now));
  rest.use('*', tokenGate(state, () => faults.spec.tokenTtlMs));
  rest.use('*', protocolGate());
  rest.use('*', quotaGate(state.now, options.requestsPerDay, options.requestsPerMinute));
  rest.route('/', accountRoutes(state));
  rest.route('/', analyticsRoutes(state, options.analyticsRowLimit));
  rest.route('/', segmentRoutes(state));
  rest.route('/', conversionRoutes(state));
  rest.notFound((c) => errors.notFound(c.req.path));
  app.route('/rest', rest);
  app.onError((err) => {
    console.error('linkedin emulator error', err);
    return errors.serverError();
  });
  return app;
}

export async function startLinkedInEmulator(options: LinkedInEmulatorOptions = {}): Promise<LinkedInEmulator> {
  const clock = options.now ? undefined : manualClock();
  const now = options.now ?? clock!.now;
  const seed = options.seed ?? 1;
  const state = new LinkedInState({
    now,
    seed,
    onTreatment: options.onTreatment,
    adAccount: { id: 500_000_001, name: 'Revloop Sandbox', currency: 'USD', ...options.adAccount },
  });
  const faults = createFaults(options.faults, seed);
  const clientId = options.clientId ?? 'sandbox-client-id';
  const clientSecret = options.clientSecret ?? 'sandbox-client-secret';
  const accessToken = state.issueAccessToken(options.accessToken);
  const refreshToken = state.issueRefreshToken(options.refreshToken);
  const server = await listenOnLoopback(createLinkedInApp(state, faults, { ...options, clientId, clientSecret }), options.port ?? 0);
  return { url: server.url, state, faults, clock, accessToken, refreshToken, clientId, clientSecret, stop: server.stop };
}
export { hashEmail } from '../hash-email.js';
