// Customer Match: make a CRM-based user list contain exactly the given emails. Emails are
// normalised (trim + lower case) and SHA-256 hashed; only the difference with what revloop last
// sent to this list (kept in ctx.state) travels, through one OfflineUserDataJob (create → add
// operations → run). Nothing to change → no job at all. The list is created when missing.
// Exactly once (issue #27): the list is looked up by name before it is created, and again after a
// create whose outcome is unknown (never re-sent blindly); the job carries the sync's own id
// (`external_id`, derived from listName + syncId) and is looked up by it before one is created, so
// a retried sync whose job already ran uploads nothing again (only revloop's remembered membership
// is brought up to date). A job that has not run is never reused: its operations are unknown (an
// add whose answer was lost, a crash between add and run), and Google runs every operation a job
// holds — a re-sent add is a second upload of those people. Such a job is left un-run (Google
// discards it) and the sync's operations go into a new job of the same external_id, each add sent
// once (an add of unknown outcome abandons that job too). `reconcile` runs the lookups without writing.
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { defineAction, type PluginContext, type ReconcileResult } from '@revloop/core';
import type { GoogleAdsConfig } from '../config.js';
import { isOutcomeUnknown, sessionFor, type GoogleAdsSession } from '../client.js';
import { decodePartialFailure } from '../failure.js';
import { awaitOfflineJob } from '../offline-job.js';
import { uploadMembersThroughDataManager } from './customer-match-data-manager.js';

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
  /** uploadPath 'data-manager': the Data Manager requests sent and their error counts (not per member) */
  dataManager?: { requestIds: string[]; errorCounts: { reason: string; recordCount: number }[] };
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
/** the job whose upload the remembered membership reflects (Google Ads path) */
const membersJobKey = (userList: string) => `customer-match:members-job:${userList}`;
const jobNumber = (resource: string) => Number(resource.split('/').pop());

/** the job's external_id for one sync of one list: 53 bits of sha256(listName, syncId), a positive int64 */
export function jobExternalId(listName: string, syncId: string): string {
  const h = createHash('sha256').update(JSON.stringify([listName, syncId])).digest();
  return String((h.readUInt32BE(0) & 0x1fffff) * 2 ** 32 + h.readUInt32BE(4) || 1);
}

