// startHubSpotEmulator(): a HubSpot CRM v3 emulator on loopback.
import { createFaults, type FaultController } from '../faults.js';
import { listenOnLoopback } from '../http-server.js';
import { buildHubSpotApp } from './app.js';
import { createManualClock, type ManualClock } from '../manual-clock.js';
import { correlationIds } from './errors.js';
import { PagingTokens } from './paging-tokens.js';
import { hubSpotOptionsSchema, type HubSpotEmulatorOptions } from './options.js';
import { RateLimiter } from './rate-limits.js';
import { HubSpotState } from './state.js';
import { HubSpotOAuthApp } from './oauth.js';

export interface HubSpotEmulator {
  url: string;
  state: HubSpotState;
  faults: FaultController;
  limiter: RateLimiter;
  /** with `oauthApp`: the installed OAuth app (revoke its refresh token, expire its access tokens) */
  oauthApp?: HubSpotOAuthApp;
  /** the default simulated clock (undefined when `now` was supplied) */
  clock?: ManualClock;
  stop(): Promise<void>;
}

export async function startHubSpotEmulator(options: HubSpotEmulatorOptions = {}): Promise<HubSpotEmulator> {
  const { faults: faultSpec, now, wallClock, onTreatment, webhook, oauthApp: oauthOptions, ...rest } = options;
  const o = hubSpotOptionsSchema.parse(rest);
  const clock = now ? undefined : createManualClock();
  const state = new HubSpotState({
    now: now ?? clock!.now,
    portalId: o.portalId,
    tokens: o.tokens,
    revloopProperties: o.revloopProperties,
    ...(onTreatment ? { onTreatment } : {}),
    ...(webhook ? { webhook } : {}),
  });
  const faults = createFaults(faultSpec, o.seed);
  const limiter = new RateLimiter({ secondlyLimit: o.secondlyLimit, tenSecondlyLimit: o.tenSecondlyLimit, dailyLimit: o.dailyLimit, ...(wallClock ? { wallClock } : {}) });
  const oauthApp = oauthOptions ? new HubSpotOAuthApp(oauthOptions, state) : undefined;
  const app = buildHubSpotApp({ ...(oauthApp ? { oauthApp } : {}), state, faults, limiter, correlationId: correlationIds(o.seed), faultRateLimitPolicy: o.faultRateLimitPolicy, paging: new PagingTokens(`hubspot-paging:${o.seed}:${o.portalId}`), associationPageSize: o.associationPageSize, tokenScopes: o.tokenScopes, ...(o.emailOffsetTtlMs !== undefined ? { emailOffsetTtlMs: o.emailOffsetTtlMs } : {}) });
  const server = await listenOnLoopback(app, o.port);
  return { url: server.url, state, faults, limiter, ...(oauthApp ? { oauthApp } : {}), ...(clock ? { clock } : {}), stop: server.stop };
}
