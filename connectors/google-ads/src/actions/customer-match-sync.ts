// Customer Match: make a CRM-based user list contain exactly the given emails. Emails are
// normalised (trim + lower case) and SHA-256 hashed; only the difference with what revloop last
// sent to this list (kept in ctx.state) travels, through one OfflineUserDataJob (create → add
// operations → run). Nothing to change → no job at all. The list is created when missing.
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { defineAction, type PluginContext } from '@revloop/core';
import type { GoogleAdsConfig } from '../config.js';
import { sessionFor, type GoogleAdsSession } from '../client.js';
import { decodePartialFailure } from '../failure.js';

const inputSchema = z
  .object({
    /** the user list's name in Google Ads (created as a CRM-based list when missing) */
    listName: z.string().trim().min(1).max(200),
    description: z.string().max(500).optional(),
    /** the whole desired membership (not a delta) */
    emails: z.array(z.string()).max(1_000_000),
    /** the decision / run this sync executes: a retry of the same sync passes the same id */
    syncId: z.string().min(1),
  })
  .strict();
type Input = z.infer<typeof inputSchema>;

export interface CustomerMatchResult {
  userList: string;
  listCreated: boolean;
  /** null when there was nothing to send */
  job: string | null;
  added: number;
  removed: number;
  unchanged: number;
  invalidEmails: number;
  failed: { hash: string; action: 'add' | 'remove'; error: string }[];
}

const OPS_PER_REQUEST = 10_000;
const emailPattern = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

export function hashEmail(email: string): string {
  return createHash('sha256').update(normaliseEmail(email)).digest('hex');
}

const listKey = (name: string) => `customer-match:list:${name}`;
const membersKey = (userList: string) => `customer-match:members:${userList}`;

async function findOrCreateList(ctx: PluginContext<GoogleAdsConfig>, session: GoogleAdsSession, name: string, description?: string): Promise<{ resource: string; created: boolean }> {
  const remembered = await ctx.state.get<string>(listKey(name));
  if (remembered) return { resource: remembered, created: false };
  const quoted = name.replace(/\\/g, '\\\\').replace(/'/g, "\\'");
  const rows = await session.report('customer-match find list', {
    entity: 'user_list',
    attributes: ['user_list.resource_name', 'user_list.name'],
    constraints: [`user_list.name = '${quoted}'`],
  });
  let resource = rows.find((r) => r.user_list?.name === name)?.user_list?.resource_name as string | undefined;
  let created = false;
  if (!resource) {
    const response = (await session.call('customer-match create list', (customer) =>
      customer.userLists.create([
        { name, description: description ?? 'Managed by revloop', crm_based_user_list: { upload_key_type: 'CONTACT_INFO', data_source_type: 'FIRST_PARTY' } } as never,
      ]),
    )) as { results: { resource_name?: string | null }[] };
    resource = response.results[0]?.resource_name ?? undefined;
    if (!resource) throw new Error(`Google Ads did not return the resource name of the new user list "${name}"`);
    created = true;
  }
  await ctx.state.set(listKey(name), resource);
  return { resource, created };
}

export default defineAction<GoogleAdsConfig, Input, CustomerMatchResult>({
  name: 'customer-match-sync',
  description: 'Make a Customer Match list contain exactly these emails (hashed; only the difference is sent)',
  input: inputSchema,
  idempotencyKey: (input) => `${input.listName}:${input.syncId}`,
  async run(ctx, input) {
    const session = sessionFor(ctx);
    const valid = input.emails.map(normaliseEmail).filter((e) => emailPattern.test(e));
    const desired = new Set(valid.map(hashEmail));
    const { resource, created } = await findOrCreateList(ctx, session, input.listName, input.description);
    const previous = new Set((await ctx.state.get<string[]>(membersKey(resource))) ?? []);
    const adds = [...desired].filter((h) => !previous.has(h)).sort();
    const removes = [...previous].filter((h) => !desired.has(h)).sort();
    const result: CustomerMatchResult = {
      userList: resource,
      listCreated: created,
      job: null,
      added: 0,
      removed: 0,
      unchanged: [...desired].filter((h) => previous.has(h)).length,
      invalidEmails: input.emails.length - valid.length,
      failed: [],
    };
    if (adds.length === 0 && removes.length === 0) return result;

    const job = (await session.call('customer-match create job', (customer) =>
      customer.offlineUserDataJobs.createOfflineUserDataJob({
        customer_id: ctx.config.customerId,
        job: { type: 'CUSTOMER_MATCH_USER_LIST', customer_match_user_list_metadata: { user_list: resource } },
      } as never),
    )) as { resource_name: string };
    result.job = job.resource_name;
    const ops = [...removes.map((h) => ({ action: 'remove' as const, hash: h })), ...adds.map((h) => ({ action: 'add' as const, hash: h }))];
    const failedHashes = new Set<string>();
    for (let i = 0; i < ops.length; i += OPS_PER_REQUEST) {
      const chunk = ops.slice(i, i + OPS_PER_REQUEST);
      const response = (await session.call('customer-match add operations', (customer) =>
        customer.offlineUserDataJobs.addOfflineUserDataJobOperations({
          resource_name: job.resource_name,
          enable_partial_failure: true,
          operations: chunk.map((o) => ({ [o.action === 'add' ? 'create' : 'remove']: { user_identifiers: [{ hashed_email: o.hash }] } })),
        } as never),
      )) as { partial_failure_error?: unknown };
      for (const err of decodePartialFailure(session.lib, response.partial_failure_error)) {
        const op = err.index === undefined ? undefined : chunk[err.index];
        if (!op) continue;
        failedHashes.add(op.hash);
        result.failed.push({ hash: op.hash, action: op.action, error: `${err.code}: ${err.message}` });
      }
    }
    await session.call('customer-match run job', (customer) => customer.offlineUserDataJobs.runOfflineUserDataJob({ resource_name: job.resource_name } as never));

    // what Google now holds, as far as revloop sent it: failed operations change nothing
    const members = new Set(previous);
    for (const h of removes) if (!failedHashes.has(h)) members.delete(h);
    for (const h of adds) if (!failedHashes.has(h)) members.add(h);
    result.added = adds.filter((h) => !failedHashes.has(h)).length;
    result.removed = removes.filter((h) => !failedHashes.has(h)).length;
    await ctx.state.set(membersKey(resource), [...members].sort());
    ctx.log.info({ userList: resource, job: job.resource_name, added: result.added, removed: result.removed, failed: result.failed.length }, 'customer match synced');
    return result;
  },
});
