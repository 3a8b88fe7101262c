import { afterEach, describe, expect, it } from 'vitest';
import { runAction } from '@revloop/core';
import { company, contact, NAME, world, type World } from './helpers.js';

let w: World;
afterEach(async () => w?.close());

describe('hubspot: actions', () => {
  it('upsert-contact-properties: batched, per-record results, unknown properties refused per record, a retry writes nothing', async () => {
    w = await world();
    company(w.em, 1);
    const ids = [1, 2, 3].map((n) => contact(w.em, n, 1));
    const runtime = await w.runtime();
    const input = {
      records: [
        { id: ids[0]!, properties: { revloop_next_action: 'none', revloop_topic: 'roi' } },
        { id: ids[1]!, properties: { revloop_score_typo: 5 } },
        { id: '199999999', properties: { revloop_topic: 'x' } },
        { email: 'new.person@acct1.example', properties: { revloop_topic: 'security', firstname: 'New' } },
        { email: 'PERSON3@acct1.example', properties: { revloop_variant: 'b' } },
      ],
    };
    const first = await runAction<{ results: { key: string; ok: boolean; error?: string }[]; written: number }>(runtime, NAME, 'upsert-contact-properties', input);
    expect(first.replayed).toBe(false);
    expect(first.result.results.map((r) => r.ok)).toEqual([true, false, false, true, true]);
    expect(first.result.results[1]!.error).toMatch(/revloop_score_typo does not exist/);
    expect(first.result.results[2]!.error).toMatch(/199999999|not/i);
    expect(w.em.state.stores.contacts.get(ids[0]!)!.properties.revloop_topic).toBe('roi');
    expect(w.em.state.stores.contacts.get(ids[2]!)!.properties.revloop_variant).toBe('b');
    const created = w.em.state.stores.contacts.findUnique('email', 'new.person@acct1.example');
    expect(created?.properties.revloop_topic).toBe('security');
    // the bad record did not spoil the batch it was in, and nothing else was written
    expect(w.em.state.stores.contacts.get(ids[1]!)!.properties.revloop_score_typo).toBeUndefined();

    const size = w.em.state.stores.contacts.size;
    const updatedAt = w.em.state.stores.contacts.get(ids[0]!)!.updatedAt;
    w.clock.advance(60_000);
    const again = await runAction(runtime, NAME, 'upsert-contact-properties', input);
    expect(again.replayed).toBe(true);
    // even past revloop's idempotency record, the vendor write itself is idempotent
    const fresh = await w.runtime({}, 'other.db');
    const third = await runAction<{ written: number }>(fresh, NAME, 'upsert-contact-properties', input);
    expect(third.replayed).toBe(false);
    expect(w.em.state.stores.contacts.size).toBe(size);
    expect(w.em.state.stores.contacts.get(ids[0]!)!.updatedAt).toBe(updatedAt);
  });

  it('upsert-contact-properties with a key: the same values for another decision are a new write, a retry of one replays', async () => {
    w = await world();
    company(w.em, 1);
    const id = contact(w.em, 1, 1);
    const runtime = await w.runtime();
    const records = [{ id, properties: { revloop_next_action: 'email', revloop_topic: 'roi' } }];
    const a = await runAction(runtime, NAME, 'upsert-contact-properties', { key: 'decision-a', records });
    const b = await runAction(runtime, NAME, 'upsert-contact-properties', { key: 'decision-b', records });
    const retry = await runAction(runtime, NAME, 'upsert-contact-properties', { key: 'decision-a', records });
    expect([a.replayed, b.replayed, retry.replayed]).toEqual([false, false, true]);
    expect(a.key).not.toBe(b.key);
  });

  it('upsert-company-properties writes by id', async () => {
    w = await world();
    const id = company(w.em, 1);
    w.em.state.catalog.create('companies', { name: 'revloop_segment', label: 'segment', type: 'string', fieldType: 'text', groupName: 'revloop' }, w.clock.now());
    const runtime = await w.runtime();
    const out = await runAction<{ results: { ok: boolean }[] }>(runtime, NAME, 'upsert-company-properties', { records: [{ id, properties: { revloop_segment: 'enterprise' } }] });
    expect(out.result.results).toEqual([{ key: id, ok: true, result: { id } }]);
    expect(w.em.state.stores.companies.get(id)!.properties.revloop_segment).toBe('enterprise');
  });

  it('create-sales-tasks: one task per key, never twice (search before create), even from another runtime', async () => {
    const treatments: unknown[] = [];
    w = await world({ onTreatment: (t) => treatments.push(t) });
    company(w.em, 1);
    const c1 = contact(w.em, 1, 1);
    const c2 = contact(w.em, 2, 1);
    const runtime = await w.runtime();
    const input = {
      tasks: [
        { key: 'decision-1', subject: 'Call about ROI', contactId: c1, topic: 'roi' },
        { key: 'decision-2', subject: 'Send the security paper', contactId: c2, priority: 'HIGH' as const },
      ],
    };
    const first = await runAction<{ created: number; existing: number; failed: number }>(runtime, NAME, 'create-sales-tasks', input);
    expect(first.result).toMatchObject({ created: 2, existing: 0, failed: 0 });
    expect(w.em.state.stores.tasks.size).toBe(2);
    expect(treatments).toHaveLength(2);
    // a retry through another runtime (no idempotency record there): HubSpot is searched first
    const other = await w.runtime({}, 'other.db');
    const second = await runAction<{ created: number; existing: number }>(other, NAME, 'create-sales-tasks', { tasks: [...input.tasks, { key: 'decision-3', subject: 'Follow up', companyId: w.em.state.hubspotIdOf('acc_000001')! }] });
    expect(second.result).toMatchObject({ created: 1, existing: 2 });
    expect(w.em.state.stores.tasks.size).toBe(3);
    const task = [...w.em.state.stores.tasks.all()].find((t) => t.properties.revloop_key === 'decision-1')!;
    expect(task.properties).toMatchObject({ hs_task_subject: 'Call about ROI', revloop_topic: 'roi', hs_task_status: 'NOT_STARTED' });
    expect(w.em.state.associations.targets('tasks', task.id, 'contacts').map((t) => t.id)).toEqual([c1]);
  });

  it('create-sales-tasks: a task for an unknown contact fails alone', async () => {
    w = await world();
    company(w.em, 1);
    const c1 = contact(w.em, 1, 1);
    const runtime = await w.runtime();
    const out = await runAction<{ results: { key: string; ok: boolean }[] }>(runtime, NAME, 'create-sales-tasks', {
      tasks: [
        { key: 'k1', subject: 'ok', contactId: c1 },
        { key: 'k2', subject: 'bad', contactId: '123' },
      ],
    });
    expect(out.result.results.map((r) => [r.key, r.ok])).toEqual([['k1', true], ['k2', false]]);
    expect(w.em.state.stores.tasks.size).toBe(1);
  });

  it('add-contacts-to-list: members added once, missing ids reported per record', async () => {
    w = await world();
    company(w.em, 1);
    const ids = [1, 2].map((n) => contact(w.em, n, 1));
    const list = w.em.state.createList({ name: 'revloop-email:roi', objectTypeId: '0-1', processingType: 'MANUAL' });
    const runtime = await w.runtime();
    const out = await runAction<{ added: number; missing: number; results: { ok: boolean }[] }>(runtime, NAME, 'add-contacts-to-list', { listId: list.listId, contactIds: [...ids, '100999999'] });
    expect(out.result).toMatchObject({ added: 2, missing: 1 });
    expect(out.result.results.map((r) => r.ok)).toEqual([true, true, false]);
    const other = await w.runtime({}, 'other.db');
    const again = await runAction<{ added: number; alreadyMembers: number }>(other, NAME, 'add-contacts-to-list', { listId: list.listId, contactIds: ids });
    expect(again.result).toMatchObject({ added: 0, alreadyMembers: 2 });
    expect(list.members.size).toBe(2);
  });
});
