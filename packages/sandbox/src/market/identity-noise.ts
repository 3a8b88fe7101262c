// Identity noise: the same market company or person, seen through HubSpot and Salesforce, does not
// look the same in both (docs/scenario.md, "identityNoise"). Each decision is a pure function of
// the scenario seed and the entity's id, drawn from a stream of its own: the market's draws, and so
// its behaviour, are the same with the noise on or off. The market stays clean; each CRM emulator
// is fed through `withIdentityNoise`, which rewrites the events into that system's view.
import { z } from 'zod';
import { COMPANY_PREFIXES } from './names.js';
import { deriveSeed, Rng } from './random.js';
import type { MarketEvent, MarketSink, SimAccount, SimContact } from './types.js';

export type CrmSystem = 'hubspot' | 'salesforce';

/** a stream tag of its own (random.ts's Stream tags are 1..13): no market draw is shared */
const IDENTITY_STREAM = 0x1d_0e;
const ACCOUNT = 1;
const CONTACT = 2;

const rate = (d: number) =>
  z
    .number({ error: 'expected a probability in [0, 1]' })
    .min(0, { error: 'expected a probability in [0, 1]' })
    .max(1, { error: 'expected a probability in [0, 1]' })
    .default(d);

export const identityNoiseSchema = z
  .object({
    enabled: z.boolean({ error: 'expected true or false' }).default(true),
    /** share of persons whose email is differently cased in one system */
    emailCase: rate(0.05),
    /** share of persons with a plus-address alias (local+tag@domain) in one system */
    plusAlias: rate(0.02),
    /** share of persons known by a personal address (gmail.com …) in one system: not matchable by email */
    personalEmail: rate(0.01),
    /** share of companies with a second HubSpot company record (same domain, www. or other case) */
    duplicateCompany: rate(0.02),
    /** share of companies with a second domain (HubSpot hs_additional_domains; Salesforce Website) */
    secondDomain: rate(0.02),
    /** share of companies named differently in one system (a rebrand) */
    renamedCompany: rate(0.02),
    /** share of Salesforce accounts whose Website is a URL (https://www.x.com/) rather than a bare domain */
    websiteFormat: rate(0.5),
  })
  .strict()
  .prefault({});

export type IdentityNoiseSpec = z.output<typeof identityNoiseSchema>;

/** a market account as one system shows it */
export interface AccountView extends SimAccount {
  /** HubSpot hs_additional_domains */
  additionalDomains?: string[];
  /** Salesforce Website as typed by a person */
  website?: string;
}

export interface AccountNoise {
  /** HubSpot holds a second company record with this domain */
  duplicateDomain?: string;
  secondDomain?: string;
  renamed?: { system: CrmSystem; name: string };
  /** Salesforce's Website value */
  website: string;
}

export interface ContactNoise {
  /** each system's email for the person */
  email: Record<CrmSystem, string>;
  /** the system where the person is known by a personal address only */
  personal?: CrmSystem;
  plus?: CrmSystem;
  cased?: CrmSystem;
}

const PROVIDERS = ['gmail.com', 'outlook.com', 'yahoo.com', 'icloud.com'] as const;
const PLUS_TAGS = ['news', 'events', 'webinar', 'crm'] as const;
/** HubSpot ids of duplicates: base + this offset + n, clear of market (n < offset) and API-created ids */
const DUPLICATE_OFFSET = 40_000_000;

/** the number behind a market id (acc_000042 → 42); an id without one is hashed (FNV-1a) */
function numberOf(id: string): number {
  const digits = /(\d+)$/.exec(id)?.[1];
  if (digits) return Number(digits);
  let h = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) h = Math.imul(h ^ id.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}
const slug = (text: string): string => text.toLowerCase().replace(/[^a-z0-9]+/g, '');
const capitalize = (s: string): string => (s ? s[0]!.toUpperCase() + s.slice(1) : s);

/** the market id HubSpot's duplicate company record stands for (ends in digits: HubSpot ids follow them) */
export function duplicateAccountId(accountId: string): string {
  return `${accountId}:dup:${DUPLICATE_OFFSET + numberOf(accountId)}`;
}

/** the market account behind a duplicate's market id (the id itself otherwise) */
export function accountOfDuplicateId(marketId: string): string {
  const m = /^(.*):dup:\d+$/.exec(marketId);
  return m ? m[1]! : marketId;
}

export class IdentityNoise {
  private readonly rng = new Rng();

  constructor(
    readonly seed: number,
    readonly spec: IdentityNoiseSpec,
  ) {}

  /** every draw of an entity, in a fixed order whatever the rates (one rate never reshuffles another) */
  private draws(kind: number, id: string, n: number): number[] {
    this.rng.reseed(deriveSeed(this.seed, IDENTITY_STREAM, kind, numberOf(id)));
    return Array.from({ length: n }, () => this.rng.next());
  }

