// Batched property writes shared by the upsert-*-properties actions. Every record gets its own
// result: properties that do not exist (or are read-only) in the portal are refused per record
// before the request (HubSpot would refuse the whole batch with a 400), and 207 partial failures,
// which the SDK resolves instead of throwing, are read from `errors`. A write whose outcome is unknown
// (5xx, timeout, dropped connection after the request left) is not re-sent blindly: the records are
// read back, and only those whose values differ from the intended ones are sent again — so a retry
// never counts as a second write in HubSpot (property history, workflow triggers).
import { z } from 'zod';
import type { ActionRecordResult, PluginContext, ReconcileResult } from '@revloop/core';
import { isRevloopError } from '@revloop/core';
import type { HubSpotConfig } from './config.js';
import { hubspotFor, isOutcomeUnknown, type HubSpotApi } from './client.js';
import { wallClock } from '@revloop/core';
import { discoverProperties } from './properties.js';

export const propertyValue = z.union([z.string(), z.number(), z.boolean(), z.null()]);

export const propertyWriteInput = z
  .object({
    /**
     * the caller's id of this write (a decision key): part of the idempotency key, so the same
     * values written again for a later decision are a new write, while a retry (same key) replays
     */
    key: z.string().min(1).max(200).optional(),
    records: z
      .array(
        z
          .object({
            /** the HubSpot record id */
            id: z.string().regex(/^\d+$/).optional(),
            /** contacts only: write by email (creates the contact when none has it) */
            email: z.email().optional(),
            properties: z.record(z.string().regex(/^[a-z0-9_]+$/), propertyValue).refine((p) => Object.keys(p).length > 0, 'at least one property'),
          })
          .strict()
          .refine((r) => !!r.id !== !!r.email, 'set exactly one of id or email'),
      )
      .min(1)
      .max(10_000),
  })
  .strict();
export type PropertyWriteInput = z.infer<typeof propertyWriteInput>;

export interface PropertyWriteResult {
  results: ActionRecordResult<{ id: string }>[];
  written: number;
  failed: number;
}

const batchErrorSchema = z.looseObject({ message: z.string(), category: z.string().optional(), context: z.record(z.string(), z.array(z.string())).optional() });
const batchResultSchema = z.looseObject({
  results: z.array(z.looseObject({ id: z.union([z.string(), z.number()]).transform(String), properties: z.record(z.string(), z.string().nullish()).optional() })),
  errors: z.array(batchErrorSchema).optional(),
});

const str = (v: z.infer<typeof propertyValue>) => (v === null ? '' : String(v));

type Pending = { key: string; id: string; email?: string; properties: Record<string, string> };
type BatchResult = z.infer<typeof batchResultSchema>;

/**
 * Sends one batch write; when its outcome is unknown, reads the records back (by id, or by email for
 * upserts) and sends again only those whose values are not yet the intended ones. The records found
 * already written are reported as results of the batch.
 */
async function sendLooking(
  ctx: PluginContext<HubSpotConfig>,
  api: HubSpotApi,
  objectType: 'contacts' | 'companies',
  chunk: Pending[],
  send: (pending: Pending[]) => Promise<unknown>,
): Promise<BatchResult> {
  const { attempts, serverErrorBackoffMs } = ctx.config.retry;
  const applied: BatchResult['results'] = [];
  let pending = chunk;
  for (let attempt = 1; ; attempt++) {
    try {
      const res = batchResultSchema.parse(await send(pending));
      return { ...res, results: [...applied, ...res.results] };
    } catch (e) {
      if (!isOutcomeUnknown(e) || attempt >= attempts) throw e;
      await wallClock.sleep(serverErrorBackoffMs * attempt);
      const byEmail = pending[0]?.email !== undefined;
      const names = [...new Set(pending.flatMap((p) => Object.keys(p.properties))), ...(byEmail ? ['email'] : [])];
      const read = batchResultSchema.parse(
        await api.call(`read back ${objectType}`, (sdk) =>
          sdk.crm.objects.batchApi.read(objectType, { inputs: pending.map((p) => ({ id: byEmail ? p.email! : p.id })), properties: names, propertiesWithHistory: [], ...(byEmail ? { idProperty: 'email' } : {}) }),
        ),
      );
      const current = new Map(read.results.map((r) => [byEmail ? (r.properties?.email ?? '').toLowerCase() : r.id, r]));
      const done = (p: Pending) => {
        const r = current.get(byEmail ? p.email! : p.id);
        return r && Object.entries(p.properties).every(([k, v]) => (r.properties?.[k] ?? '') === v) ? r : undefined;
      };
      for (const p of pending) {
        const r = done(p);
        if (r) applied.push({ ...r, properties: { ...r.properties, ...(byEmail ? { email: p.email! } : {}) } });
      }
      pending = pending.filter((p) => !done(p));
      ctx.log.info({ objectType, applied: applied.length, resending: pending.length }, 'hubspot property write outcome unknown: read back, re-sending only what differs');
      if (!pending.length) return { results: applied };
    }
  }
}

