import { z } from 'zod';
import { defineStream, type UnifiedRecord } from '@revloop/core';
import type { ReferenceConfig } from '../config.js';
import { cursorSchema, pagesAfter, readJsonl, syntheticContactPages, type Cursor, type SourceRecord } from '../source.js';

const contactSchema = z.looseObject({
  id: z.string().min(1),
  updatedAt: z.number(),
  email: z.string().email(),
  firstName: z.string().optional(),
  lastName: z.string().optional(),
  title: z.string().optional(),
  accountId: z.string().optional(),
  deleted: z.boolean().optional(),
  mergedInto: z.string().optional(),
});

export default defineStream<ReferenceConfig, SourceRecord, Cursor>({
  name: 'contacts',
  entity: 'contact',
  cursor: 'updatedAt',
  deletes: 'tombstones',
  checkpoint: cursorSchema,
  async *read(ctx, { checkpoint }) {
    const pages = ctx.config.syntheticContacts
      ? syntheticContactPages(ctx.config.syntheticContacts, checkpoint, ctx.config.pageSize)
      : pagesAfter(readJsonl(ctx.config, 'contacts.jsonl'), checkpoint, ctx.config.pageSize);
    for (const page of pages) {
      // tombstones and merges travel beside the records, as many vendors send them
      const records = page.filter((r) => !r.deleted && !r.mergedInto);
      const deletes = page.filter((r) => r.deleted && !r.mergedInto).map((r) => r.id);
      const merges = page.filter((r) => r.mergedInto).map((r) => ({ loserSystemId: r.id, winnerSystemId: r.mergedInto! }));
      const last = page[page.length - 1]!;
      yield { records, deletes, merges, checkpoint: { updatedAt: last.updatedAt, id: last.id } };
    }
  },
  map(record): UnifiedRecord {
    const c = contactSchema.parse(record);
    return {
      systemId: c.id,
      fields: { email: c.email.toLowerCase(), first_name: c.firstName ?? null, last_name: c.lastName ?? null, title: c.title ?? null },
      links: { account: c.accountId ?? null },
      raw: record,
      updatedAt: c.updatedAt,
    };
  },
});