const quote = (v: string) => v.replace(/\\/g, '\\\\').replace(/'/g, "\\'");

async function listByName(session: GoogleAdsSession, name: string): Promise<string | undefined> {
  const rows = await session.report('customer-match find list', {
    entity: 'user_list',
    attributes: ['user_list.resource_name', 'user_list.name'],
    constraints: [`user_list.name = '${quote(name)}'`],
  });
  return rows.find((r) => r.user_list?.name === name)?.user_list?.resource_name as string | undefined;
}

interface FoundJob {
  resource: string;
  status: string;
}

/** the jobs this sync created (by external_id), FAILED ones left out */
async function jobsOfSync(session: GoogleAdsSession, externalId: string): Promise<FoundJob[]> {
  const rows = await session.report('customer-match find job', {
    entity: 'offline_user_data_job',
    attributes: ['offline_user_data_job.resource_name', 'offline_user_data_job.status', 'offline_user_data_job.external_id'],
    constraints: [`offline_user_data_job.external_id = ${externalId}`],
  });
  const jobs = rows
    .map((r) => ({ resource: String(r.offline_user_data_job?.resource_name ?? ''), status: String(r.offline_user_data_job?.status ?? ''), externalId: String(r.offline_user_data_job?.external_id ?? '') }))
    .filter((j) => j.resource && j.externalId === externalId && j.status !== 'FAILED');
  return jobs.map(({ resource, status }) => ({ resource, status }));
}

/** this sync's job that ran (RUNNING or SUCCESS), if any */
async function ranJobOfSync(session: GoogleAdsSession, externalId: string): Promise<FoundJob | undefined> {
  return (await jobsOfSync(session, externalId)).find((j) => isRun(j.status));
}

/** a job that was run (RUNNING or SUCCESS): running it again is JOB_ALREADY_STARTED */
const isRun = (status: string) => status === 'RUNNING' || status === 'SUCCESS';

async function findOrCreateList(ctx: PluginContext<GoogleAdsConfig>, session: GoogleAdsSession, name: string, description?: string): Promise<{ resource: string; created: boolean }> {
  const remembered = await ctx.state.get<string>(listKey(name));
  if (remembered) return { resource: remembered, created: false };
  let resource = await listByName(session, name);
  let created = false;
  for (let attempt = 0; !resource; attempt++) {
    try {
      const response = (await session.call(
        'customer-match create list',
        (customer) =>
          customer.userLists.create([
            { name, description: description ?? 'Managed by revloop', crm_based_user_list: { upload_key_type: 'CONTACT_INFO', data_source_type: 'FIRST_PARTY' } } as never,
          ]),
        { write: true },
      )) as { results: { resource_name?: string | null }[] };
      resource = response.results[0]?.resource_name ?? undefined;
      if (!resource) throw new Error(`Google Ads did not return the resource name of the new user list "${name}"`);
      created = true;
    } catch (e) {
      // NAME_ALREADY_USED: another run created it meanwhile (or the lookup above raced it)
      const nameTaken = e instanceof Error && /NAME_ALREADY_USED/.test(e.message);
      if ((!isOutcomeUnknown(e) && !nameTaken) || attempt >= ctx.config.maxRetries) throw e;
      if (!nameTaken) await ctx.clock.sleep(Math.min(ctx.config.maxRetryWaitMs, 1000 * 2 ** attempt));
      // the create may have been applied: look before sending it again
      resource = await listByName(session, name);
      if (resource) {
        created = true;
        ctx.log.info({ userList: resource }, 'customer match list create outcome unknown: found it by name, not creating another');
      }
    }
  }
  await ctx.state.set(listKey(name), resource);
  return { resource, created };
}

/**
 * a new job for this sync (the jobs it already has are not reused, see the header); a create of
 * unknown outcome is followed by a lookup of a pending job of the sync that was not there before
 */
async function newJobForSync(ctx: PluginContext<GoogleAdsConfig>, session: GoogleAdsSession, userList: string, externalId: string): Promise<FoundJob> {
  const before = new Set((await jobsOfSync(session, externalId)).map((j) => j.resource));
  for (let attempt = 0; ; attempt++) {
    try {
      const job = (await session.call(
        'customer-match create job',
        (customer) =>
          customer.offlineUserDataJobs.createOfflineUserDataJob({
            customer_id: ctx.config.customerId,
            job: { type: 'CUSTOMER_MATCH_USER_LIST', external_id: externalId, customer_match_user_list_metadata: { user_list: userList } },
          } as never),
        { write: true },
      )) as { resource_name: string };
      return { resource: job.resource_name, status: 'PENDING' };
    } catch (e) {
      if (!isOutcomeUnknown(e) || attempt >= ctx.config.maxRetries) throw e;
      await ctx.clock.sleep(Math.min(ctx.config.maxRetryWaitMs, 1000 * 2 ** attempt));
      const written = (await jobsOfSync(session, externalId)).find((j) => !before.has(j.resource) && j.status === 'PENDING');
      if (written) {
        ctx.log.info({ job: written.resource }, 'customer match job create outcome unknown: found it by external_id, not creating another');
        return written;
      }
    }
  }
}

/** runs the job; after an unknown outcome the job's status tells whether it started (a second run would be JOB_ALREADY_STARTED) */
async function runJob(ctx: PluginContext<GoogleAdsConfig>, session: GoogleAdsSession, job: FoundJob, externalId: string): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      await session.call('customer-match run job', (customer) => customer.offlineUserDataJobs.runOfflineUserDataJob({ resource_name: job.resource } as never), { write: true });
      return;
    } catch (e) {
      if (!isOutcomeUnknown(e) || attempt >= ctx.config.maxRetries) throw e;
      await ctx.clock.sleep(Math.min(ctx.config.maxRetryWaitMs, 1000 * 2 ** attempt));
      const now = (await jobsOfSync(session, externalId)).find((j) => j.resource === job.resource);
      if (now && isRun(now.status)) return;
    }
  }
}

