// @revloop/sandbox: a simulated B2B market and loopback emulators of the vendors' APIs.
// Used by tests, benchmarks and the default config; never by core.

export { createFaults, faultSpecSchema, noFaults, seededRandom, type FaultSpec, type FaultController } from './emulators/faults.js';
export { listenOnLoopback, type RunningServer } from './emulators/http-server.js';
export { createManualClock, type ManualClock } from './emulators/manual-clock.js';
export { hashEmail } from './emulators/hash-email.js';
export { startHubSpotEmulator, HubSpotState, signHubSpotWebhookV3, type HubSpotEmulator, type HubSpotEmulatorOptions, type HubSpotWebhookEvent } from './emulators/hubspot/index.js';
export { startSalesforceEmulator, SalesforceState, DEFAULT_CREDENTIALS as SALESFORCE_DEFAULT_CREDENTIALS, type SalesforceEmulator, type SalesforceEmulatorOptions } from './emulators/salesforce/index.js';
export { startLinkedInEmulator, LinkedInState, type LinkedInEmulator, type LinkedInEmulatorOptions } from './emulators/linkedin/index.js';
export {
  startGoogleAdsEmulator,
  GoogleAdsState,
  installEmulatorServiceClients,
  googleAdsClientOptionsFor,
  DEFAULT_DEVELOPER_TOKEN as GOOGLE_ADS_DEFAULT_DEVELOPER_TOKEN,
  DEFAULT_CUSTOMER_ID as GOOGLE_ADS_DEFAULT_CUSTOMER_ID,
  type GoogleAdsEmulator,
  type GoogleAdsEmulatorOptions,
  adsProtoDir as GOOGLE_ADS_PROTO_DIR,
  commonProtoDir as GOOGLE_COMMON_PROTO_DIR,
  type TappedAnswer as GoogleAdsTappedAnswer,
} from './emulators/google-ads/index.js';
export { startOpenAIEmulator, OpenAIState, DEFAULT_MODELS as OPENAI_DEFAULT_MODELS, type OpenAIEmulator, type OpenAIEmulatorOptions, type LabelOracle } from './emulators/openai/index.js';
export * from './market/index.js';
export { startSandbox, defaultScenarioPath, smallScenarioPath, type Sandbox, type SandboxOptions, type LiveSandbox, type VendorName } from './sandbox.js';
export { LIVE_DEFAULTS, MAX_WARMUP_DAYS, planLive, driveLive, liveEmulatorClock, type LiveOptions, type LivePlan, type LiveDriver } from './live/live-market.js';
export { serveConnectorsFor, serveConfigYaml, lookbackFor, type ServeConnectors } from './live/serve-config.js';
export { hubspotPersonaNames } from './emulators/hubspot/market-mapping.js';
export { IdentityNoise, identityNoiseFor, identityNoiseSchema, withIdentityNoise, duplicateAccountId, accountOfDuplicateId, type IdentityNoiseSpec, type AccountNoise, type ContactNoise, type AccountView, type CrmSystem } from './market/identity-noise.js';
export { identityTruth, normalizedEmail, type IdentityTruth, type TruthRecord, type AmbiguousCase, type AmbiguousKind, type IdentityEntityType } from './identity-truth.js';
