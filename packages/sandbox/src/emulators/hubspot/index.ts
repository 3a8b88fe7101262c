export { startHubSpotEmulator, type HubSpotEmulator } from './emulator.js';
export type { HubSpotEmulatorOptions } from './options.js';
export { HubSpotState } from './state.js';
export { signHubSpotWebhookV3, type HubSpotWebhookEvent, type WebhookConfig } from './webhooks.js';
export { createManualClock, type ManualClock } from '../manual-clock.js';
export { RateLimiter, type RatePolicy, type RateLimitSettings } from './rate-limits.js';
export type { ObjectType } from './object-types.js';
