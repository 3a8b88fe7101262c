// Offline conversions (opportunity created, closed-won with its value) → LinkedIn Conversions
// API, POST /rest/conversionEvents with X-RestLi-Method: BATCH_CREATE, at most 5,000 a request.
// - deduplicated by eventId per conversion rule: ids LinkedIn accepted are kept in ctx.state
//   (LinkedIn dedupes too and still answers 201, so a resend would not show; it only costs quota)
// - events older than 90 days (ctx.clock) are refused by LinkedIn: they are skipped before
//   sending, with the reason logged and returned in the per-record results
// - every element of the batch answer is checked (200/201 with per-element 400s)
// - value: integer micros → LinkedIn's decimal string amount (exact)
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { defineAction, RevloopError, type ActionRecordResult } from '@revloop/core';
import type { LinkedInAdsConfig } from '../config.js';
import { clientFor } from '../client.js';
import { microsToDecimal } from '../money.js';
import { sha256Email } from '../restli.js';

const eventSchema = z
  .object({
    /** a stable id of the business event, e.g. `opp_123:closed_won` */
    eventId: z.string().min(1).max(200),
    kind: z.enum(['opportunity_created', 'closed_won']),
    /** epoch ms */
    occurredAt: z.number().int().positive(),
    /** closed-won value, integer micros */
    valueMicros: z.number().int().nonnegative().optional(),
    currencyCode: z.string().regex(/^[A-Z]{3}$/).optional(),
    /** the person, matched by SHA-256 of the normalised email */
    email: z.string().optional(),
    /** conversion rule URN; default: config conversionRule */
    conversion: z.string().regex(/^urn:lla:llaPartnerConversion:\d+$/).optional(),
  })
  .strict();
const inputSchema = z.object({ events: z.array(eventSchema).min(1) }).strict();
type Input = z.infer<typeof inputSchema>;

const batchAnswerSchema = z.looseObject({
  elements: z.array(z.looseObject({ status: z.number(), error: z.looseObject({ message: z.string().optional() }).optional() })),
});

export type ConversionStatus = 'sent' | 'duplicate' | 'skipped' | 'failed';
export interface UploadConversionsResult {
  sent: number;
  duplicates: number;
  skipped: number;
  failed: number;
  requests: number;
  results: ActionRecordResult<{ status: ConversionStatus }>[];
}

export const MAX_CONVERSION_BATCH = 5000;
export const CONVERSION_MAX_AGE_MS = 90 * 86_400_000;
const sentKey = (rule: string) => `conversions:sent:${rule}`;

export default defineAction<LinkedInAdsConfig, Input, UploadConversionsResult>({
  name: 'upload-conversions',
  description: 'Upload offline conversions (opportunity created, closed-won) deduplicated by eventId',
  input: inputSchema,
  idempotencyKey: (input) =>
    createHash('sha256')
      .update(input.events.map((e) => `${e.conversion ?? ''}|${e.eventId}`).sort().join('\n'))
      .digest('hex'),
  async run(ctx, input) {
    const now = ctx.clock.now();
    const oldest = now - CONVERSION_MAX_AGE_MS;
    const results: UploadConversionsResult['results'] = [];
    const sentByRule = new Map<string, Record<string, number>>();
    const queue: { rule: string; event: (typeof input.events)[number] }[] = [];

    for (const event of input.events) {
      const rule = event.conversion ?? ctx.config.conversionRule;
      if (!rule) {
        throw new RevloopError('LINKEDIN_CONVERSION_RULE_MISSING', `event ${event.eventId} names no conversion rule and the connector has no conversionRule`, {
          where: `connectors.${ctx.name}.conversionRule`,
          fix: "set conversionRule to the rule's URN (urn:lla:llaPartnerConversion:N, Campaign Manager → Conversions) or pass `conversion` per event",
          kind: 'bad_input',
        });
      }
      let sent = sentByRule.get(rule);
      if (!sent) {
        const stored = (await ctx.state.get<Record<string, number>>(sentKey(rule))) ?? {};
        // ids of events past the 90-day window can go: such an event is skipped anyway
        sent = Object.fromEntries(Object.entries(stored).filter(([, at]) => at >= oldest));
        sentByRule.set(rule, sent);
      }
      if (event.occurredAt < oldest) {
        const reason = `occurred ${Math.floor((now - event.occurredAt) / 86_400_000)} days ago: LinkedIn accepts conversions of the last 90 days only`;
        ctx.log.warn({ eventId: event.eventId, occurredAt: event.occurredAt, reason }, 'conversion skipped');
        results.push({ key: event.eventId, ok: false, result: { status: 'skipped' }, error: reason });
        continue;
      }
      if (event.eventId in sent || queue.some((q) => q.rule === rule && q.event.eventId === event.eventId)) {
        results.push({ key: event.eventId, ok: true, result: { status: 'duplicate' } });
        continue;
      }
      queue.push({ rule, event });
    }

    let requests = 0;
    for (let i = 0; i < queue.length; i += MAX_CONVERSION_BATCH) {
      const chunk = queue.slice(i, i + MAX_CONVERSION_BATCH);
      const elements = chunk.map(({ rule, event }) => ({
        conversion: rule,
        conversionHappenedAt: event.occurredAt,
        ...(event.valueMicros !== undefined ? { conversionValue: { currencyCode: event.currencyCode ?? ctx.config.currencyCode, amount: microsToDecimal(event.valueMicros) } } : {}),
        eventId: event.eventId,
        user: { userIds: event.email ? [{ idType: 'SHA256_EMAIL', idValue: sha256Email(event.email) }] : [] },
      }));
      const r = await clientFor(ctx).request('/rest/conversionEvents', { method: 'POST', restliMethod: 'BATCH_CREATE', body: { elements }, what: `upload ${elements.length} conversions` });
      requests++;
      const answer = batchAnswerSchema.parse(await r.json());
      chunk.forEach(({ rule, event }, j) => {
        const el = answer.elements[j];
        if (el && el.status >= 200 && el.status < 300) {
          sentByRule.get(rule)![event.eventId] = event.occurredAt;
          results.push({ key: event.eventId, ok: true, result: { status: 'sent' } });
        } else {
          results.push({ key: event.eventId, ok: false, result: { status: 'failed' }, error: `LinkedIn refused it: ${el?.error?.message ?? `status ${el?.status ?? 'missing'}`}` });
        }
      });
      for (const rule of new Set(chunk.map((c) => c.rule))) await ctx.state.set(sentKey(rule), sentByRule.get(rule));
    }
    for (const [rule, sent] of sentByRule) if (!queue.some((q) => q.rule === rule)) await ctx.state.set(sentKey(rule), sent);

    const count = (s: ConversionStatus) => results.filter((r) => r.result?.status === s).length;
    return { sent: count('sent'), duplicates: count('duplicate'), skipped: count('skipped'), failed: count('failed'), requests, results };
  },
});
