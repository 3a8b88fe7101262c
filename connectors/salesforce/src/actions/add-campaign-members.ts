// Adds Contacts/Leads to Campaigns, idempotently: memberships that exist are found first, and a
// DUPLICATE_VALUE answer (a concurrent add) counts as success — being a member is the goal.
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { defineAction, type ActionRecordResult } from '@revloop/core';
import { clientFor, queryAll, retryTransient } from '../client.js';
import { compositeWrite, describeErrors } from '../composite.js';
import type { SalesforceConfig } from '../config.js';
import { sfIdSchema, sobjectOfId } from '../ids.js';
import { chunk, soqlIn } from '../soql.js';

const memberSchema = z
  .object({
    campaignId: sfIdSchema,
    /** a Contact (003…) or Lead (00Q…) id */
    personId: sfIdSchema.refine((id) => ['Contact', 'Lead'].includes(sobjectOfId(id) ?? ''), 'a Contact (003…) or Lead (00Q…) id'),
    status: z.string().optional(),
  })
  .strict();
const inputSchema = z.object({ members: z.array(memberSchema).min(1).max(2000) }).strict();
type Member = z.infer<typeof memberSchema>;
type Input = z.infer<typeof inputSchema>;
type Result = { results: ActionRecordResult<{ id: string | null; created: boolean }>[]; created: number; existing: number; failed: number };

const id15 = (id: string) => id.slice(0, 15);
const keyOf = (m: { campaignId: string; personId: string }) => `${id15(m.campaignId)}:${id15(m.personId)}`;

export default defineAction<SalesforceConfig, Input, Result>({
  name: 'add_campaign_members',
  description: 'add Contacts/Leads to Campaigns (idempotent: existing membership is success; per-record results)',
  input: inputSchema,
  idempotencyKey: (input) => createHash('sha256').update(input.members.map(keyOf).sort().join(',')).digest('hex').slice(0, 32),
  run: (ctx, input) => retryTransient(ctx, 'create', async () => {
    const client = clientFor(ctx);
    const unique = [...new Map(input.members.map((m) => [keyOf(m), m])).values()];
    const existing = new Map<string, string>();
    for (const part of chunk(unique, 200)) {
      const campaigns = [...new Set(part.map((m) => m.campaignId))];
      const contacts = part.filter((m) => sobjectOfId(m.personId) === 'Contact').map((m) => m.personId);
      const leads = part.filter((m) => sobjectOfId(m.personId) === 'Lead').map((m) => m.personId);
      const people = [contacts.length ? `ContactId IN ${soqlIn(contacts)}` : '', leads.length ? `LeadId IN ${soqlIn(leads)}` : ''].filter(Boolean);
      // AND mixed with OR needs the parentheses (MALFORMED_QUERY otherwise)
      const soql = `SELECT Id, CampaignId, ContactId, LeadId FROM CampaignMember WHERE CampaignId IN ${soqlIn(campaigns)} AND (${people.join(' OR ')})`;
      const rows = await queryAll<{ Id: string; CampaignId: string; ContactId: string | null; LeadId: string | null }>(client, soql, 'find campaign members');
      for (const r of rows) existing.set(keyOf({ campaignId: r.CampaignId, personId: (r.ContactId ?? r.LeadId)! }), r.Id);
    }
    const missing = unique.filter((m) => !existing.has(keyOf(m)));
    const saved = await compositeWrite(
      ctx,
      'POST',
      missing.map((m: Member) => ({
        type: 'CampaignMember',
        fields: { CampaignId: m.campaignId, [sobjectOfId(m.personId) === 'Lead' ? 'LeadId' : 'ContactId']: m.personId, ...(m.status ? { Status: m.status } : {}) },
      })),
    );
    const outcome = new Map(missing.map((m, i) => [keyOf(m), saved[i]!]));
    let created = 0;
    const results = input.members.map((m): ActionRecordResult<{ id: string | null; created: boolean }> => {
      const key = keyOf(m);
      const id = existing.get(key);
      if (id) return { key, ok: true, result: { id, created: false } };
      const s = outcome.get(key)!;
      if (s.success && s.id) return { key, ok: true, result: { id: s.id, created: true } };
      if (s.errors.some((e) => e.statusCode === 'DUPLICATE_VALUE')) return { key, ok: true, result: { id: null, created: false } };
      return { key, ok: false, error: describeErrors(s) };
    });
    for (const s of saved) if (s.success) created++;
    return { results, created, existing: existing.size, failed: results.filter((r) => !r.ok).length };
  }),
});