export async function writeProperties(ctx: PluginContext<HubSpotConfig>, objectType: 'contacts' | 'companies', input: PropertyWriteInput): Promise<PropertyWriteResult> {
  const api = hubspotFor(ctx);
  const catalog = await discoverProperties(api, objectType);
  const results: ActionRecordResult<{ id: string }>[] = [];
  const byId: { key: string; id: string; properties: Record<string, string> }[] = [];
  const byEmail: { key: string; email: string; properties: Record<string, string> }[] = [];
  for (const r of input.records) {
    const key = r.id ?? r.email!.toLowerCase();
    const unknown = Object.keys(r.properties).filter((p) => !catalog.all.has(p));
    const readOnly = Object.keys(r.properties).filter((p) => catalog.all.get(p)?.modificationMetadata?.readOnlyValue);
    if (unknown.length || readOnly.length) {
      results.push({
        key,
        ok: false,
        error: unknown.length
          ? `property ${unknown.join(', ')} does not exist on HubSpot ${objectType}: create it (Settings → Properties) or fix the name`
          : `property ${readOnly.join(', ')} is read-only in HubSpot`,
      });
      continue;
    }
    if (r.email && objectType !== 'contacts') {
      results.push({ key, ok: false, error: 'only contacts can be written by email; pass the company id' });
      continue;
    }
    const properties = Object.fromEntries(Object.entries(r.properties).map(([k, v]) => [k, str(v)]));
    if (r.id) byId.push({ key, id: r.id, properties });
    else byEmail.push({ key, email: r.email!.toLowerCase(), properties });
  }

  const fail = (keys: string[], error: string) => keys.forEach((key) => results.push({ key, ok: false, error }));

  for (let i = 0; i < byId.length; i += 100) {
    const chunk = byId.slice(i, i + 100);
    try {
      const res = await sendLooking(ctx, api, objectType, chunk, (pending) =>
        api.call(`batch update ${objectType}`, (sdk) => sdk.crm.objects.batchApi.update(objectType, { inputs: pending.map((c) => ({ id: c.id, properties: c.properties })) }), { write: true }),
      );
      // results come back in no particular order: match by id
      const done = new Set(res.results.map((r) => r.id));
      const missing = new Map<string, string>();
      for (const e of res.errors ?? []) for (const id of e.context?.ids ?? []) missing.set(id, e.message);
      for (const c of chunk) {
        if (done.has(c.id)) results.push({ key: c.key, ok: true, result: { id: c.id } });
        else results.push({ key: c.key, ok: false, error: missing.get(c.id) ?? `HubSpot did not report ${objectType} ${c.id}` });
      }
    } catch (e) {
      if (isRevloopError(e) && e.code !== 'HUBSPOT_REQUEST_FAILED') throw e;
      fail(chunk.map((c) => c.key), e instanceof Error ? e.message : String(e));
    }
  }

  for (let i = 0; i < byEmail.length; i += 100) {
    const chunk = byEmail.slice(i, i + 100);
    try {
      // upsert by email: no 409 for an email that exists, one request for create-or-update
      const res = await sendLooking(ctx, api, objectType, chunk.map((c) => ({ ...c, id: c.email, email: c.email })), (pending) =>
        api.call(
          'batch upsert contacts by email',
          (sdk) => sdk.crm.contacts.batchApi.upsert({ inputs: pending.map((c) => ({ id: c.email!, idProperty: 'email', properties: c.properties })) }),
          { write: true },
        ),
      );
      const idOf = new Map(res.results.map((r) => [(r.properties?.email ?? '').toLowerCase(), r.id]));
      const errorOf = new Map<string, string>();
      for (const e of res.errors ?? []) for (const id of e.context?.ids ?? []) errorOf.set(id.toLowerCase(), e.message);
      for (const c of chunk) {
        const id = idOf.get(c.email);
        results.push(id ? { key: c.key, ok: true, result: { id } } : { key: c.key, ok: false, error: errorOf.get(c.email) ?? `HubSpot did not report contact ${c.email}` });
      }
    } catch (e) {
      if (isRevloopError(e) && e.code !== 'HUBSPOT_REQUEST_FAILED') throw e;
      fail(chunk.map((c) => c.key), e instanceof Error ? e.message : String(e));
    }
  }
  const order = new Map(input.records.map((r, i) => [r.id ?? r.email!.toLowerCase(), i]));
  results.sort((a, b) => (order.get(a.key) ?? 0) - (order.get(b.key) ?? 0));
  const written = results.filter((r) => r.ok).length;
  return { results, written, failed: results.length - written };
}

