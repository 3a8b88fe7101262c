// Small mapping helpers shared by the streams: unmapped fields → attributes, money → micros.
import type { UnifiedRecord } from '@revloop/core';
import { parseSfDateTime } from './datetime.js';
import type { SfRecord } from './incremental.js';

/** Everything a stream does not map (custom __c fields included), minus jsforce's `attributes`. */
export function unmapped(record: Record<string, unknown>, mapped: readonly string[]): Record<string, unknown> | undefined {
  const skip = new Set(['attributes', 'Id', 'CreatedDate', 'LastModifiedDate', 'SystemModstamp', 'IsDeleted', ...mapped]);
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(record)) if (!skip.has(k)) out[k] = v;
  return Object.keys(out).length ? out : undefined;
}

/** Salesforce currency (a decimal in the org currency) → integer micros */
export function toMicros(amount: unknown): number | null {
  return typeof amount === 'number' && Number.isFinite(amount) ? Math.round(amount * 1e6) : null;
}

export const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);
export const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
export const bool01 = (v: unknown): number => (v === true ? 1 : 0);

/** the shared synced columns of a Salesforce record */
export function base(record: SfRecord): Pick<UnifiedRecord, 'systemId' | 'raw' | 'createdAt' | 'updatedAt'> {
  return { systemId: record.Id, raw: record, createdAt: parseSfDateTime(record.CreatedDate), updatedAt: parseSfDateTime(record.SystemModstamp) };
}
