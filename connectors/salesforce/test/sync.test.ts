import { afterEach, describe, expect, it } from 'vitest';
import { checkConnectors, readCheckpoint, syncStream } from '@revloop/core';
import { entityIdFor } from '@revloop/store';
import { account, contact, NAME, opportunity, rows, world, type World } from './helpers.js';

let w: World;
afterEach(async () => w?.close());

const ok = <T>(r: { ok: true; record: T } | { ok: false; errors: unknown[] }): T => {
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return r.record;
};

describe('salesforce: first sync of every stream', () => {
  it('checks the connection and maps each object into the unified model', async () => {
    w = await world();
    const { em } = w;
    const a1 = account(em, 1);
    const c1 = contact(em, 1, 1);
    const o1 = opportunity(em, 1, 1, 'closed_won', 1234.565);
    const o2 = opportunity(em, 2, 1, 'qualification', 10);
    const lead = ok(em.state.create('Lead', { LastName: 'Lee', FirstName: 'Ann', Email: 'ANN@lead.example', Company: 'LeadCo', Status: 'Working - Contacted' }));
    const camp = ok(em.state.create('Campaign', { Name: 'Nurture A', Type: 'Email', Status: 'In Progress' }));
    const member = ok(em.state.create('CampaignMember', { CampaignId: camp.id, ContactId: c1 }));
    const leadMember = ok(em.state.create('CampaignMember', { CampaignId: camp.id, LeadId: lead.id }));
    const task = ok(em.state.create('Task', { Subject: 'Call about pricing', WhoId: c1, WhatId: a1, ActivityDate: '2024-01-05' }));

    const runtime = await w.runtime();
    expect((await checkConnectors(runtime))[0]).toMatchObject({ ok: true, message: expect.stringContaining('API v62.0') });
    const reads: Record<string, number> = {};
    for (const s of ['accounts', 'contacts', 'leads', 'opportunities', 'campaigns', 'campaign_members', 'tasks']) {
      const run = await syncStream(runtime, NAME, s);
      expect(run.status).toBe('succeeded');
      expect(run.failed).toBe(0);
      reads[s] = run.read;
    }
    expect(reads).toEqual({ accounts: 1, contacts: 1, leads: 1, opportunities: 2, campaigns: 1, campaign_members: 2, tasks: 1 });

    const id = (type: Parameters<typeof entityIdFor>[0], sfId: string) => entityIdFor(type, NAME, sfId);
    const [acct] = await rows(runtime, 'accounts');
    expect(acct).toMatchObject({ id: id('account', a1), name: 'Account 1', domain: 'acct1.example', industry: 'Software', employees: 101, region: 'US', deleted: 0 });
    const people = await rows(runtime, 'contacts');
    expect(people.find((p) => p.id === id('contact', c1))).toMatchObject({ email: 'person1@acct1.example', first_name: 'First1', account_id: id('account', a1), lifecycle_stage: null });
    const leadRow = people.find((p) => p.id === id('contact', lead.id))!;
    expect(leadRow).toMatchObject({ email: 'ann@lead.example', lifecycle_stage: 'lead', account_id: null });
    expect(JSON.parse(leadRow.attributes!)).toMatchObject({ leadStatus: 'Working - Contacted', company: 'LeadCo' });
    expect(JSON.parse(leadRow.raw!)).toMatchObject({ Id: lead.id, Email: 'ANN@lead.example' });

    const opps = await rows(runtime, 'opportunities');
    expect(opps.find((o) => o.id === id('opportunity', o1))).toMatchObject({ stage: 'Closed Won', amount_micros: 1_234_565_000, is_won: 1, is_closed: 1, close_date: '2024-03-31', account_id: id('account', a1) });
    expect(opps.find((o) => o.id === id('opportunity', o2))).toMatchObject({ stage: 'Qualification', amount_micros: 10_000_000, is_won: 0, is_closed: 0 });

    const [campaign] = await rows(runtime, 'campaigns');
    expect(campaign).toMatchObject({ id: id('campaign', camp.id), name: 'Nurture A', platform: 'salesforce', status: 'In Progress' });
    expect(JSON.parse(campaign!.attributes!)).toMatchObject({ Type: 'Email', IsActive: false });

    const tps = await rows(runtime, 'touchpoints');
    expect(tps.find((t) => t.id === id('touchpoint', member.id))).toMatchObject({ kind: 'exposure', channel: 'email', contact_id: id('contact', c1), campaign_id: id('campaign', camp.id), account_id: id('account', a1), date: '2024-01-01' });
    expect(tps.find((t) => t.id === id('touchpoint', leadMember.id))).toMatchObject({ contact_id: id('contact', lead.id), account_id: null });
    const taskRow = tps.find((t) => t.id === id('touchpoint', task.id))!;
    expect(taskRow).toMatchObject({ kind: 'exposure', channel: 'sales_task', contact_id: id('contact', c1), account_id: id('account', a1) });
    expect(JSON.parse(taskRow.attributes!)).toMatchObject({ Subject: 'Call about pricing', ActivityDate: '2024-01-05' });

    const cp = await readCheckpoint<{ modstamp: number; id: string; deletesFrom: number }>(runtime.store, NAME, 'opportunities');
    expect(cp).toMatchObject({ modstamp: em.clock.now(), deletesFrom: em.clock.now() });
  });
});