/**
 * reconcile of the upsert-*-properties actions (issue #27): after a crash or a lost action record,
 * the records are read back and those already holding every intended value count as written; only
 * the rest is sent. A re-sent write is a second write at HubSpot (property history, and workflows
 * triggered by it, e.g. revloop_next_action=email enrolling the contact again), so it is not sent
 * blindly. See BEHAVIOR.md "Property writes after a crash".
 */
export async function reconcilePropertyWrites(ctx: PluginContext<HubSpotConfig>, objectType: 'contacts' | 'companies', input: PropertyWriteInput): Promise<ReconcileResult<PropertyWriteInput, PropertyWriteResult>> {
  const api = hubspotFor(ctx);
  const done: ActionRecordResult<{ id: string }>[] = [];
  const remaining: PropertyWriteInput['records'] = [];
  const groups = [input.records.filter((r) => r.id), input.records.filter((r) => !r.id)];
  for (const records of groups) {
    for (let i = 0; i < records.length; i += 100) {
      const chunk = records.slice(i, i + 100);
      const byEmail = !chunk[0]!.id;
      if (byEmail && objectType !== 'contacts') {
        remaining.push(...chunk);
        continue;
      }
      const names = [...new Set(chunk.flatMap((r) => Object.keys(r.properties))), ...(byEmail ? ['email'] : [])];
      const read = batchResultSchema.parse(
        await api.call(`read back ${objectType}`, (sdk) =>
          sdk.crm.objects.batchApi.read(objectType, { inputs: chunk.map((r) => ({ id: byEmail ? r.email!.toLowerCase() : r.id! })), properties: names, propertiesWithHistory: [], ...(byEmail ? { idProperty: 'email' } : {}) }),
        ),
      );
      const current = new Map(read.results.map((r) => [byEmail ? (r.properties?.email ?? '').toLowerCase() : r.id, r]));
      for (const r of chunk) {
        const key = r.id ?? r.email!.toLowerCase();
        const found = current.get(key);
        if (found && Object.entries(r.properties).every(([k, v]) => (found.properties?.[k] ?? '') === str(v))) done.push({ key, ok: true, result: { id: found.id } });
        else remaining.push(r);
      }
    }
  }
  if (!done.length) return { found: false };
  const doneResult: PropertyWriteResult = { results: done, written: done.length, failed: 0 };
  if (!remaining.length) return { found: true, result: doneResult };
  return { found: 'partial', done: doneResult, remaining: { ...input, records: remaining } };
}
