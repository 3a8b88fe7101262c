// checkBrand: a pure function of (policy, message, features) → {pass, reasons}. Each reason starts
// with the rule that failed (banned-claim, required-disclaimer, max-length, tone) so that a
// generator can react (local-models adds a quoted required disclaimer on its retry).
import type { AccountFeatures, BrandOutput, MessageOutput } from '@revloop/core';
import type { BrandPolicy } from './config.js';

interface Compiled {
  banned: { phrase: string; re: RegExp }[];
  avoid: { phrase: string; re: RegExp }[];
  disclaimers: { rule: BrandPolicy['requiredDisclaimers'][number]; normalized: string }[];
}

const compiled = new WeakMap<BrandPolicy, Compiled>();

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const normalize = (s: string) => s.toLowerCase().replace(/\s+/g, ' ').trim();

/** whole-phrase match: not preceded or followed by a letter/digit (works for "#1" and "risk-free") */
export function phraseRegex(phrase: string): RegExp {
  const body = phrase.trim().split(/\s+/).map(escape).join('\\s+');
  return new RegExp(`(?<![\\p{L}\\p{N}_])${body}(?![\\p{L}\\p{N}_])`, 'iu');
}

function compile(policy: BrandPolicy): Compiled {
  let c = compiled.get(policy);
  if (!c) {
    c = {
      banned: policy.bannedClaims.map((phrase) => ({ phrase, re: phraseRegex(phrase) })),
      avoid: policy.toneWords.avoid.map((phrase) => ({ phrase, re: phraseRegex(phrase) })),
      disclaimers: policy.requiredDisclaimers.map((rule) => ({ rule, normalized: normalize(rule.text) })),
    };
    compiled.set(policy, c);
  }
  return c;
}

export function checkBrand(policy: BrandPolicy, message: MessageOutput, features: Pick<AccountFeatures, 'industry' | 'size'>): BrandOutput {
  const c = compile(policy);
  const reasons: string[] = [];
  const subject = message.subject ?? '';
  const body = message.body ?? '';
  for (const { phrase, re } of c.banned) {
    const where = [re.test(subject) && 'subject', re.test(body) && 'body'].filter(Boolean);
    if (where.length) reasons.push(`banned-claim: "${phrase}" in ${where.join(' and ')}`);
  }
  if (subject.length > policy.maxSubjectLength) reasons.push(`max-length: subject has ${subject.length} characters, the limit is ${policy.maxSubjectLength}`);
  if (body.length > policy.maxBodyLength) reasons.push(`max-length: body has ${body.length} characters, the limit is ${policy.maxBodyLength}`);
  if (c.disclaimers.length) {
    const normalizedBody = normalize(body);
    for (const { rule, normalized } of c.disclaimers) {
      if (rule.industries && !(features.industry && rule.industries.includes(features.industry))) continue;
      if (rule.sizes && !(features.size && rule.sizes.includes(features.size))) continue;
      if (rule.offersOnly && !message.offer) continue;
      if (normalizedBody.includes(normalized)) continue;
      const scope = [rule.industries && `industry ${features.industry}`, rule.sizes && `size ${features.size}`, rule.offersOnly && 'offer'].filter(Boolean).join(', ');
      reasons.push(`required-disclaimer: missing "${rule.text}"${scope ? ` (${scope})` : ''}`);
    }
  }
  for (const { phrase, re } of c.avoid) {
    if (re.test(subject) || re.test(body)) reasons.push(`tone: avoid "${phrase}"`);
  }
  return { pass: reasons.length === 0, reasons };
}
