// Options of startHubSpotEmulator.
import { z } from 'zod';
import type { FaultSpec } from '../faults.js';
import type { SimTreatment } from '../../market/types.js';
import type { WebhookConfig } from './webhooks.js';
import type { HubSpotOAuthAppOptions } from './oauth.js';

export const hubSpotOptionsSchema = z.object({
  seed: z.number().int().default(1),
  portalId: z.number().int().positive().default(62515),
  /** accepted bearer tokens (private-app tokens) */
  tokens: z.array(z.string().min(1)).default(['pat-na1-revloop-sandbox']),
  /** scopes granted to some tokens (token → scopes); such a token gets 403 MISSING_SCOPES where it lacks one (scopes.ts) */
  tokenScopes: z.record(z.string(), z.array(z.string())).default({}),
  secondlyLimit: z.number().int().positive().optional(),
  tenSecondlyLimit: z.number().int().positive().optional(),
  dailyLimit: z.number().int().positive().optional(),
  /** 429 body used by the fault injector's rateLimitRate (SECONDLY is retried by the SDK after 1 s) */
  faultRateLimitPolicy: z.enum(['SECONDLY', 'TEN_SECONDLY_ROLLING', 'DAILY']).default('SECONDLY'),
  revloopProperties: z.boolean().default(true),
  /**
   * associations of one record in one v4 batch-read result; a record with more gets `paging.next.after`
   * on its result (HubSpot's page size there is not documented; its v4 list endpoint defaults to 500)
   */
  associationPageSize: z.number().int().positive().default(500),
  /** email events `offset` tokens older than this (simulated ms) are refused; HubSpot documents them as short-lived, not how short */
  emailOffsetTtlMs: z.number().int().positive().optional(),
  port: z.number().int().min(0).default(0),
});

export type HubSpotEmulatorOptions = Partial<z.input<typeof hubSpotOptionsSchema>> & {
  faults?: Partial<FaultSpec>;
  /** simulated clock (epoch ms); default: a manual clock reachable as state.clock */
  now?: () => number;
  /** wall clock for rate-limit windows; default Date.now */
  wallClock?: () => number;
  onTreatment?: (t: SimTreatment) => void;
  webhook?: WebhookConfig;
  /** an OAuth app installed in the portal: POST /oauth/v1/token mints 30-minute access tokens from its refresh tokens */
  oauthApp?: HubSpotOAuthAppOptions;
};
