// The plugin kit's conformance suite against the HubSpot emulator, with the real SDK.
import { startHubSpotEmulator } from '@revloop/sandbox';
import { describeConnectorConformance } from '@revloop/plugin-kit';
import { hubspotConnector } from '../src/index.js';
import { T0, TOKEN, company, contact, deal } from './helpers.js';

const limitsOff = { secondly: 100_000, tenSecondly: 1_000_000, daily: 100_000_000, searchSecondly: 100_000 };

async function seeded(companies: number, contactsPer: number) {
  const em = await startHubSpotEmulator({});
  em.clock!.set(T0);
  for (let a = 1; a <= companies; a++) {
    company(em, a);
    for (let c = 0; c < contactsPer; c++) contact(em, a * 100 + c, a);
    deal(em, a, a, a * 100, a % 2 ? 'qualification' : 'closed_won');
  }
  em.clock!.advance(60_000);
  return em;
}

describeConnectorConformance({
  connector: hubspotConnector,
  child: { module: new URL('../src/index.ts', import.meta.url), exportName: 'hubspotConnector' },
  name: 'hs',
  async setup() {
    const em = await seeded(6, 3);
    const clock = { now: () => em.clock!.now(), sleep: async (ms: number) => em.clock!.advance(ms) };
    const config = { accessToken: TOKEN, baseUrl: em.url, pageSize: 4, searchPageSize: 4, lookbackMs: 0, retry: { attempts: 4, serverErrorBackoffMs: 1, rateLimitBackoffMs: 5 }, rateLimits: limitsOff };
    return {
      config,
      badCredentialsConfig: { ...config, accessToken: 'pat-na1-wrong' },
      streams: ['companies', 'contacts', 'deals'],
      clock,
      tick: () => em.clock!.advance(60_000),
      change() {
        for (const n of [100, 101, 300]) contact(em, n, Math.floor(n / 100), em.clock!.now(), { firstName: `Changed${n}` });
        company(em, 7);
        return { contacts: 3, companies: 1 };
      },
      deleteOne() {
        const id = em.state.hubspotIdOf('con_000201')!;
        em.state.archive('contacts', id);
        return { stream: 'contacts', systemId: id };
      },
      mergeTwo() {
        const winner = em.state.hubspotIdOf('con_000400')!;
        const loser = em.state.hubspotIdOf('con_000401')!;
        em.state.merge(winner, loser);
        return { stream: 'contacts', loser, winner };
      },
      action: {
        name: 'create-sales-tasks',
        input: { tasks: [{ key: 'conformance-1', subject: 'Call about ROI', contactId: em.state.hubspotIdOf('con_000100')! }] },
        vendorWrites: () => em.state.stores.tasks.size,
      },
      teardown: () => em.stop(),
    };
  },
});

