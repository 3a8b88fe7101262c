// Normalized match keys: two spellings of one domain or one mailbox become the same key.

/** mailbox providers: a domain shared by unrelated people says nothing about their company */
export const personalEmailDomains: ReadonlySet<string> = new Set([
  'gmail.com', 'googlemail.com', 'yahoo.com', 'yahoo.co.uk', 'hotmail.com', 'outlook.com', 'live.com', 'msn.com',
  'icloud.com', 'me.com', 'mac.com', 'aol.com', 'proton.me', 'protonmail.com', 'gmx.de', 'gmx.net', 'web.de',
  'yandex.ru', 'mail.ru', 'qq.com', '163.com', 'zoho.com', 'fastmail.com', 'hey.com',
]);

const DOMAIN = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$/;

/** `https://www.Acme.com:443/about` → `acme.com`; undefined when it is no domain */
export function normalizeDomain(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  let v = value.trim().toLowerCase();
  if (!v) return undefined;
  v = v.replace(/^[a-z][a-z0-9+.-]*:\/\//, '');
  const at = v.lastIndexOf('@', v.search(/[/?#]|$/));
  if (at >= 0) v = v.slice(at + 1); // user@ in a URL, or an email address given as a website
  v = v.split(/[/?#]/, 1)[0]!.replace(/:\d+$/, '').replace(/\.$/, '');
  if (v.startsWith('www.')) v = v.slice(4);
  return DOMAIN.test(v) ? v : undefined;
}

/** several domains in one field: "a.com; b.io", "a.com, b.io" or a JSON list */
export function domainsIn(value: unknown): string[] {
  const parts = Array.isArray(value) ? value : typeof value === 'string' ? value.split(/[;,\s]+/) : [];
  const out: string[] = [];
  for (const p of parts) {
    const d = normalizeDomain(p);
    if (d && !out.includes(d)) out.push(d);
  }
  return out;
}

export interface EmailRules {
  plusAddressing: boolean;
  ignoreDotsFor: readonly string[];
}

/** `John.Doe+webinar@ACME.com` → `john.doe@acme.com`; undefined when it is no address */
export function normalizeEmail(value: unknown, rules: EmailRules): string | undefined {
  if (typeof value !== 'string') return undefined;
  const v = value.trim().toLowerCase();
  const at = v.lastIndexOf('@');
  if (at <= 0 || at === v.length - 1) return undefined;
  let local = v.slice(0, at);
  let domain = normalizeDomain(v.slice(at + 1));
  if (!domain) return undefined;
  if (domain === 'googlemail.com') domain = 'gmail.com';
  if (rules.plusAddressing) {
    const plus = local.indexOf('+');
    if (plus > 0) local = local.slice(0, plus);
  }
  if (rules.ignoreDotsFor.includes(domain)) local = local.replace(/\./g, '');
  return local ? `${local}@${domain}` : undefined;
}
