// generate/message: persona-specific templates (no language model). Attempt 0 uses the variant's
// copy (variant "b" is the bolder copy); a retry (attempt > 0 or brand feedback) uses the
// conservative template: no claims, shorter, plus any disclaimer the brand check asked for.
// `offer` is true only for the configured offer variants (e.g. "discount").
import type { MessageInput, MessageOutput } from '@revloop/core';

interface PersonaCopy {
  subject: string;
  bold: string;
  standard: string;
  conservative: string;
}

const COPY: Record<string, PersonaCopy> = {
  economic_buyer: {
    subject: '{Topic}: what it returns in a quarter',
    bold: 'Teams like yours see guaranteed payback on {topic} within 90 days.',
    standard: 'Teams that invest in {topic} track the return in lower cost per opportunity within a quarter. I can share the ROI model our customers use.',
    conservative: 'Some teams measure the return on {topic} as cost per opportunity over a quarter. I can share how they set up that measurement.',
  },
  champion: {
    subject: 'Rolling out {topic} with your team',
    bold: 'You will be the one who made {topic} work: the fastest rollout your team has ever seen.',
    standard: 'Here is the enablement kit other champions used to roll out {topic}: a one-page plan, training slides and a first-week checklist.',
    conservative: 'Here is an enablement kit for {topic}: a one-page plan, training slides and a checklist you can adapt.',
  },
  technical_evaluator: {
    subject: '{Topic}: integration and security notes',
    bold: 'Integrating {topic} takes an afternoon, with zero security risk.',
    standard: 'For {topic}, here are the integration notes: a documented REST API, SSO/SCIM, data encryption at rest and in transit, and our security review pack.',
    conservative: 'For {topic}, here are the integration notes and our security documentation, for your review.',
  },
  end_user: {
    subject: 'An easier way to handle {topic}',
    bold: 'The easiest {topic} tool ever made: you will never do it by hand again.',
    standard: 'A short walkthrough of how {topic} takes the manual steps out of your week, with nothing to install.',
    conservative: 'A short walkthrough of how {topic} can remove some manual steps from your week.',
  },
};
const FALLBACK = COPY.champion!;

const OFFER = { standard: 'This month we offer 20% off the first year for new teams.', conservative: 'A first-year discount is available; terms apply.' };
const CLOSE = { standard: 'Worth a 20-minute call next week?', conservative: 'Would a short call be useful?' };

const humanCache = new Map<string, [string, string]>();
function humanize(topic: string): [string, string] {
  let h = humanCache.get(topic);
  if (!h) {
    const lower = topic.replace(/[_-]+/g, ' ').trim() || 'your pipeline';
    h = [lower, lower[0]!.toUpperCase() + lower.slice(1)];
    if (humanCache.size < 1000) humanCache.set(topic, h);
  }
  return h;
}

/** disclaimer lines the brand check asked for: reasons like `required-disclaimer: missing "…"` */
export function requestedDisclaimers(feedback: readonly string[] | undefined): string[] {
  const out: string[] = [];
  for (const reason of feedback ?? []) {
    if (!reason.startsWith('required-disclaimer')) continue;
    const m = /"([^"]+)"/.exec(reason);
    if (m && !out.includes(m[1]!)) out.push(m[1]!);
  }
  return out;
}

export function composeMessage(input: MessageInput, offerVariants: readonly string[]): MessageOutput & { persona: string; tone: string } {
  const persona = input.contact?.persona ?? 'unknown';
  const copy = COPY[persona] ?? FALLBACK;
  const conservative = input.attempt > 0 || (input.feedback?.length ?? 0) > 0;
  const offer = offerVariants.includes(input.variant);
  const [topic, Topic] = humanize(input.topic);
  const fill = (s: string) => s.replaceAll('{topic}', topic).replaceAll('{Topic}', Topic);
  const tone = conservative ? 'conservative' : input.variant === 'b' ? 'bold' : 'standard';
  const lines = [fill(tone === 'conservative' ? copy.conservative : tone === 'bold' ? copy.bold : copy.standard)];
  if (offer) lines.push(conservative ? OFFER.conservative : OFFER.standard);
  lines.push(conservative ? CLOSE.conservative : CLOSE.standard);
  for (const d of requestedDisclaimers(input.feedback)) lines.push(d);
  return { subject: fill(copy.subject), body: lines.join('\n\n'), offer, persona, tone };
}
