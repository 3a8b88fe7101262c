// gax hands int64 as strings (or Longs) and enums as names (sometimes numbers): coerce at the edge.
import { z } from 'zod';

/** int64 / double as string, number or Long → number */
export const numeric = z.preprocess((v) => (v === null || v === undefined || v === '' ? 0 : typeof v === 'object' ? Number(String(v)) : Number(v)), z.number().finite());

/** an id (int64) → its decimal string */
export const idString = z.preprocess((v) => (v === null || v === undefined ? v : String(v)), z.string().regex(/^\d+$/));

const campaignStatusNames: Record<number, string> = { 0: 'UNSPECIFIED', 1: 'UNKNOWN', 2: 'ENABLED', 3: 'PAUSED', 4: 'REMOVED' };
export const campaignStatus = z.preprocess((v) => (typeof v === 'number' ? campaignStatusNames[v] : v), z.string());
