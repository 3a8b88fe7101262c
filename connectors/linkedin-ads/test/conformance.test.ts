// The plugin-kit conformance suite against the LinkedIn emulator. Deletes/merges are skipped: the
// emulator cannot delete campaigns (REMOVED campaigns are soft-deleted by the mapping, BEHAVIOR.md #12)
// and LinkedIn has no merges. The action probe is upload-conversions (deduped by eventId).
import { SimulatedClock } from '@revloop/core';
import { describeConnectorConformance } from '@revloop/plugin-kit';
import { startLinkedInEmulator } from '@revloop/sandbox';
import { linkedInAdsConnector } from '../src/index.js';
import { START, adDay, campaign, day } from './helpers.js';

describeConnectorConformance({
  connector: linkedInAdsConnector,
  child: { module: new URL('../src/index.ts', import.meta.url), exportName: 'linkedInAdsConnector' },
  skip: ['deletes', 'merges'],
  async setup() {
    const clock = new SimulatedClock(START);
    const emu = await startLinkedInEmulator({ now: () => clock.now() });
    for (let n = 1; n <= 3; n++) emu.state.apply(campaign(n));
    for (let n = 1; n <= 3; n++) for (let d = 0; d < 29; d++) emu.state.apply(adDay(n, day(d), 100 + d, 1_000_000 * n + d));
    const config = {
      apiBaseUrl: emu.url,
      oauthBaseUrl: emu.url,
      clientId: emu.clientId,
      clientSecret: emu.clientSecret,
      refreshToken: emu.refreshToken,
      accessToken: emu.accessToken,
      adAccountId: String(emu.state.adAccount.id),
      conversionRule: 'urn:lla:llaPartnerConversion:7',
      startDate: '2024-02-01',
      lookbackDays: 2,
      analyticsChunkDays: 10,
    };
    return {
      config,
      badCredentialsConfig: { ...config, accessToken: 'not-a-token', clientSecret: 'wrong' },
      clock,
      // campaigns: a full read every sync; analytics: the lookback window (3 campaigns x (2 days + today))
      idleRereadAllowance: { campaigns: 4, 'campaign-analytics': 9 },
      change() {
        emu.state.apply(campaign(4));
        emu.state.apply(adDay(1, day(28), 555, 7_777_777)); // a late revision inside the lookback window
        return { campaigns: 1, 'campaign-analytics': 1 };
      },
      action: {
        name: 'upload-conversions',
        input: { events: [{ eventId: 'opp_9:won', kind: 'closed_won', occurredAt: START - 86_400_000, valueMicros: 5_000_000 }] },
        vendorWrites: () => emu.state.receivedConversions().length,
      },
      teardown: () => emu.stop(),
    };
  },
});
