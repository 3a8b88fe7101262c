// The four vendor connectors of the default config, pointed at the sandbox's emulators (the same
// settings as the repository's revloop.config.ts, with the plugins passed as objects).
import type { RevloopConfigInput } from '@revloop/core';
import { hubspotConnector } from '@revloop/connector-hubspot';
import { salesforceConnector } from '@revloop/connector-salesforce';
import { linkedInAdsConnector } from '@revloop/connector-linkedin-ads';
import { googleAdsConnector } from '@revloop/connector-google-ads';
import { hubspotPersonaNames } from '@revloop/sandbox';

/**
 * The sandbox portal's persona settings: HubSpot stores personas as persona_N and each portal names
 * them (the sandbox publishes its mapping: packages/sandbox/docs/personas.md). The e2e test checks
 * that every synced contact's persona is one of these names.
 */
export const SANDBOX_HUBSPOT_PERSONAS: Record<string, string> = { ...hubspotPersonaNames };

/** the connectors' names in the config: also their `system` in the identity map (external_ids) */
export const VENDOR = { hubspot: 'hubspot', salesforce: 'salesforce', linkedin: 'linkedin', google: 'google' } as const;

function ref(refs: Record<string, string>, key: string): string {
  const v = refs[key];
  if (v === undefined) throw new Error(`the sandbox did not report "${key}": was its emulator started? (startSandbox vendors)`);
  return v;
}

/** far above what the loop sends: the client never waits on its own pacing */
const SANDBOX_UNPACED = { secondly: 100_000, tenSecondly: 1_000_000, daily: 1_000_000_000, searchSecondly: 100_000 };

export function vendorConnectors(refs: Record<string, string>): NonNullable<RevloopConfigInput['connectors']> {
  return {
    // the loop's emulator admits any rate (a sandbox started without rate limits): pacing the
    // client at HubSpot's 19/s and 5 searches/s would spend ~23 s of every simulated day on the
    // per-record web events reads alone
    [VENDOR.hubspot]: { plugin: hubspotConnector, baseUrl: ref(refs, 'hubspot.url'), accessToken: ref(refs, 'hubspot.token'), personas: SANDBOX_HUBSPOT_PERSONAS, rateLimits: SANDBOX_UNPACED },
    [VENDOR.salesforce]: {
      plugin: salesforceConnector,
      instanceUrl: ref(refs, 'salesforce.url'),
      loginUrl: ref(refs, 'salesforce.url'),
      clientId: ref(refs, 'salesforce.clientId'),
      clientSecret: ref(refs, 'salesforce.clientSecret'),
      refreshToken: ref(refs, 'salesforce.refreshToken'),
    },
    [VENDOR.linkedin]: {
      plugin: linkedInAdsConnector,
      apiBaseUrl: ref(refs, 'linkedin.url'),
      oauthBaseUrl: ref(refs, 'linkedin.url'),
      clientId: ref(refs, 'linkedin.clientId'),
      clientSecret: ref(refs, 'linkedin.clientSecret'),
      refreshToken: ref(refs, 'linkedin.refreshToken'),
      adAccountId: ref(refs, 'linkedin.adAccountId'),
    },
    [VENDOR.google]: {
      plugin: googleAdsConnector,
      apiEndpoint: ref(refs, 'googleAds.endpoint'),
      insecure: true, // loopback only
      customerId: ref(refs, 'googleAds.customerId'),
      developerToken: ref(refs, 'googleAds.developerToken'),
      clientId: 'revloop-sandbox-client-id',
      clientSecret: 'revloop-sandbox-client-secret',
      refreshToken: 'revloop-sandbox-refresh-token',
      // the emulator finishes an offline user data job after two polls: polling every 30 s of the
      // simulated clock would move the loop's day by minutes while it waits
      jobPollIntervalMs: 1,
    },
  };
}
