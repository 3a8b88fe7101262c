// Prompts and reply parsing. classify/intent follows the ITEM protocol (the last user message
// ends with `ITEM: {"item_id": accountId, "labels": ["high","low"]}`) and asks for a JSON object
// {label, confidence}; generate/message asks for "Subject: …", a blank line, then the body.
import { z } from 'zod';
import type { AccountFeatures, IntentOutput, MessageInput, MessageOutput } from '@revloop/core';

export type ChatMessage = { role: 'system' | 'user'; content: string };

/** prompts never exceed this many characters (bounds the worst-case cost the budget reserves) */
export const MAX_USER_CHARS = 2_000;

const INTENT_SYSTEM =
  'You score B2B accounts for buying intent from their recent signals. Reply with a JSON object ' +
  '{"label": "high" | "low", "confidence": number between 0 and 1}. "high" means the account is likely to open an opportunity soon.';

function featureLines(f: AccountFeatures): string[] {
  const counts = Object.entries(f.counts).filter(([, n]) => n > 0).map(([k, n]) => `${k}=${n}`).join(', ') || 'none';
  const topics = Object.entries(f.topics).sort((a, b) => b[1] - a[1]).slice(0, 8).map(([k, n]) => `${k}=${n}`).join(', ') || 'none';
  const days = f.daysSinceLastSignal === null || !Number.isFinite(f.daysSinceLastSignal) ? 'never' : f.daysSinceLastSignal.toFixed(1);
  return [`industry: ${f.industry ?? 'unknown'}; size: ${f.size ?? 'unknown'}; region: ${f.region ?? 'unknown'}`, `signals: ${counts}`, `topics: ${topics}`, `days since last signal: ${days}`, `open opportunity: ${f.hasOpenOpportunity ? 'yes' : 'no'}`];
}

const clip = (s: string) => (s.length > MAX_USER_CHARS ? s.slice(0, MAX_USER_CHARS) : s);

export function intentPrompt(f: AccountFeatures): ChatMessage[] {
  const item = `ITEM: ${JSON.stringify({ item_id: f.accountId, labels: ['high', 'low'] })}`;
  const body = clip(['Account signals over the feature window:', ...featureLines(f)].join('\n'));
  return [
    { role: 'system', content: INTENT_SYSTEM },
    { role: 'user', content: `${body}\n${item}` },
  ];
}

const intentReplySchema = z.object({ label: z.enum(['high', 'low']), confidence: z.number().min(0).max(1).optional() });

export function parseIntentReply(content: string | null | undefined): IntentOutput {
  let raw: unknown;
  try {
    raw = JSON.parse(content ?? '');
  } catch {
    throw new Error(`the reply is not JSON: ${JSON.stringify((content ?? '').slice(0, 120))} (expected {"label":"high"|"low","confidence":0..1})`);
  }
  const parsed = intentReplySchema.safeParse(raw);
  if (!parsed.success) throw new Error(`the reply ${JSON.stringify(JSON.stringify(raw).slice(0, 120))} is not {"label":"high"|"low","confidence":0..1}`);
  const confidence = parsed.data.confidence ?? 0.5;
  return { label: parsed.data.label, score: parsed.data.label === 'high' ? confidence : 1 - confidence };
}

const MESSAGE_SYSTEM =
  'You write short, factual B2B outreach emails for one contact. First line: "Subject: <subject>", then a blank line, then the body ' +
  '(under 120 words). Make no claims you cannot prove: no guarantees, no superlatives.';

export function messagePrompt(input: MessageInput, offer: boolean): ChatMessage[] {
  const lines = [`TOPIC: ${input.topic.replace(/[_-]+/g, ' ')}`, `PERSONA: ${input.contact?.persona ?? 'unknown'}`, `VARIANT: ${input.variant}`, `INDUSTRY: ${input.features.industry ?? 'unknown'}`];
  if (offer) lines.push('OFFER: mention the first-year discount (terms apply)');
  if (input.attempt > 0 || input.feedback?.length) {
    lines.push(`ATTEMPT: ${input.attempt}`, 'The previous draft failed the brand check. Be conservative and fix every point:');
    for (const r of input.feedback ?? []) lines.push(`- ${r}`);
  }
  lines.push('Write the email.');
  return [
    { role: 'system', content: MESSAGE_SYSTEM },
    { role: 'user', content: clip(lines.join('\n')) },
  ];
}

export function parseMessageReply(content: string | null | undefined, offer: boolean): MessageOutput {
  const text = (content ?? '').trim();
  if (!text) throw new Error('the reply is empty (expected "Subject: …" and a body)');
  const m = /^subject:\s*(.+?)\s*(?:\r?\n|$)([\s\S]*)$/i.exec(text);
  if (m) {
    const body = m[2]!.trim();
    if (!body) throw new Error('the reply has a subject but no body');
    return { subject: m[1]!, body, offer };
  }
  // no "Subject:" line: the first sentence is the subject, the whole text the body
  const first = /^(.{1,120}?[.!?])(\s|$)/.exec(text)?.[1] ?? text.slice(0, 80);
  return { subject: first, body: text, offer };
}
