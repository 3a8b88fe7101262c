// Issue #27's chaos suite on every HubSpot action: SIGKILL mid-batch, a 5xx or a dropped connection
// after HubSpot applied the write, and revloop's action record lost; counted in the emulator.
// Effects counted per item: a task per revloop_key; an email enrolment (the emulator's treatment)
// per contact for a revloop-email list membership and for a revloop_next_action=email write (each
// such write enrols again at HubSpot, so a re-sent write is a visible duplicate); the written value
// per company (a re-written same value changes nothing at HubSpot: it can only be missing).
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describeActionChaos, okRecordKeys, type ChaosActionCase, type ChaosWorld } from '@revloop/plugin-kit';
import type { SimTreatment } from '@revloop/sandbox';
import { hubspotConnector } from '../src/index.js';
import { company, contact, NAME, T0, world } from './helpers.js';

const repo = fileURLToPath(new URL('../../../', import.meta.url));
const N = 16;
// search and batch reads are POSTs that change nothing
const isWrite = (method: string, path: string) => method !== 'GET' && !/\/search$|\/batch\/read$/.test(path.split('?')[0]!);

/** a HubSpot emulator with one company and N contacts; effects counted by the caller */
async function hubspotWorld<Item>(build: (w: Awaited<ReturnType<typeof world>>, contacts: string[], treatments: SimTreatment[]) => { items: Item[]; effects(): Map<string, number> }): Promise<ChaosWorld<Item>> {
  const treatments: SimTreatment[] = [];
  const w = await world({ onTreatment: (t) => treatments.push(t) });
  company(w.em, 1);
  const contacts = Array.from({ length: N }, (_, i) => contact(w.em, i + 1, 1));
  const { items, effects } = build(w, contacts, treatments);
  return { items, effects, endpoints: { hubspot: { url: w.em.url, isWrite } }, config: (urls) => w.config({ baseUrl: urls.hubspot }), clock: w.clock, close: () => w.close() };
}

/** email enrolments per HubSpot contact id */
function emailsPerContact(w: Awaited<ReturnType<typeof world>>, treatments: SimTreatment[]): Map<string, number> {
  const perContact = new Map<string, number>();
  for (const t of treatments) {
    if (t.channel !== 'email' || !t.contactId) continue;
    const id = w.em.state.hubspotIdOf(t.contactId)!;
    perContact.set(id, (perContact.get(id) ?? 0) + 1);
  }
  return perContact;
}

type Task = { key: string; subject: string; contactId: string };
const createSalesTasks: ChaosActionCase<Task> = {
  action: 'create-sales-tasks',
  world: () =>
    hubspotWorld((w, contacts) => ({
      items: contacts.map((id, i) => ({ key: `task-${i}`, subject: `Call ${i}`, contactId: id })),
      effects() {
        const perKey = new Map<string, number>();
        for (const t of w.em.state.stores.tasks.all()) if (!t.archived && t.properties.revloop_key) perKey.set(t.properties.revloop_key, (perKey.get(t.properties.revloop_key) ?? 0) + 1);
        return perKey;
      },
    })),
  keysOf: (t) => [t.key],
  input: (tasks) => ({ tasks }),
  okKeys: okRecordKeys,
};

type Member = { listId: string; contactId: string };
const addContactsToList: ChaosActionCase<Member> = {
  action: 'add-contacts-to-list',
  world: () =>
    hubspotWorld((w, contacts, treatments) => {
      // a revloop-email list: each membership added enrols the contact in an email
      const list = w.em.state.createList({ name: 'revloop-email-roi', objectTypeId: '0-1', processingType: 'MANUAL' });
      return { items: contacts.map((contactId) => ({ listId: list.listId, contactId })), effects: () => emailsPerContact(w, treatments) };
    }),
  keysOf: (m) => [m.contactId],
  input: (members) => ({ listId: members[0]!.listId, contactIds: members.map((m) => m.contactId) }),
  okKeys: okRecordKeys,
};

type Write = { id: string; value: string };
const upsertContactProperties: ChaosActionCase<Write> = {
  action: 'upsert-contact-properties',
  world: () => hubspotWorld((w, contacts, treatments) => ({ items: contacts.map((id) => ({ id, value: 'roi' })), effects: () => emailsPerContact(w, treatments) })),
  keysOf: (r) => [r.id],
  input: (records) => ({ key: `decision-${records[0]!.id}`, records: records.map((r) => ({ id: r.id, properties: { revloop_next_action: 'email', revloop_topic: r.value } })) }),
  okKeys: okRecordKeys,
};

const upsertCompanyProperties: ChaosActionCase<Write> = {
  action: 'upsert-company-properties',
  world: () =>
    hubspotWorld((w) => {
      const ids = Array.from({ length: N }, (_, i) => company(w.em, i + 2));
      const items = ids.map((id, i) => ({ id, value: `Industry ${i}` }));
      return {
        items,
        effects: () => new Map(items.map((it) => [it.id, w.em.state.stores.companies.get(it.id)?.properties.industry === it.value ? 1 : 0])),
      };
    }),
  keysOf: (r) => [r.id],
  input: (records) => ({ key: `decision-${records[0]!.id}`, records: records.map((r) => ({ id: r.id, properties: { industry: r.value } })) }),
  okKeys: okRecordKeys,
};

describeActionChaos({
  connector: hubspotConnector,
  module: join(repo, 'connectors/hubspot/src/index.ts'),
  exportName: 'hubspotConnector',
  name: NAME,
  clockStart: T0,
  execArgv: ['--conditions=revloop-source', '--import', 'tsx', '--import', join(repo, 'test/setup/network-guard-child.mjs')],
  actions: [createSalesTasks, addContactsToList, upsertContactProperties, upsertCompanyProperties],
});
