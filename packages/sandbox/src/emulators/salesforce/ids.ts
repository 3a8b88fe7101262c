// Salesforce record ids: 15 case-sensitive chars (3-char key prefix, pod, counter) plus a 3-char
// suffix that encodes the case of the first 15 so that case-insensitive tools can tell ids apart.
export const KEY_PREFIXES = {
  Account: '001',
  Contact: '003',
  Lead: '00Q',
  Opportunity: '006',
  Campaign: '701',
  CampaignMember: '00v',
  Task: '00T',
} as const;

export type SObjectName = keyof typeof KEY_PREFIXES;
export const SOBJECT_NAMES = Object.keys(KEY_PREFIXES) as SObjectName[];

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const SUFFIX_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ012345';

export function caseSafeSuffix(id15: string): string {
  let suffix = '';
  for (let chunk = 0; chunk < 3; chunk++) {
    let flags = 0;
    for (let i = 0; i < 5; i++) {
      const ch = id15.charCodeAt(chunk * 5 + i);
      if (ch >= 65 && ch <= 90) flags |= 1 << i;
    }
    suffix += SUFFIX_ALPHABET[flags];
  }
  return suffix;
}

function base62(n: number, width: number): string {
  let s = '';
  let v = Math.floor(n);
  do {
    s = BASE62[v % 62] + s;
    v = Math.floor(v / 62);
  } while (v > 0);
  return s.padStart(width, '0');
}

/** origin '0' = record fed by the market, '1' = created through the API (so the two never collide). */
export function makeId(prefix: string, origin: '0' | '1', n: number): string {
  const id15 = `${prefix}8d${origin}${base62(n, 9)}`;
  return id15 + caseSafeSuffix(id15);
}

const ID_SHAPE = /^[a-zA-Z0-9]{15}(?:[a-zA-Z0-9]{3})?$/;

/** The 18-char form of a 15- or 18-char id, or undefined when it is not a well-formed id. */
export function normalizeId(id: string): string | undefined {
  if (!ID_SHAPE.test(id)) return undefined;
  const id15 = id.slice(0, 15);
  const full = id15 + caseSafeSuffix(id15);
  if (id.length === 18 && id.slice(15).toUpperCase() !== full.slice(15)) return undefined;
  return full;
}

export function sobjectOfId(id: string): SObjectName | undefined {
  const prefix = id.slice(0, 3);
  return SOBJECT_NAMES.find((n) => KEY_PREFIXES[n] === prefix);
}

/** Number behind a market id ("con_000123" → 123); ids without digits are hashed (FNV-1a). */
export function marketNumber(marketId: string): number {
  const digits = /(\d+)$/.exec(marketId);
  if (digits) return Number(digits[1]);
  let h = 0x811c9dc5;
  for (let i = 0; i < marketId.length; i++) h = Math.imul(h ^ marketId.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}
