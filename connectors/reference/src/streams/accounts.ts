import { z } from 'zod';
import { defineStream, type UnifiedRecord } from '@revloop/core';
import type { ReferenceConfig } from '../config.js';
import { cursorSchema, pagesAfter, readJsonl, type Cursor, type SourceRecord } from '../source.js';

const accountSchema = z.looseObject({
  id: z.string().min(1),
  updatedAt: z.number(),
  name: z.string(),
  domain: z.string().optional(),
  industry: z.string().optional(),
  employees: z.number().int().nonnegative().optional(),
  deleted: z.boolean().optional(),
});

export default defineStream<ReferenceConfig, SourceRecord, Cursor>({
  name: 'accounts',
  entity: 'account',
  cursor: 'updatedAt',
  deletes: 'archived-flag',
  checkpoint: cursorSchema,
  async *read(ctx, { checkpoint }) {
    if (!ctx.config.dataDir) return;
    for (const page of pagesAfter(readJsonl(ctx.config, 'accounts.jsonl'), checkpoint, ctx.config.pageSize)) {
      const last = page[page.length - 1]!;
      yield { records: page, checkpoint: { updatedAt: last.updatedAt, id: last.id } };
    }
  },
  map(record): UnifiedRecord {
    const a = accountSchema.parse(record);
    const { id, updatedAt, name, domain, industry, employees, deleted, ...rest } = a;
    return {
      systemId: id,
      fields: { name, domain: domain ?? null, industry: industry ?? null, employees: employees ?? null },
      attributes: Object.keys(rest).length ? rest : undefined,
      raw: record,
      updatedAt,
      deleted: deleted ?? false,
    };
  },
});
