import { afterEach, describe, expect, it } from 'vitest';
import { runAction } from '@revloop/core';
import { account, contact, world, NAME, type World } from './helpers.js';

let w: World;
afterEach(async () => w?.close());

type Rec = { key: string; ok: boolean; result?: any; error?: string };
const count = (w: World, type: 'Task' | 'CampaignMember') => w.em.state.count(type);

describe('salesforce: actions', () => {
  it('update_person_fields writes score and segment with per-record results (deleted record fails alone)', async () => {
    w = await world();
    const { em } = w;
    em.state.addCustomField('Contact', { name: 'revloop_score__c', type: 'double' });
    em.state.addCustomField('Contact', { name: 'revloop_segment__c', type: 'string' });
    em.state.addCustomField('Lead', { name: 'revloop_score__c', type: 'double' });
    em.state.addCustomField('Lead', { name: 'revloop_segment__c', type: 'string' });
    account(em, 1);
    const c1 = contact(em, 1, 1);
    const c2 = contact(em, 2, 1);
    const lead = em.state.create('Lead', { LastName: 'Lee', Company: 'LeadCo' });
    if (!lead.ok) throw new Error('lead');
    em.state.apply({ kind: 'deleted', entity: 'contact', id: 'con_000002', at: em.clock.now() });
    const runtime = await w.runtime();
    const input = {
      records: [
        { id: c1, score: 0.82, segment: 'enterprise' },
        { id: c2, score: 0.1 },
        { id: lead.record.id, segment: 'smb', fields: { Title: 'CMO' } },
      ],
    };
    const out = await runAction<{ results: Rec[]; updated: number; failed: number }>(runtime, NAME, 'update_person_fields', input);
    expect(out.replayed).toBe(false);
    expect(out.result).toMatchObject({ updated: 2, failed: 1 });
    expect(out.result.results.map((r) => [r.key, r.ok])).toEqual([[c1, true], [c2, false], [lead.record.id, true]]);
    expect(out.result.results[1]!.error).toMatch(/ENTITY_IS_DELETED/);
    expect(em.state.get(c1)!.values).toMatchObject({ revloop_score__c: 0.82, revloop_segment__c: 'enterprise' });
    expect(em.state.get(lead.record.id)!.values).toMatchObject({ revloop_segment__c: 'smb', Title: 'CMO', revloop_score__c: null });
    const again = await runAction(runtime, NAME, 'update_person_fields', input);
    expect(again.replayed).toBe(true);
  });

  it('create_tasks is idempotent by revloop key: a retry (even with the action record lost) writes nothing twice', async () => {
    w = await world();
    const { em } = w;
    em.state.addCustomField('Task', { name: 'revloop_key__c', type: 'string' });
    account(em, 1);
    const c1 = contact(em, 1, 1);
    const c2 = contact(em, 2, 1);
    const input = {
      tasks: [
        { key: 'dec-1', whoId: c1, subject: 'Call about pricing', activityDate: '2024-01-03' },
        { key: 'dec-2', whoId: c2, subject: 'Send case study' },
        { key: 'dec-3', whoId: c2, subject: 'x', activityDate: '2024-13-45' },
      ],
    };
    const runtime = await w.runtime();
    const first = await runAction<{ results: Rec[]; created: number; failed: number }>(runtime, NAME, 'create_tasks', input);
    expect(first.result).toMatchObject({ created: 2, failed: 1 });
    expect(first.result.results.map((r) => r.ok)).toEqual([true, true, false]);
    expect(first.result.results[2]!.error).toMatch(/ActivityDate|date/i);
    expect(count(w, 'Task')).toBe(2);
    const task = em.state.get(first.result.results[0]!.result.id)!;
    expect(task.values).toMatchObject({ Subject: 'Call about pricing', WhoId: c1, revloop_key__c: 'dec-1' });

    expect((await runAction(runtime, NAME, 'create_tasks', input)).replayed).toBe(true);
    // a second process without the idempotency record (crash after the vendor wrote): found by key
    const other = await w.runtime();
    const retry = await runAction<{ results: Rec[]; created: number; existing: number }>(other, NAME, 'create_tasks', { tasks: input.tasks.slice(0, 2) });
    expect(retry.replayed).toBe(false);
    expect(retry.result).toMatchObject({ created: 0, existing: 2 });
    expect(retry.result.results.map((r) => r.result.id)).toEqual(first.result.results.slice(0, 2).map((r) => r.result.id));
    expect(count(w, 'Task')).toBe(2);
  });

  it('create_tasks without the key field deduplicates on the key marker in Description', async () => {
    w = await world();
    const { em } = w;
    account(em, 1);
    const c1 = contact(em, 1, 1);
    const input = { tasks: [{ key: 'k1', whoId: c1, subject: 'Call', activityDate: '2024-01-03' }] };
    expect((await runAction<any>(await w.runtime(), NAME, 'create_tasks', input)).result.created).toBe(1);
    expect((await runAction<any>(await w.runtime(), NAME, 'create_tasks', input)).result.created).toBe(0);
    expect(count(w, 'Task')).toBe(1);
  });

  it('add_campaign_members: existing membership is success, a retry adds nothing, results per record', async () => {
    w = await world();
    const { em } = w;
    account(em, 1);
    const c1 = contact(em, 1, 1);
    const c2 = contact(em, 2, 1);
    const lead = em.state.create('Lead', { LastName: 'Lee', Company: 'LeadCo' });
    const camp = em.state.create('Campaign', { Name: 'Nurture' });
    if (!lead.ok || !camp.ok) throw new Error('setup');
    em.state.create('CampaignMember', { CampaignId: camp.record.id, ContactId: c1 });
    const input = {
      members: [
        { campaignId: camp.record.id, personId: c1 },
        { campaignId: camp.record.id, personId: c2, status: 'Sent' },
        { campaignId: camp.record.id, personId: lead.record.id },
        { campaignId: '701000000000099AAA', personId: c2 },
      ],
    };
    const first = await runAction<{ results: Rec[]; created: number; existing: number; failed: number }>(await w.runtime(), NAME, 'add_campaign_members', input);
    expect(first.result).toMatchObject({ created: 2, existing: 1, failed: 1 });
    expect(first.result.results.map((r) => r.ok)).toEqual([true, true, true, false]);
    expect(count(w, 'CampaignMember')).toBe(3);
    const second = await runAction<{ created: number; existing: number }>(await w.runtime(), NAME, 'add_campaign_members', input);
    expect(second.result).toMatchObject({ created: 0, existing: 3 });
    expect(count(w, 'CampaignMember')).toBe(3);
  });

  it('actions under 20% server errors and dropped connections still write each record exactly once', async () => {
    w = await world({ seed: 3 });
    const { em } = w;
    em.state.addCustomField('Task', { name: 'revloop_key__c', type: 'string' });
    account(em, 1);
    const people = Array.from({ length: 30 }, (_, i) => contact(em, i + 1, 1));
    em.faults.set({ serverErrorRate: 0.2, dropConnectionRate: 0.05 });
    const runtime = await w.runtime({ maxRetries: 10 });
    const tasks = people.map((whoId, i) => ({ key: `t${i}`, whoId, subject: `Touch ${i}` }));
    for (let i = 0; i < 3; i++) {
      const out = await runAction<{ results: Rec[] }>(await w.runtime({ maxRetries: 10 }), NAME, 'create_tasks', { tasks });
      expect(out.result.results.every((r) => r.ok)).toBe(true);
    }
    em.faults.set({ serverErrorRate: 0, dropConnectionRate: 0 });
    expect(count(w, 'Task')).toBe(30);
    void runtime;
  });
});
