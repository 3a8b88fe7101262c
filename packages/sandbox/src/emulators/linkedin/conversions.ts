// Conversions API: POST /rest/conversionEvents, single (201, empty body) or BATCH_CREATE (up to
// 5,000, per-element statuses). Events older than 90 days before now() are rejected per element;
// a repeated (conversion, eventId) pair is acknowledged but counted once.
import { Hono } from 'hono';
import { z } from 'zod';
import { readJson, SHA256_HEX } from './body.js';
import { errors } from './errors.js';
import type { LinkedInState } from './state.js';

const NINETY_DAYS_MS = 90 * 86_400_000;
const MAX_BATCH = 5000;
const ID_TYPES = ['SHA256_EMAIL', 'LINKEDIN_FIRST_PARTY_ADS_TRACKING_UUID', 'ACXIOM_ID', 'ORACLE_MOAT_ID'] as const;

const eventSchema = z.object({
  conversion: z.string().regex(/^urn:lla:llaPartnerConversion:\d+$/, 'must be a urn:lla:llaPartnerConversion URN'),
  conversionHappenedAt: z.number().int().positive(),
  conversionValue: z.object({ currencyCode: z.string().length(3), amount: z.string().regex(/^\d+(\.\d+)?$/) }).optional(),
  eventId: z.string().min(1).optional(),
  user: z.object({
    userIds: z.array(z.object({ idType: z.enum(ID_TYPES), idValue: z.string().min(1) })).max(4),
    userInfo: z.record(z.string(), z.unknown()).optional(),
  }),
});
type ConversionEvent = z.infer<typeof eventSchema>;

const batchSchema = z.object({ elements: z.array(z.unknown()).min(1).max(MAX_BATCH) });

/** Returns an error message or undefined; stores the event (deduped) when valid. */
function accept(state: LinkedInState, raw: unknown): string | undefined {
  const parsed = eventSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return `Invalid field /${issue.path.join('/')}: ${issue.message}`;
  }
  const e: ConversionEvent = parsed.data;
  for (const id of e.user.userIds)
    if (id.idType === 'SHA256_EMAIL' && !SHA256_HEX.test(id.idValue)) return 'SHA256_EMAIL idValue must be a 64 character hex SHA-256 hash';
  const now = state.now();
  if (e.conversionHappenedAt < now - NINETY_DAYS_MS) return 'conversionHappenedAt must be within the past 90 days';
  state.recordConversion({
    conversion: e.conversion,
    conversionHappenedAt: e.conversionHappenedAt,
    conversionValue: e.conversionValue,
    eventId: e.eventId,
    userIds: e.user.userIds,
    userInfo: e.user.userInfo,
    receivedAt: now,
  });
  return undefined;
}

export function conversionRoutes(state: LinkedInState): Hono {
  const app = new Hono();
  app.post('/conversionEvents', async (c) => {
    const batch = c.req.header('x-restli-method')?.toUpperCase() === 'BATCH_CREATE';
    if (!batch) {
      const body = await readJson(c, z.unknown());
      if (!body.ok) return body.response;
      const error = accept(state, body.value);
      return error ? errors.badRequest(error) : new Response(null, { status: 201 });
    }
    const body = await readJson(c, batchSchema);
    if (!body.ok) return body.response;
    const elements = body.value.elements.map((el) => {
      const error = accept(state, el);
      return error ? { status: 400, error: { status: 400, message: error } } : { status: 201 };
    });
    return c.json({ elements });
  });
  return app;
}
