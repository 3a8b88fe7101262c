// Make a LinkedIn DMP segment (matched audience) hold exactly a set of people, by email.
// - emails are normalised (trim, lower-case) and SHA-256 hashed: LinkedIn matches SHA256_EMAIL
// - the members revloop last sent are kept in ctx.state per segment; only the difference goes
//   out (REMOVE of those no longer in the set, ADD of the new ones), in BATCH_CREATE chunks of
//   at most 5,000 elements: the same set twice sends nothing the second time
// - every element of a batch answer is checked: a 200 with per-element 400s is a partial failure;
//   only accepted elements change the remembered membership (the rest are retried next time)
// - the segment is created on first use (id from the x-restli-id header) and re-created if
//   LinkedIn no longer knows it (404)
// - a segment is never created twice: without a remembered id (first use, or revloop's state lost)
//   the account's segments are looked up by name (the dmpSegments account finder) before creating;
//   a create whose outcome is unknown (5xx, timeout, dropped connection) is followed by the same
//   lookup, never by a blind re-send. ADD/REMOVE of members are set operations: re-sending is safe.
// - reconcile: the same lookup, without writing (found / partial / not found)
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { defineAction, RevloopError, type ActionRecordResult, type PluginContext, type ReconcileResult } from '@revloop/core';
import type { LinkedInAdsConfig } from '../config.js';
import { clientFor, isOutcomeUnknown } from '../client.js';
import { ACCOUNT_URN, sha256Email } from '../restli.js';
import { withCreationClaim } from '../creation-claim.js';

const inputSchema = z
  .object({
    /** the segment's name in LinkedIn; also its key in revloop's state */
    segmentName: z.string().min(1).max(200),
    /** the whole intended membership (not a delta) */
    emails: z.array(z.string()),
    /** a caller's id for this intended write (decision id…): a retry with it replays the stored result */
    requestId: z.string().min(1).optional(),
  })
  .strict();
type Input = z.infer<typeof inputSchema>;

const segmentsPageSchema = z.looseObject({
  elements: z.array(z.looseObject({ id: z.union([z.number(), z.string()]).transform(String), name: z.string(), type: z.string().optional() })),
  paging: z.looseObject({ total: z.number().optional() }).optional(),
});

const batchAnswerSchema = z.looseObject({
  elements: z.array(z.looseObject({ status: z.number(), error: z.looseObject({ message: z.string().optional() }).optional() })),
});

export interface SyncAudienceResult {
  segmentId: string;
  segmentCreated: boolean;
  members: number;
  added: number;
  removed: number;
  unchanged: number;
  requests: number;
  /** invalid emails and elements LinkedIn refused */
  failures: ActionRecordResult[];
}

interface SegmentState {
  segmentId: string;
  /** SHA256_EMAIL hashes LinkedIn accepted, as revloop last sent them */
  members: string[];
}

export const MAX_AUDIENCE_BATCH = 5000;
const stateKey = (name: string) => `audience:${name}`;
const EMAIL = /^[^\s@]+@[^\s@]+$/;

const FINDER_PAGE = 100;

/**
 * The ad account's USER segment with this name (the oldest if several), through the account finder:
 * LinkedIn has no finder by name, so the account's segments are paged and compared here.
 */
export async function findSegment(ctx: PluginContext<LinkedInAdsConfig>, name: string): Promise<string | undefined> {
  const account = encodeURIComponent(`${ACCOUNT_URN}${ctx.config.adAccountId}`);
  const matches: string[] = [];
  for (let start = 0; ; start += FINDER_PAGE) {
    const page = segmentsPageSchema.parse(
      await clientFor(ctx).json(`/rest/dmpSegments?q=account&account=${account}&start=${start}&count=${FINDER_PAGE}`, { what: `find DMP segment "${name}"` }),
    );
    for (const s of page.elements) if (s.name === name && (s.type ?? 'USER') === 'USER') matches.push(s.id);
    if (page.elements.length < FINDER_PAGE) break;
  }
  matches.sort((a, b) => Number(a) - Number(b));
  if (matches.length > 1) ctx.log.warn({ segment: name, ids: matches }, 'several LinkedIn DMP segments carry this name: using the oldest');
  return matches[0];
}

/**
 * finds the segment by name, else creates it; a create of unknown outcome is followed by a lookup,
 * never re-sent blindly. Processes sharing revloop's store create one name at a time (a claim in the
 * store, looked up again once held); after a create the name is looked up again and the oldest
 * segment of that name is the one used, so processes on different stores converge on one audience.
 */
