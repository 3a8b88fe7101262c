// The match keys of one account or contact row: rows that share a key are one real customer.
import type { IdentityConfig } from './config.js';
import { domainsIn, normalizeDomain, normalizeEmail, personalEmailDomains } from './normalize.js';

export interface AccountKeyInput {
  id: string;
  source_system: string;
  domain: string | null;
  attributes: Record<string, unknown> | null;
  /** the row's id in its own system (for mapping fields that point at it) */
  systemId?: string;
}

/** `d:<domain>` per domain the company uses; `r:<system>:<id>` for mapping fields */
export function accountKeys(row: AccountKeyInput, config: IdentityConfig): string[] {
  const keys = new Set<string>();
  const ignored = (d: string) => personalEmailDomains.has(d) || config.accounts.ignoreDomains.includes(d);
  const primary = normalizeDomain(row.domain);
  if (primary && !ignored(primary)) keys.add(`d:${primary}`);
  for (const attribute of config.accounts.domainAttributes) {
    for (const d of domainsIn(row.attributes?.[attribute])) if (!ignored(d)) keys.add(`d:${d}`);
  }
  for (const m of config.accounts.mappingFields) {
    if (row.source_system === m.system) {
      const v = row.attributes?.[m.attribute];
      if ((typeof v === 'string' && v.trim()) || typeof v === 'number') keys.add(`r:${m.refersTo}:${String(v).trim()}`);
    }
    if (row.source_system === m.refersTo && row.systemId) keys.add(`r:${m.refersTo}:${row.systemId}`);
  }
  return [...keys];
}

/** `e:<mailbox>`: the normalized email address */
export function contactKeys(row: { email: string | null }, config: IdentityConfig): string[] {
  const e = normalizeEmail(row.email, config.contacts);
  return e ? [`e:${e}`] : [];
}
