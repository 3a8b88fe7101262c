// The connector path: the sandbox's HubSpot, Salesforce, LinkedIn Ads and Google Ads emulators
// follow the market; each day revloop syncs them through the real connectors (real client
// libraries over loopback HTTP/gRPC) and executes decisions through the connectors' actions,
// which the emulators turn into market treatments.
import { startSandbox, type Scenario } from '@revloop/sandbox';
import type { LoopSource } from './loop-source.js';
import { vendorConnectors } from './vendor-connectors.js';
import { vendorExecuteTargets } from './vendor-targets.js';
import { syncVendors } from './vendor-sync.js';

export async function connectorSource(scenario: Scenario): Promise<LoopSource> {
  // google-ads-api must never probe the cloud metadata server (ENVIRONMENT.md)
  process.env.METADATA_SERVER_DETECTION = 'none';
  const sandbox = await startSandbox({ scenario, vendors: ['hubspot', 'salesforce', 'linkedin', 'googleAds'] });
  return {
    via: 'connectors',
    market: sandbox.market,
    sandbox,
    connectors: vendorConnectors(sandbox.refs),
    executeTargets: vendorExecuteTargets(),
    executor: undefined, // core's default: runAction (input schema, idempotency record)
    ingest: (runtime) => syncVendors(runtime),
    stop: () => sandbox.stop(),
  };
}