async function findOrCreateSegment(ctx: PluginContext<LinkedInAdsConfig>, name: string): Promise<{ id: string; created: boolean }> {
  const found = await findSegment(ctx, name);
  if (found) {
    ctx.log.info({ segment: name, segmentId: found }, 'linkedin DMP segment found by name');
    return { id: found, created: false };
  }
  return withCreationClaim(ctx, `dmpSegment:${name}`, async () => {
    const meanwhile = await findSegment(ctx, name);
    if (meanwhile) {
      ctx.log.info({ segment: name, segmentId: meanwhile }, 'linkedin DMP segment created meanwhile by another run: using it');
      return { id: meanwhile, created: false };
    }
    const made = await createSegment(ctx, name);
    const oldest = await findSegment(ctx, name);
    if (oldest && oldest !== made.id) {
      ctx.log.warn({ segment: name, segmentId: oldest, ours: made.id }, 'another revloop created a DMP segment of this name at the same moment: using the oldest, ours stays empty');
      return { id: oldest, created: false };
    }
    return made;
  });
}

async function createSegment(ctx: PluginContext<LinkedInAdsConfig>, name: string): Promise<{ id: string; created: boolean }> {
  for (let attempt = 0; ; attempt++) {
    try {
      const r = await clientFor(ctx).request('/rest/dmpSegments', {
        method: 'POST',
        write: true,
        what: `create DMP segment "${name}"`,
        body: { name, account: `${ACCOUNT_URN}${ctx.config.adAccountId}`, type: 'USER', sourcePlatform: 'LIST_UPLOAD', destinations: [{ destination: 'LINKEDIN' }] },
      });
      await r.arrayBuffer();
      const id = r.headers.get('x-restli-id') ?? r.headers.get('x-linkedin-id');
      if (!id) throw new RevloopError('LINKEDIN_SEGMENT_ID_MISSING', `LinkedIn created segment "${name}" but sent no x-restli-id header`, { where: `${ctx.name}.sync-audience` });
      ctx.log.info({ segment: name, segmentId: id }, 'linkedin DMP segment created');
      return { id, created: true };
    } catch (e) {
      if (!isOutcomeUnknown(e) || attempt >= ctx.config.maxRetries) throw e;
      await ctx.clock.sleep(Math.min(ctx.config.maxRetryWaitMs, 500 * 2 ** attempt));
      const written = await findSegment(ctx, name);
      if (written) {
        ctx.log.info({ segment: name, segmentId: written }, 'linkedin DMP segment create outcome unknown: found it by name, not creating another');
        return { id: written, created: true };
      }
    }
  }
}

