// Writes revloop's decisions onto Leads and Contacts: score and segment (custom fields named in
// config) and any other fields. A PATCH of the same values is naturally idempotent.
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { defineAction, type ActionRecordResult } from '@revloop/core';
import { compositeWrite, describeErrors } from '../composite.js';
import type { SalesforceConfig } from '../config.js';
import { sfIdSchema, sobjectOfId } from '../ids.js';

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

export default defineAction<SalesforceConfig, Input, Result>({
  name: 'update_person_fields',
  description: 'PATCH score/segment/other fields on Leads and Contacts (composite, per-record results)',
  input: inputSchema,
  idempotencyKey: (input) => createHash('sha256').update(JSON.stringify(input.records)).digest('hex').slice(0, 32),
  async run(ctx, input) {
    const writes = input.records.map((r) => ({
      type: sobjectOfId(r.id)!,
      id: r.id,
      fields: {
        ...r.fields,
        ...(r.score !== undefined ? { [ctx.config.scoreField]: r.score } : {}),
        ...(r.segment !== undefined ? { [ctx.config.segmentField]: r.segment } : {}),
      },
    }));
    const saved = await compositeWrite(ctx, 'PATCH', writes);
    const results = saved.map((s, i): ActionRecordResult<{ id: string }> => {
      const id = input.records[i]!.id;
      if (s.success) return { key: id, ok: true, result: { id } };
      const deleted = s.errors.some((e) => e.statusCode === 'ENTITY_IS_DELETED');
      return { key: id, ok: false, error: deleted ? `${describeErrors(s)}: the record was deleted or merged in Salesforce; sync contacts/leads and target the surviving record` : describeErrors(s) };
    });
    return { results, updated: results.filter((r) => r.ok).length, failed: results.filter((r) => !r.ok).length };
  },
});
