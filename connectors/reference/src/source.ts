// The reference connector's "vendor": JSON-lines files in a folder, or a synthetic generator.
// Records carry an updatedAt (epoch ms) cursor; several may share one updatedAt, so the cursor
// is the pair (updatedAt, id).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import type { ReferenceConfig } from './config.js';

export const sourceRecordSchema = z.looseObject({
  id: z.string().min(1),
  updatedAt: z.number(),
  deleted: z.boolean().optional(),
  mergedInto: z.string().optional(),
});
export type SourceRecord = z.infer<typeof sourceRecordSchema> & Record<string, unknown>;

export const cursorSchema = z.object({ updatedAt: z.number(), id: z.string() }).strict();
export type Cursor = z.infer<typeof cursorSchema>;

export function isAfter(r: { updatedAt: number; id: string }, c: Cursor | undefined): boolean {
  if (!c) return true;
  return r.updatedAt > c.updatedAt || (r.updatedAt === c.updatedAt && r.id > c.id);
}

export function readJsonl(config: ReferenceConfig, file: string): SourceRecord[] {
  const path = join(config.dataDir!, file);
  if (!existsSync(path)) return [];
  const out: SourceRecord[] = [];
  readFileSync(path, 'utf8')
    .split('\n')
    .forEach((line, i) => {
      if (!line.trim()) return;
      let parsed: unknown;
      try {
        parsed = JSON.parse(line);
      } catch {
        throw new Error(`${path}:${i + 1} is not valid JSON`);
      }
      out.push(parsed as SourceRecord); // shape checked per record at map time
    });
  return out;
}

/** Pages of records after the cursor, in cursor order. */
export function* pagesAfter(records: SourceRecord[], cursor: Cursor | undefined, pageSize: number): Generator<SourceRecord[]> {
  const pending = records
    .filter((r) => typeof r.updatedAt !== 'number' || typeof r.id !== 'string' || isAfter(r, cursor))
    .sort((a, b) => (a.updatedAt - b.updatedAt) || (String(a.id) < String(b.id) ? -1 : String(a.id) > String(b.id) ? 1 : 0));
  for (let i = 0; i < pending.length; i += pageSize) yield pending.slice(i, i + pageSize);
}

/** Synthetic contacts, generated in cursor order without holding them in memory. */
export function* syntheticContactPages(count: number, cursor: Cursor | undefined, pageSize: number): Generator<SourceRecord[]> {
  const start = cursor ? Number(cursor.id.slice(1)) + 1 : 0;
  for (let i = start; i < count; i += pageSize) {
    const page: SourceRecord[] = [];
    for (let n = i; n < Math.min(count, i + pageSize); n++) {
      const id = `c${String(n).padStart(9, '0')}`;
      page.push({
        id,
        updatedAt: 1_700_000_000_000 + n,
        email: `person${n}@company${n % 5000}.example`,
        firstName: `First${n}`,
        lastName: `Last${n}`,
        title: n % 3 === 0 ? 'VP Marketing' : 'Analyst',
        accountId: `a${n % 5000}`,
      });
    }
    yield page;
  }
}
