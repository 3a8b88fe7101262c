// Add contacts to a static (MANUAL) HubSpot list. Adding a member twice is ignored by HubSpot, so a
// retry writes nothing new; ids HubSpot does not know come back per record.
import { z } from 'zod';
import { defineAction, type ActionRecordResult } from '@revloop/core';
import type { HubSpotConfig } from '../config.js';
import { hubspotFor } from '../client.js';
import { hashKey } from '../idempotency.js';

const inputSchema = z
  .object({
    listId: z.string().regex(/^\d+$/),
    contactIds: z.array(z.string().regex(/^\d+$/)).min(1).max(100_000),
  })
  .strict();
type Input = z.infer<typeof inputSchema>;
export interface AddToListResult {
  results: ActionRecordResult<{ added: boolean }>[];
  added: number;
  alreadyMembers: number;
  missing: number;
}

// `recordsIdsAdded` (sic) is HubSpot's own spelling
const responseSchema = z.looseObject({ recordsIdsAdded: z.array(z.union([z.string(), z.number()]).transform(String)).default([]), recordIdsMissing: z.array(z.union([z.string(), z.number()]).transform(String)).default([]) });

export default defineAction<HubSpotConfig, Input, AddToListResult>({
  name: 'add-contacts-to-list',
  description: 'add contacts to a static HubSpot list',
  input: inputSchema,
  idempotencyKey: (input) => hashKey({ listId: input.listId, contactIds: [...new Set(input.contactIds)].sort() }),
  async run(ctx, input) {
    const api = hubspotFor(ctx);
    const ids = [...new Set(input.contactIds)];
    const added = new Set<string>();
    const missing = new Set<string>();
    for (let i = 0; i < ids.length; i += 250) {
      const chunk = ids.slice(i, i + 250);
      const res = responseSchema.parse(await api.call('add list members', (sdk) => sdk.crm.lists.membershipsApi.add(input.listId, chunk)));
      res.recordsIdsAdded.forEach((id) => added.add(id));
      res.recordIdsMissing.forEach((id) => missing.add(id));
    }
    const results = ids.map((id): ActionRecordResult<{ added: boolean }> =>
      missing.has(id) ? { key: id, ok: false, error: `contact ${id} does not exist in HubSpot (deleted or merged?)` } : { key: id, ok: true, result: { added: added.has(id) } },
    );
    return { results, added: added.size, alreadyMembers: results.filter((r) => r.ok && !r.result?.added).length, missing: missing.size };
  },
});