/**
 * This sync's job ran, but revloop's record of it may be lost (a crash, another database): the list
 * holds this sync's set as far as revloop sent it. Remembered when revloop remembers nothing, or an
 * older job's upload — so the next sync sends only its difference instead of re-adding everyone.
 * Only revloop's own state is written.
 */
async function rememberMembership(ctx: PluginContext<GoogleAdsConfig>, userList: string, job: string, desired: Set<string>): Promise<void> {
  const stored = await ctx.state.get<string[]>(membersKey(userList));
  const storedJob = await ctx.state.get<string>(membersJobKey(userList));
  if (stored && !(storedJob && jobNumber(job) > jobNumber(storedJob))) return;
  await ctx.state.set(membersKey(userList), [...desired].sort());
  await ctx.state.set(membersJobKey(userList), job);
}

/** adds the operations to a job, each once: a request of unknown outcome throws (`write: true`), it is not re-sent */
async function addOperations(session: GoogleAdsSession, job: string, ops: { action: 'add' | 'remove'; hash: string }[], failedHashes: Set<string>, failed: CustomerMatchResult['failed']): Promise<void> {
  for (let i = 0; i < ops.length; i += OPS_PER_REQUEST) {
    const chunk = ops.slice(i, i + OPS_PER_REQUEST);
    const response = (await session.call(
      'customer-match add operations',
      (customer) =>
        customer.offlineUserDataJobs.addOfflineUserDataJobOperations({
          resource_name: job,
          enable_partial_failure: true,
          operations: chunk.map((o) => ({ [o.action === 'add' ? 'create' : 'remove']: { user_identifiers: [{ hashed_email: o.hash }] } })),
        } as never),
      { write: true },
    )) as { partial_failure_error?: unknown };
    for (const err of decodePartialFailure(session.lib, response.partial_failure_error)) {
      const op = err.index === undefined ? undefined : chunk[err.index];
      if (!op) continue;
      failedHashes.add(op.hash);
      failed.push({ hash: op.hash, action: op.action, error: `${err.code}: ${err.message}` });
    }
  }
}

interface Plan {
  valid: string[];
  desired: Set<string>;
  previous: Set<string>;
  adds: string[];
  removes: string[];
}

async function plan(ctx: PluginContext<GoogleAdsConfig>, input: Input, userList: string | undefined): Promise<Plan> {
  const valid = input.emails.map(normaliseEmail).filter((e) => emailPattern.test(e));
  const desired = new Set(valid.map(hashEmail));
  const previous = new Set(userList ? ((await ctx.state.get<string[]>(membersKey(userList))) ?? []) : []);
  return {
    valid,
    desired,
    previous,
    adds: [...desired].filter((h) => !previous.has(h)).sort(),
    removes: [...previous].filter((h) => !desired.has(h)).sort(),
  };
}

