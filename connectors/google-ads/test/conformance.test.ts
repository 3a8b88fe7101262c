// The plugin kit's conformance suite against the Google Ads emulator (gRPC, google-ads-api).
// Google Ads has no merges or record deletes in these streams (a removed campaign is a status),
// so those two checks are skipped; metrics re-read their conversion window by design.
import { SimulatedClock } from '@revloop/core';
import { startGoogleAdsEmulator } from '@revloop/sandbox';
import { describeConnectorConformance } from '@revloop/plugin-kit';
import { googleAdsConnector } from '../src/index.js';
import { START, adDay, campaign } from './helpers.js';

let n = 0;

describeConnectorConformance({
  connector: googleAdsConnector,
  child: { module: new URL('../src/index.ts', import.meta.url), exportName: 'googleAdsConnector' },
  name: 'google',
  skip: ['merges', 'deletes'],
  async setup() {
    const clock = new SimulatedClock(START);
    const emu = await startGoogleAdsEmulator({ now: () => clock.now() });
    for (const c of ['cmp_gg_001', 'cmp_gg_002', 'cmp_gg_003']) {
      emu.state.apply(campaign(c));
      for (let d = 20; d <= 28; d++) emu.state.apply(adDay(c, `2024-02-${d}`, d));
    }
    emu.state.apply({ kind: 'contact', contact: { id: 'con_1', accountId: 'acc_1', email: 'ada@example.com', firstName: 'Ada', lastName: 'L', persona: 'champion', title: 'VP', lifecycleStage: 'mql', createdAt: 0, updatedAt: 0 } });
    const config = {
      customerId: emu.customerId,
      developerToken: emu.developerToken,
      clientId: 'kit-client',
      clientSecret: 'kit-secret',
      refreshToken: `kit-refresh-${process.pid}-${++n}`,
      apiEndpoint: emu.url,
      insecure: true,
      conversionAction: `customers/${emu.customerId}/conversionActions/700000001`,
      startDate: '2024-02-01',
      conversionWindowDays: 3,
      // a week per report: the metrics stream reads several batches (the kill -9 check stops it mid-stream)
      metricsChunkDays: 7,
    };
    return {
      config,
      badCredentialsConfig: { ...config, developerToken: 'not-a-developer-token' },
      streams: ['campaigns', 'campaign-metrics'],
      clock,
      // the conversion window is re-read on every sync: 3 campaigns × (3 days back + today)
      // campaigns have no change cursor in GAQL: the (small) list is read whole on every sync
      idleRereadAllowance: { campaigns: 4, 'campaign-metrics': 12 },
      tick: () => clock.advance(3_600_000),
      change() {
        emu.state.apply(campaign('cmp_gg_004'));
        emu.state.apply(adDay('cmp_gg_001', '2024-02-29', 40));
        return { campaigns: 1, 'campaign-metrics': 1 };
      },
      action: {
        name: 'customer-match-sync',
        input: { listName: 'revloop-conformance', syncId: 'conformance-1', emails: ['ada@example.com', 'bob@example.com'] },
        vendorWrites: () => emu.state.jobs.size,
      },
      teardown: () => emu.stop(),
    };
  },
});
