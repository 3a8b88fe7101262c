// The `identity` section of the config: how rows of different connectors are recognised as one
// customer (match keys) and which row's value a resolved entity shows (survivorship).
import { z } from 'zod';

export const survivorshipRules = ['priority', 'recent'] as const;

const mappingFieldSchema = z
  .object({
    /** the connector whose accounts carry the field, e.g. hubspot */
    system: z.string().min(1),
    /** the attribute holding the other system's id, e.g. salesforce_account_id */
    attribute: z.string().min(1),
    /** the connector whose account id the field holds, e.g. salesforce */
    refersTo: z.string().min(1),
  })
  .strict();

export const identitySchema = z
  .object({
    /** resolve identities after every sync (default); false: each connector's rows stay apart */
    enabled: z.boolean().default(true),
    /** connectors, most trusted first: a field takes the first non-empty value in this order */
    sourcePriority: z.array(z.string().min(1)).default([]),
    /** per field: 'priority' (sourcePriority, then the most recent) or 'recent' (the most recently updated row) */
    survivorship: z.record(z.string(), z.enum(survivorshipRules)).default({}),
    accounts: z
      .object({
        /** attributes that hold more domains or a website of the company (lists split on , ; or spaces) */
        domainAttributes: z.array(z.string().min(1)).default(['additional_domains', 'website']),
        /** CRM fields that hold another system's account id (e.g. a HubSpot property with the Salesforce id) */
        mappingFields: z.array(mappingFieldSchema).default([]),
        /** domains never used to match companies, beside the built-in personal email domains */
        ignoreDomains: z.array(z.string().min(1)).default([]),
      })
      .strict()
      .default({ domainAttributes: ['additional_domains', 'website'], mappingFields: [], ignoreDomains: [] }),
    contacts: z
      .object({
        /** a+tag@x.com is a@x.com */
        plusAddressing: z.boolean().default(true),
        /** domains where dots in the local part do not count (Gmail) */
        ignoreDotsFor: z.array(z.string().min(1)).default(['gmail.com', 'googlemail.com']),
      })
      .strict()
      .default({ plusAddressing: true, ignoreDotsFor: ['gmail.com', 'googlemail.com'] }),
    /** a merge joining accounts that each hold open opportunities in different CRMs waits for a person */
    holdConflictingMerges: z.boolean().default(true),
  })
  .strict();

export type IdentityConfig = z.output<typeof identitySchema>;
export type IdentityConfigInput = z.input<typeof identitySchema>;

export const defaultIdentityConfig: IdentityConfig = identitySchema.parse({});

export interface IdentityConfigProblem {
  path: (string | number)[];
  message: string;
}

/** checks that need the rest of the config: the connectors named must be configured */
export function identityConfigProblems(identity: IdentityConfig, connectors: string[]): IdentityConfigProblem[] {
  const problems: IdentityConfigProblem[] = [];
  const known = new Set(connectors);
  const name = (n: string) => `"${n}" is not a configured connector (configured: ${connectors.join(', ') || 'none'})`;
  const seen = new Set<string>();
  identity.sourcePriority.forEach((s, i) => {
    if (!known.has(s)) problems.push({ path: ['identity', 'sourcePriority', i], message: name(s) });
    if (seen.has(s)) problems.push({ path: ['identity', 'sourcePriority', i], message: `"${s}" is listed twice: each connector has one place in the order` });
    seen.add(s);
  });
  identity.accounts.mappingFields.forEach((m, i) => {
    const at = ['identity', 'accounts', 'mappingFields', i];
    if (!known.has(m.system)) problems.push({ path: [...at, 'system'], message: name(m.system) });
    if (!known.has(m.refersTo)) problems.push({ path: [...at, 'refersTo'], message: name(m.refersTo) });
    if (m.system === m.refersTo) problems.push({ path: [...at, 'refersTo'], message: `a mapping field links two systems: refersTo must differ from system ("${m.system}")` });
  });
  const pairs = new Map<string, string>();
  identity.accounts.mappingFields.forEach((m, i) => {
    const k = `${m.system}\u0000${m.attribute}`;
    const prev = pairs.get(k);
    if (prev !== undefined && prev !== m.refersTo)
      problems.push({ path: ['identity', 'accounts', 'mappingFields', i], message: `${m.system}.${m.attribute} is mapped to both "${prev}" and "${m.refersTo}": one field holds one system's ids` });
    pairs.set(k, m.refersTo);
  });
  for (const [field, rule] of Object.entries(identity.survivorship)) {
    if (rule === 'priority' && identity.sourcePriority.length === 0)
      problems.push({ path: ['identity', 'survivorship', field], message: `"priority" needs identity.sourcePriority (the connectors, most trusted first)` });
  }
  return problems;
}