export default defineAction<GoogleAdsConfig, Input, CustomerMatchResult>({
  name: 'customer-match-sync',
  description: 'Make a Customer Match list contain exactly these emails (hashed; only the difference is sent)',
  input: inputSchema,
  idempotencyKey: (input) => `${input.listName}:${input.syncId}`,
  async run(ctx, input) {
    const session = sessionFor(ctx);
    const { resource, created } = await findOrCreateList(ctx, session, input.listName, input.description);
    const { valid, desired, previous, adds, removes } = await plan(ctx, input, resource);
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

    if (ctx.config.uploadPath === 'data-manager') {
      const outcomes = await uploadMembersThroughDataManager(ctx, resource, adds, removes);
      result.dataManager = { requestIds: outcomes.map((o) => o.requestId), errorCounts: outcomes.flatMap((o) => o.errorCounts) };
      result.added = adds.length;
      result.removed = removes.length;
      await ctx.state.set(membersKey(resource), [...desired].sort());
      ctx.log.info({ userList: resource, requests: result.dataManager.requestIds, added: result.added, removed: result.removed }, 'customer match synced through the Data Manager API');
      return result;
    }

    const externalId = jobExternalId(input.listName, input.syncId);
    const ran = await ranJobOfSync(session, externalId);
    const failedHashes = new Set<string>();
    if (ran) {
      // this sync's job already ran (the answer or revloop's record of it was lost): send nothing
      result.job = ran.resource;
      ctx.log.info({ userList: resource, job: ran.resource }, 'customer match job of this sync already ran: nothing sent again');
      if (ran.status === 'RUNNING') await awaitOfflineJob(ctx, session, ran.resource);
    } else {
      const ops = [...removes.map((h) => ({ action: 'remove' as const, hash: h })), ...adds.map((h) => ({ action: 'add' as const, hash: h }))];
      for (let attempt = 0; ; attempt++) {
        const job = await newJobForSync(ctx, session, resource, externalId);
        result.job = job.resource;
        failedHashes.clear();
        result.failed = [];
        try {
          await addOperations(session, job.resource, ops, failedHashes, result.failed);
        } catch (e) {
          if (!isOutcomeUnknown(e) || attempt >= ctx.config.maxRetries) throw e;
          // the job may hold some of the operations: it is never run, the next one gets them all once
          ctx.log.info({ job: job.resource }, 'customer match add operations outcome unknown: this job is left un-run, the operations go into a new one');
          await ctx.clock.sleep(Math.min(ctx.config.maxRetryWaitMs, 1000 * 2 ** attempt));
          continue;
        }
        await runJob(ctx, session, job, externalId);
        // the job runs asynchronously: the list holds the upload only once it is SUCCESS
        await awaitOfflineJob(ctx, session, job.resource);
        break;
      }
    }

    // what Google now holds, as far as revloop sent it: failed operations change nothing
    const members = new Set(previous);
    for (const h of removes) if (!failedHashes.has(h)) members.delete(h);
    for (const h of adds) if (!failedHashes.has(h)) members.add(h);
    result.added = adds.filter((h) => !failedHashes.has(h)).length;
    result.removed = removes.filter((h) => !failedHashes.has(h)).length;
    await ctx.state.set(membersKey(resource), [...members].sort());
    if (result.job) await ctx.state.set(membersJobKey(resource), result.job);
    ctx.log.info({ userList: resource, job: result.job, added: result.added, removed: result.removed, failed: result.failed.length }, 'customer match synced');
    return result;
  },
  /**
   * Without writing: no list of that name → not found; this sync's job (by external_id) has run →
   * found (same list and job); its job exists but has not run → partial (the run uploads in a new job);
   * the list exists, no job of this sync and nothing to change → found (no job needed); else not found.
   */
  async reconcile(ctx, input): Promise<ReconcileResult<Input, CustomerMatchResult>> {
    const session = sessionFor(ctx);
    const userList = (await ctx.state.get<string>(listKey(input.listName))) ?? (await listByName(session, input.listName));
    if (!userList) return { found: false };
    const { valid, desired, previous, adds, removes } = await plan(ctx, input, userList);
    const base: CustomerMatchResult = {
      userList,
      listCreated: false,
      job: null,
      added: 0,
      removed: 0,
      unchanged: [...desired].filter((h) => previous.has(h)).length,
      invalidEmails: input.emails.length - valid.length,
      failed: [],
    };
    const jobs = await jobsOfSync(session, jobExternalId(input.listName, input.syncId));
    const job = jobs.find((j) => isRun(j.status));
    if (job) {
      await rememberMembership(ctx, userList, job.resource, desired);
      return { found: true, result: { ...base, job: job.resource, added: adds.length, removed: removes.length } };
    }
    // a job of this sync that has not run: the list exists, the upload is still to do (in a new job)
    if (jobs.length) return { found: 'partial', remaining: input, done: base };
    if (adds.length === 0 && removes.length === 0) return { found: true, result: base };
    return { found: false };
  },
});
