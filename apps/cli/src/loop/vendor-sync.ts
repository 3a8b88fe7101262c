// Which vendor streams the connector path syncs each day, and the sync itself (core's sync
// engine, the same one `revloop sync` runs: batches and checkpoints in one transaction).
//
// Both sandbox CRMs mirror the whole market, and the unified model has no cross-system identity
// resolution yet (an account synced from HubSpot and from Salesforce would be two accounts, each
// decided and treated). So one CRM is the system of record for accounts, contacts, engagement and
// opportunities: HubSpot, the one that carries personas and web/email engagement. Salesforce
// contributes its campaigns; the ad platforms their campaigns, spend and clicks.
import { performance } from 'node:perf_hooks';
import { errorMessage, syncStream, type Runtime } from '@revloop/core';
import { VENDOR } from './vendor-connectors.js';
import type { IngestDay } from './loop-source.js';

export const VENDOR_STREAMS: Record<string, readonly string[]> = {
  [VENDOR.hubspot]: ['companies', 'contacts', 'deals', 'email_events', 'web_events'],
  [VENDOR.salesforce]: ['campaigns'],
  [VENDOR.linkedin]: ['campaigns', 'campaign-analytics'],
  [VENDOR.google]: ['campaigns', 'campaign-metrics', 'click-views'],
};

/** Incremental sync of every planned stream: connectors side by side, each one's streams in order. */
export async function syncVendors(runtime: Runtime, plan: Record<string, readonly string[]> = VENDOR_STREAMS): Promise<IngestDay> {
  const t0 = performance.now();
  const written: Record<string, number> = {};
  const failures: IngestDay['failures'] = [];
  await Promise.all(
    Object.entries(plan).map(async ([connector, streams]) => {
      for (const stream of streams) {
        const name = `${connector}/${stream}`;
        try {
          const run = await syncStream(runtime, connector, stream, { mode: 'incremental' });
          written[name] = run.written;
          if (run.status !== 'succeeded') failures.push({ stream: name, error: run.error ?? run.status });
        } catch (e) {
          failures.push({ stream: name, error: errorMessage(e) });
        }
      }
    }),
  );
  return { written, failures, ms: performance.now() - t0 };
}
