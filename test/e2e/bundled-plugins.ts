// Configs that name plugins by package ("@revloop/connector-hubspot") load in a test the way the CLI
// loads them: each name replaced by the definition the CLI bundles (apps/cli/src/context.ts), and
// the secrets the starter config and docs/workflows.md read from the environment.
import type { LoadedConfig } from '@revloop/core';
import { hubspotConnector } from '@revloop/connector-hubspot';
import { salesforceConnector } from '@revloop/connector-salesforce';
import { linkedInAdsConnector } from '@revloop/connector-linkedin-ads';
import { googleAdsConnector } from '@revloop/connector-google-ads';
import { referenceConnector } from '@revloop/connector-reference';
import { localModels } from '@revloop/plugin-local-models';
import { brandGuard } from '@revloop/plugin-brand-guard';

export const vendorSecrets = {
  HUBSPOT_TOKEN: 'hub-token-123',
  SF_CLIENT_ID: 'sf-client',
  SF_CLIENT_SECRET: 'sf-secret',
  SF_REFRESH_TOKEN: 'sf-refresh',
  LINKEDIN_CLIENT_ID: 'li-client',
  LINKEDIN_CLIENT_SECRET: 'li-secret',
  LINKEDIN_REFRESH_TOKEN: 'li-refresh',
  GOOGLE_ADS_DEVELOPER_TOKEN: 'g-dev-token',
  GOOGLE_ADS_CLIENT_ID: 'g-client',
  GOOGLE_ADS_CLIENT_SECRET: 'g-secret',
  GOOGLE_ADS_REFRESH_TOKEN: 'g-refresh',
};

export const vendorConnectorDefinitions = [hubspotConnector, salesforceConnector, linkedInAdsConnector, googleAdsConnector];

const bundled: Record<string, unknown> = {
  '@revloop/connector-reference': referenceConnector,
  '@revloop/connector-hubspot': hubspotConnector,
  '@revloop/connector-salesforce': salesforceConnector,
  '@revloop/connector-linkedin-ads': linkedInAdsConnector,
  '@revloop/connector-google-ads': googleAdsConnector,
  '@revloop/plugin-local-models': localModels,
  '@revloop/plugin-brand-guard': brandGuard,
};

/** replaces package names by the bundled definitions, in place; returns the config */
export function useBundledPlugins(loaded: LoadedConfig): LoadedConfig {
  for (const section of [loaded.config.connectors, loaded.config.models, loaded.config.plugins] as Record<string, { plugin: unknown }>[]) {
    for (const entry of Object.values(section)) if (typeof entry.plugin === 'string') entry.plugin = bundled[entry.plugin] ?? entry.plugin;
  }
  return loaded;
}