async function syncAudience(ctx: PluginContext<LinkedInAdsConfig>, input: Input, recreated = false): Promise<SyncAudienceResult> {
  const client = clientFor(ctx);
  const failures: ActionRecordResult[] = [];
  const desired = new Map<string, string>(); // hash → email
  for (const email of input.emails) {
    if (!EMAIL.test(email.trim())) {
      failures.push({ key: email, ok: false, error: 'not an email address: left out of the audience' });
      continue;
    }
    desired.set(sha256Email(email), email);
  }

  let state = await ctx.state.get<SegmentState>(stateKey(input.segmentName));
  let segmentCreated = false;
  if (!state) {
    // first use, or revloop's state was lost: LinkedIn cannot list a segment's members, so a found
    // segment starts from "nothing known" and every wanted member is ADDed again (a no-op for those in it)
    const segment = await findOrCreateSegment(ctx, input.segmentName);
    state = { segmentId: segment.id, members: [] };
    segmentCreated = segment.created;
    await ctx.state.set(stateKey(input.segmentName), state);
  }
  const members = new Set(state.members);
  const removes = [...members].filter((h) => !desired.has(h));
  const adds = [...desired.keys()].filter((h) => !members.has(h));
  const unchanged = desired.size - adds.length;
  const ops = [...removes.map((h) => ({ action: 'REMOVE' as const, hash: h })), ...adds.map((h) => ({ action: 'ADD' as const, hash: h }))];

  let requests = 0;
  let added = 0;
  let removed = 0;
  for (let i = 0; i < ops.length; i += MAX_AUDIENCE_BATCH) {
    const chunk = ops.slice(i, i + MAX_AUDIENCE_BATCH);
    const r = await client.request(`/rest/dmpSegments/${state.segmentId}/users`, {
      method: 'POST',
      restliMethod: 'BATCH_CREATE',
      accept: [404],
      what: `${chunk.length} audience changes for segment ${state.segmentId}`,
      body: { elements: chunk.map((op) => ({ action: op.action, userIds: [{ idType: 'SHA256_EMAIL', idValue: op.hash }] })) },
    });
    requests++;
    if (r.status === 404 && !recreated) {
      // the segment was deleted in LinkedIn: start a new one and send the whole set
      await r.arrayBuffer();
      ctx.log.warn({ segment: input.segmentName, segmentId: state.segmentId }, 'linkedin DMP segment not found: re-creating it');
      await ctx.state.delete(stateKey(input.segmentName));
      const again = await syncAudience(ctx, input, true);
      return { ...again, requests: again.requests + requests };
    }
    if (r.status === 404) throw new RevloopError('LINKEDIN_SEGMENT_NOT_FOUND', `LinkedIn does not know segment ${state.segmentId}, even just after creating it`, { where: `${ctx.name}.sync-audience`, fix: 'check that adAccountId is the account the token can manage' });
    const answer = batchAnswerSchema.parse(await r.json());
    chunk.forEach((op, j) => {
      const el = answer.elements[j];
      if (el && el.status >= 200 && el.status < 300) {
        if (op.action === 'ADD') {
          members.add(op.hash);
          added++;
        } else {
          members.delete(op.hash);
          removed++;
        }
      } else {
        failures.push({ key: op.action === 'ADD' ? desired.get(op.hash)! : op.hash, ok: false, error: `${op.action} refused: ${el?.error?.message ?? `status ${el?.status ?? 'missing'}`}` });
      }
    });
    state = { segmentId: state.segmentId, members: [...members] };
    await ctx.state.set(stateKey(input.segmentName), state);
  }
  if (failures.length) ctx.log.warn({ segment: input.segmentName, failed: failures.length }, 'some audience changes were refused');
  return { segmentId: state.segmentId, segmentCreated, members: members.size, added, removed, unchanged, requests, failures };
}

function desiredHashes(input: Input): { desired: Set<string>; failures: ActionRecordResult[] } {
  const desired = new Set<string>();
  const failures: ActionRecordResult[] = [];
  for (const email of input.emails) {
    if (EMAIL.test(email.trim())) desired.add(sha256Email(email));
    else failures.push({ key: email, ok: false, error: 'not an email address: left out of the audience' });
  }
  return { desired, failures };
}

/**
 * Without writing: no segment of that name → not found; the segment exists and revloop's remembered
 * membership of it is the wanted set → found; the segment exists but its membership is not known to
 * be the wanted set (a batch half sent, or revloop's state lost) → partial: the segment must not be
 * created again, the input is sent again (as a difference; ADD/REMOVE are idempotent at LinkedIn).
 */
async function reconcileAudience(ctx: PluginContext<LinkedInAdsConfig>, input: Input): Promise<ReconcileResult<Input, SyncAudienceResult>> {
  const segmentId = await findSegment(ctx, input.segmentName);
  if (!segmentId) return { found: false };
  const { desired, failures } = desiredHashes(input);
  const state = await ctx.state.get<SegmentState>(stateKey(input.segmentName));
  const members = new Set(state?.segmentId === segmentId ? state.members : []);
  const unchanged = [...desired].filter((h) => members.has(h)).length;
  const result: SyncAudienceResult = { segmentId, segmentCreated: false, members: members.size, added: 0, removed: 0, unchanged, requests: 0, failures };
  if (state?.segmentId === segmentId && unchanged === desired.size && members.size === desired.size) return { found: true, result };
  // the remaining input is sent whole (as a difference) and reports the invalid emails itself: core
  // concatenates the array fields of `done` and of that run's result
  return { found: 'partial', remaining: input, done: { ...result, failures: [] } };
}

export default defineAction<LinkedInAdsConfig, Input, SyncAudienceResult>({
  name: 'sync-audience',
  description: 'Make a DMP segment hold exactly these people (hashed emails); sends only the difference',
  input: inputSchema,
  // without a requestId every call runs (a fresh key): the diff against the remembered members
  // makes it idempotent at LinkedIn, whereas a key made of the set would wrongly replay A after A→B→A
  idempotencyKey: (input) => `${input.segmentName}:${input.requestId ?? randomUUID()}`,
  run: (ctx, input) => syncAudience(ctx, input),
  reconcile: (ctx, input) => reconcileAudience(ctx, input),
});
