// The connector path: the sandbox's HubSpot, Salesforce, LinkedIn Ads and Google Ads emulators
// follow the market; each day revloop syncs them through the real connectors (real client
// libraries over loopback HTTP/gRPC) and executes decisions through the connectors' actions,
// which the emulators turn into market treatments.
import { startSandbox, type Scenario } from '@revloop/sandbox';
import type { LoopSource } from './loop-source.js';
import { vendorConnectors } from './vendor-connectors.js';
import { vendorConversions, vendorExecuteTargets } from './vendor-targets.js';
import { VENDOR_STREAMS } from './vendor-sync.js';

/** each connector syncs the streams VENDOR_STREAMS names for it */
function withStreams(connectors: ReturnType<typeof vendorConnectors>): ReturnType<typeof vendorConnectors> {
  return Object.fromEntries(Object.entries(connectors).map(([name, c]) => [name, { ...c, streams: [...(VENDOR_STREAMS[name] ?? [])] }]));
}

export async function connectorSource(scenario: Scenario): Promise<LoopSource> {
  // google-ads-api must never probe the cloud metadata server (ENVIRONMENT.md)
  process.env.METADATA_SERVER_DETECTION = 'none';
  const sandbox = await startSandbox({ scenario, vendors: ['hubspot', 'salesforce', 'linkedin', 'googleAds'] });
  return {
    via: 'connectors',
    market: sandbox.market,
    sandbox,
    connectors: withStreams(vendorConnectors(sandbox.refs)),
    executeTargets: vendorExecuteTargets(),
    conversions: vendorConversions(),
    executor: undefined, // core's default: runAction (input schema, idempotency record)
    ingest: undefined, // the loop's own sync step, as in `revloop serve` (streams: VENDOR_STREAMS)
    stop: () => sandbox.stop(),
  };
}
