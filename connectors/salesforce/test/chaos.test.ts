// Issue #27's chaos suite on every Salesforce action: SIGKILL mid-batch, a 5xx or a dropped
// connection after Salesforce applied the write, and revloop's action record lost; counted in the
// emulator. Effects counted per item: live Tasks per revloop_key__c; live CampaignMembers per
// campaign and person; applied updates per Contact (each PATCH is a write at Salesforce even with
// the same values: LastModifiedDate moves and record-triggered flows run again).
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describeActionChaos, okRecordKeys, type ChaosActionCase, type ChaosWorld } from '@revloop/plugin-kit';
import { salesforceConnector } from '../src/index.js';
import { account, contact, NAME, T0, world } from './helpers.js';

const repo = fileURLToPath(new URL('../../../', import.meta.url));
const N = 16;
const isWrite = (method: string, path: string) => method !== 'GET' && !path.includes('/oauth2/');
const id15 = (id: string) => id.slice(0, 15);

async function salesforceWorld<Item>(build: (w: Awaited<ReturnType<typeof world>>, people: string[]) => { items: Item[]; effects(): Map<string, number> }): Promise<ChaosWorld<Item>> {
  const w = await world();
  w.em.state.addCustomField('Task', { name: 'revloop_key__c', type: 'string' });
  account(w.em, 1);
  const people = Array.from({ length: N }, (_, i) => contact(w.em, i + 1, 1));
  const { items, effects } = build(w, people);
  return { items, effects, endpoints: { salesforce: { url: w.em.url, isWrite } }, config: (urls) => w.config({ instanceUrl: urls.salesforce, maxRetries: 10 }), clock: w.clock, close: () => w.close() };
}

type Task = { key: string; whoId: string; subject: string; activityDate: string };
const createTasks: ChaosActionCase<Task> = {
  action: 'create_tasks',
  world: () =>
    salesforceWorld((w, people) => ({
      // the same subject and date for every task: only the key tells them apart
      items: people.map((whoId, i) => ({ key: `task-${i}`, whoId, subject: 'Follow up', activityDate: '2024-01-05' })),
      effects() {
        const perKey = new Map<string, number>();
        for (const t of w.em.state.all('Task')) if (!t.values.IsDeleted && t.values.revloop_key__c) perKey.set(String(t.values.revloop_key__c), (perKey.get(String(t.values.revloop_key__c)) ?? 0) + 1);
        return perKey;
      },
    })),
  keysOf: (t) => [t.key],
  input: (tasks) => ({ tasks }),
  okKeys: okRecordKeys,
};

type Member = { campaignId: string; personId: string };
const memberKey = (m: { campaignId: string; personId: string }) => `${id15(m.campaignId)}:${id15(m.personId)}`;
const addCampaignMembers: ChaosActionCase<Member> = {
  action: 'add_campaign_members',
  world: () =>
    salesforceWorld((w, people) => {
      const campaign = w.em.state.create('Campaign', { Name: 'Nurture' });
      if (!campaign.ok) throw new Error('the emulator refused the campaign');
      return {
        items: people.map((personId) => ({ campaignId: campaign.record.id, personId })),
        effects() {
          const perKey = new Map<string, number>();
          for (const m of w.em.state.all('CampaignMember')) {
            if (m.values.IsDeleted) continue;
            const key = memberKey({ campaignId: String(m.values.CampaignId), personId: String(m.values.ContactId ?? m.values.LeadId) });
            perKey.set(key, (perKey.get(key) ?? 0) + 1);
          }
          return perKey;
        },
      };
    }),
  keysOf: (m) => [memberKey(m)],
  input: (members) => ({ members }),
  okKeys: okRecordKeys,
};

type Score = { id: string; score: number };
const updatePersonFields: ChaosActionCase<Score> = {
  action: 'update_person_fields',
  world: () =>
    salesforceWorld((w, people) => {
      w.em.state.addCustomField('Contact', { name: 'revloop_score__c', type: 'double' });
      w.em.state.addCustomField('Contact', { name: 'revloop_segment__c', type: 'string' });
      // every update Salesforce applies, per record (the emulator's update is where a PATCH lands)
      const applied = new Map<string, number>();
      const update = w.em.state.update.bind(w.em.state);
      w.em.state.update = (type, id, body) => {
        const saved = update(type, id, body);
        if (saved.ok) applied.set(saved.record.id, (applied.get(saved.record.id) ?? 0) + 1);
        return saved;
      };
      const items = people.map((id, i) => ({ id, score: 0.5 + i / 100 }));
      return {
        items,
        // a record counts when its score is the intended one, as often as it was written
        effects: () => new Map(items.map((it) => [it.id, w.em.state.get(it.id)?.values.revloop_score__c === it.score ? (applied.get(it.id) ?? 0) : 0])),
      };
    }),
  keysOf: (r) => [r.id],
  input: (records) => ({ records: records.map((r) => ({ id: r.id, score: r.score, segment: 'enterprise' })) }),
  okKeys: okRecordKeys,
};

describeActionChaos({
  connector: salesforceConnector,
  module: join(repo, 'connectors/salesforce/src/index.ts'),
  exportName: 'salesforceConnector',
  name: NAME,
  clockStart: T0,
  execArgv: ['--conditions=revloop-source', '--import', 'tsx', '--import', join(repo, 'test/setup/network-guard-child.mjs')],
  actions: [createTasks, addCampaignMembers, updatePersonFields],
});