  account(a: Pick<SimAccount, 'id' | 'name' | 'domain'>): AccountNoise {
    const [dup, dupKind, second, renamed, renameSystem, prefix, format, formatKind] = this.draws(ACCOUNT, a.id, 8) as [number, number, number, number, number, number, number, number];
    const s = this.spec;
    const out: AccountNoise = { website: a.domain };
    if (dup < s.duplicateCompany) out.duplicateDomain = dupKind < 0.5 ? `www.${a.domain}` : a.domain.split('.').map(capitalize).join('.');
    if (second < s.secondDomain) out.secondDomain = `${a.domain.replace(/\.[a-z]+$/, '')}.io`;
    if (renamed < s.renamedCompany) out.renamed = { system: renameSystem < 0.5 ? 'hubspot' : 'salesforce', name: rebrand(a.name, prefix) };
    const site = out.secondDomain ?? a.domain;
    out.website = format < s.websiteFormat ? websiteUrl(site, formatKind) : site;
    return out;
  }

  contact(c: Pick<SimContact, 'id' | 'email' | 'firstName' | 'lastName'>): ContactNoise {
    const [personal, personalSystem, provider, plus, plusSystem, tag, cased, casedSystem] = this.draws(CONTACT, c.id, 8) as [number, number, number, number, number, number, number, number];
    const s = this.spec;
    const out: ContactNoise = { email: { hubspot: c.email, salesforce: c.email } };
    const at = c.email.lastIndexOf('@');
    const local = c.email.slice(0, at);
    const domain = c.email.slice(at + 1);
    if (personal < s.personalEmail) {
      // personal addresses mostly arrive through marketing forms (HubSpot); the number keeps them unique
      const system: CrmSystem = personalSystem < 0.7 ? 'hubspot' : 'salesforce';
      out.personal = system;
      out.email[system] = `${slug(c.firstName)}.${slug(c.lastName)}${numberOf(c.id)}@${PROVIDERS[Math.floor(provider * PROVIDERS.length)]}`;
      return out;
    }
    if (plus < s.plusAlias) {
      out.plus = plusSystem < 0.5 ? 'hubspot' : 'salesforce';
      out.email[out.plus] = `${local}+${PLUS_TAGS[Math.floor(tag * PLUS_TAGS.length)]}@${domain}`;
    }
    if (cased < s.emailCase) {
      out.cased = casedSystem < 0.5 ? 'hubspot' : 'salesforce';
      const e = out.email[out.cased];
      const a = e.lastIndexOf('@');
      out.email[out.cased] = `${e.slice(0, a).split('.').map(capitalize).join('.')}@${capitalize(e.slice(a + 1))}`;
    }
    return out;
  }

  /** the account as `system` shows it */
  accountIn(system: CrmSystem, a: SimAccount): AccountView {
    const n = this.account(a);
    const view: AccountView = { ...a };
    if (n.renamed?.system === system) view.name = n.renamed.name;
    if (system === 'hubspot' && n.secondDomain) view.additionalDomains = [n.secondDomain];
    if (system === 'salesforce') view.website = n.website;
    return view;
  }

  /** HubSpot's second record of the account, if it has one */
  duplicateOf(a: SimAccount): AccountView | undefined {
    const n = this.account(a);
    if (!n.duplicateDomain) return undefined;
    return { ...a, id: duplicateAccountId(a.id), domain: n.duplicateDomain, ...(n.renamed?.system === 'hubspot' ? { name: n.renamed.name } : {}) };
  }

  contactIn(system: CrmSystem, c: SimContact): SimContact {
    const email = this.contact(c).email[system];
    return email === c.email ? c : { ...c, email };
  }
}

/** another prefix on the same core and suffix: "Northwind Labs" → "Apexwind Labs" */
function rebrand(name: string, u: number): string {
  const current = COMPANY_PREFIXES.find((p) => name.startsWith(p)) ?? '';
  const choices = COMPANY_PREFIXES.filter((p) => p !== current);
  return `${choices[Math.floor(u * choices.length)]}${name.slice(current.length)}`;
}

function websiteUrl(domain: string, u: number): string {
  const forms = [`https://www.${domain}/`, `http://${domain}`, `www.${domain}`, `https://${domain.split('.').map(capitalize).join('.')}/`];
  return forms[Math.floor(u * forms.length)]!;
}

/** the scenario's identity noise, or undefined when it is off */
export function identityNoiseFor(scenario: { seed: number; identityNoise?: IdentityNoiseSpec }): IdentityNoise | undefined {
  const spec = scenario.identityNoise ?? identityNoiseSchema.parse(undefined);
  return spec.enabled ? new IdentityNoise(scenario.seed, spec) : undefined;
}

/**
 * A sink that shows `sink` (a CRM emulator's state) the market through `system`'s eyes: its
 * names, domains and emails, and for HubSpot the duplicate company records.
 */
export function withIdentityNoise(system: CrmSystem, sink: MarketSink, noise: IdentityNoise): MarketSink {
  return {
    apply(event: MarketEvent): void {
      switch (event.kind) {
        case 'account': {
          sink.apply({ kind: 'account', account: noise.accountIn(system, event.account) });
          const dup = system === 'hubspot' ? noise.duplicateOf(event.account) : undefined;
          if (dup) sink.apply({ kind: 'account', account: dup });
          return;
        }
        case 'contact':
          return sink.apply({ kind: 'contact', contact: noise.contactIn(system, event.contact) });
        case 'deleted':
          sink.apply(event);
          if (system === 'hubspot' && event.entity === 'account') sink.apply({ ...event, id: duplicateAccountId(event.id) });
          return;
        default:
          return sink.apply(event);
      }
    },
  };
}
