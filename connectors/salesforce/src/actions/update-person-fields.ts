// Writes revloop's decisions onto Leads and Contacts: score and segment (custom fields named in
// config) and any other fields. A PATCH of the same values is a write at Salesforce all the same
// (LastModifiedDate, update triggers and flows run again): a PATCH whose outcome is unknown (5xx,
// timeout, dropped connection, a crash) is looked at first and only the records not yet holding
// the values are sent again (BEHAVIOR.md "Field updates are written once").
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { defineAction, type ActionRecordResult, type PluginContext, type ReconcileResult } from '@revloop/core';
import { compositeWrite, describeErrors, type SaveResult } from '../composite.js';
import { isTransient } from '../errors.js';
import type { SalesforceConfig } from '../config.js';
import { sfIdSchema, sobjectOfId } from '../ids.js';
import { alreadyApplied, type PersonWrite } from '../person-field-lookup.js';

const fieldValue = z.union([z.string(), z.number(), z.boolean(), z.null()]);
const inputSchema = z
  .object({
    records: z
      .array(
        z
          .object({
            id: sfIdSchema.refine((id) => ['Contact', 'Lead'].includes(sobjectOfId(id) ?? ''), 'a Contact (003…) or Lead (00Q…) id'),
            score: z.number().finite().optional(),
            segment: z.string().max(255).optional(),
            fields: z.record(z.string().regex(/^[A-Za-z][A-Za-z0-9_]*$/), fieldValue).optional(),
          })
          .strict(),
      )
      .min(1)
      .max(2000),
  })
  .strict();
type Input = z.infer<typeof inputSchema>;
type Result = { results: ActionRecordResult<{ id: string }>[]; updated: number; failed: number };

function writesOf(ctx: PluginContext<SalesforceConfig>, input: Input): PersonWrite[] {
  return input.records.map((r) => ({
    type: sobjectOfId(r.id)!,
    id: r.id,
    fields: {
      ...r.fields,
      ...(r.score !== undefined ? { [ctx.config.scoreField]: r.score } : {}),
      ...(r.segment !== undefined ? { [ctx.config.segmentField]: r.segment } : {}),
    },
  }));
}

const appliedResult: SaveResult = { success: true, errors: [] };

function summarise(input: Input, saved: (SaveResult | undefined)[]): Result {
  const results = input.records.map((r, i): ActionRecordResult<{ id: string }> => {
    const s = saved[i]!;
    if (s.success) return { key: r.id, ok: true, result: { id: r.id } };
    const deleted = s.errors.some((e) => e.statusCode === 'ENTITY_IS_DELETED');
    return { key: r.id, ok: false, error: deleted ? `${describeErrors(s)}: the record was deleted or merged in Salesforce; sync contacts/leads and target the surviving record` : describeErrors(s) };
  });
  return { results, updated: results.filter((r) => r.ok).length, failed: results.filter((r) => !r.ok).length };
}

export default defineAction<SalesforceConfig, Input, Result>({
  name: 'update_person_fields',
  description: 'PATCH score/segment/other fields on Leads and Contacts (composite, per-record results)',
  input: inputSchema,
  idempotencyKey: (input) => createHash('sha256').update(JSON.stringify(input.records)).digest('hex').slice(0, 32),
  async run(ctx, input) {
    const writes = writesOf(ctx, input);
    const saved: (SaveResult | undefined)[] = new Array(writes.length);
    let pending = writes.map((w, i) => ({ w, i }));
    for (let attempt = 0; ; attempt++) {
      try {
        const answers = await compositeWrite(ctx, 'PATCH', pending.map((p) => p.w), { retry: false });
        answers.forEach((a, j) => (saved[pending[j]!.i] = a));
        return summarise(input, saved);
      } catch (e) {
        if (!isTransient(e) || attempt >= ctx.config.maxRetries) throw e;
        await ctx.clock.sleep(Math.min(30_000, 250 * 2 ** attempt));
        // the PATCH may have landed: records already holding the values are not written again
        const applied = await alreadyApplied(ctx, pending.map((p) => p.w));
        for (const p of pending) if (applied.has(p.w.id)) saved[p.i] = appliedResult;
        pending = pending.filter((p) => !applied.has(p.w.id));
        ctx.log.info({ applied: applied.size, resending: pending.length }, 'salesforce field update outcome unknown: read back, re-sending only what differs');
        if (!pending.length) return summarise(input, saved);
      }
    }
  },
  async reconcile(ctx, input): Promise<ReconcileResult<Input, Result>> {
    const applied = await alreadyApplied(ctx, writesOf(ctx, input));
    if (!applied.size) return { found: false };
    const done = { records: input.records.filter((r) => applied.has(r.id)) };
    const doneResult = summarise(done, done.records.map(() => appliedResult));
    if (applied.size === input.records.length) return { found: true, result: doneResult };
    return { found: 'partial', done: doneResult, remaining: { records: input.records.filter((r) => !applied.has(r.id)) } };
  },
});
