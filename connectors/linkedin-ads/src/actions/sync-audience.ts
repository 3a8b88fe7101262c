// Make a LinkedIn DMP segment (matched audience) hold exactly a set of people, by email.
// - emails are normalised (trim, lower-case) and SHA-256 hashed: LinkedIn matches SHA256_EMAIL
// - the members revloop last sent are kept in ctx.state per segment; only the difference goes
//   out (REMOVE of those no longer in the set, ADD of the new ones), in BATCH_CREATE chunks of
//   at most 5,000 elements: the same set twice sends nothing the second time
// - every element of a batch answer is checked: a 200 with per-element 400s is a partial failure;
//   only accepted elements change the remembered membership (the rest are retried next time)
// - the segment is created on first use (id from the x-restli-id header) and re-created if
//   LinkedIn no longer knows it (404)
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { defineAction, RevloopError, type ActionRecordResult, type PluginContext } from '@revloop/core';
import type { LinkedInAdsConfig } from '../config.js';
import { clientFor } from '../client.js';
import { ACCOUNT_URN, sha256Email } from '../restli.js';

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

async function createSegment(ctx: PluginContext<LinkedInAdsConfig>, name: string): Promise<string> {
  const r = await clientFor(ctx).request('/rest/dmpSegments', {
    method: 'POST',
    what: `create DMP segment "${name}"`,
    body: { name, account: `${ACCOUNT_URN}${ctx.config.adAccountId}`, type: 'USER', sourcePlatform: 'LIST_UPLOAD', destinations: [{ destination: 'LINKEDIN' }] },
  });
  await r.arrayBuffer();
  const id = r.headers.get('x-restli-id') ?? r.headers.get('x-linkedin-id');
  if (!id) throw new RevloopError('LINKEDIN_SEGMENT_ID_MISSING', `LinkedIn created segment "${name}" but sent no x-restli-id header`, { where: `${ctx.name}.sync-audience` });
  ctx.log.info({ segment: name, segmentId: id }, 'linkedin DMP segment created');
  return id;
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
    state = { segmentId: await createSegment(ctx, input.segmentName), members: [] };
    segmentCreated = true;
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

export default defineAction<LinkedInAdsConfig, Input, SyncAudienceResult>({
  name: 'sync-audience',
  description: 'Make a DMP segment hold exactly these people (hashed emails); sends only the difference',
  input: inputSchema,
  // without a requestId every call runs (a fresh key): the diff against the remembered members
  // makes it idempotent at LinkedIn, whereas a key made of the set would wrongly replay A after A→B→A
  idempotencyKey: (input) => `${input.segmentName}:${input.requestId ?? randomUUID()}`,
  run: (ctx, input) => syncAudience(ctx, input),
});
