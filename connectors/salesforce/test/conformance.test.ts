// The plugin kit's conformance suite against the Salesforce emulator, with jsforce.
import { startSalesforceEmulator } from '@revloop/sandbox';
import { describeConnectorConformance } from '@revloop/plugin-kit';
import { salesforceConnector } from '../src/index.js';
import { account, contact, opportunity } from './helpers.js';

async function seeded(accounts: number, contactsPer: number) {
  const em = await startSalesforceEmulator({});
  em.state.addCustomField('Task', { name: 'revloop_key__c', type: 'string' });
  for (let a = 1; a <= accounts; a++) {
    account(em, a);
    for (let c = 0; c < contactsPer; c++) contact(em, a * 100 + c, a);
    opportunity(em, a, a, a % 2 ? 'qualification' : 'closed_won');
  }
  em.clock.advance(5 * 60_000);
  return em;
}

const configOf = (em: Awaited<ReturnType<typeof startSalesforceEmulator>>) => ({
  instanceUrl: em.url,
  loginUrl: em.url,
  clientId: em.credentials.clientId,
  clientSecret: em.credentials.clientSecret,
  refreshToken: em.refreshToken,
  accessToken: em.accessToken,
  pageSize: 4,
});

describeConnectorConformance({
  connector: salesforceConnector,
  child: { module: new URL('../src/index.ts', import.meta.url), exportName: 'salesforceConnector' },
  name: 'sf',
  async setup() {
    const em = await seeded(6, 3);
    const clock = { now: () => em.clock.now(), sleep: async (ms: number) => em.clock.advance(ms) };
    const config = configOf(em);
    return {
      config,
      badCredentialsConfig: { ...config, accessToken: 'expired', refreshToken: 'revoked-refresh-token' },
      streams: ['accounts', 'contacts', 'opportunities'],
      clock,
      tick: () => em.clock.advance(5 * 60_000),
      change() {
        for (const n of [100, 101, 300]) contact(em, n, Math.floor(n / 100), em.clock.now(), `changed${n}@example.test`);
        account(em, 7);
        return { contacts: 3, accounts: 1 };
      },
      deleteOne() {
        const id = em.state.idOf('con_000201')!;
        em.state.apply({ kind: 'deleted', entity: 'contact', id: 'con_000201', at: em.clock.now() });
        return { stream: 'contacts', systemId: id };
      },
      mergeTwo() {
        em.state.apply({ kind: 'contact_merged', loserId: 'con_000401', winnerId: 'con_000400', at: em.clock.now() });
        return { stream: 'contacts', loser: em.state.idOf('con_000401')!, winner: em.state.idOf('con_000400')! };
      },
      action: {
        name: 'create_tasks',
        input: { tasks: [{ key: 'conformance-1', whoId: em.state.idOf('con_000100')!, subject: 'Call about pricing' }] },
        vendorWrites: () => em.state.count('Task'),
      },
      teardown: () => em.stop(),
    };
  },
});

