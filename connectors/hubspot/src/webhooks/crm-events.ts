// HubSpot webhook subscriptions (contact.creation, contact.propertyChange, …): verify the v3
// signature and its age, name the signature for the server's replay check, then turn the events
// into signals.
import { z } from 'zod';
import type { UnifiedRecord, WebhookDefinition } from '@revloop/core';
import type { HubSpotConfig } from '../config.js';
import { decodeUri, safeEqual, signatureV3 } from '../signature.js';

const eventSchema = z.looseObject({
  eventId: z.number(),
  subscriptionType: z.string(),
  objectId: z.number(),
  occurredAt: z.number(),
  portalId: z.number().optional(),
  propertyName: z.string().optional(),
  propertyValue: z.string().optional(),
  changeSource: z.string().optional(),
  attemptNumber: z.number().optional(),
});
const payloadSchema = z.array(eventSchema);

function header(headers: Record<string, string>, name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const [k, v] of Object.entries(headers)) if (k.toLowerCase() === wanted) return v;
  return undefined;
}

const signalTypes: Record<string, string> = {
  'contact.creation': 'crm_contact_created',
  'contact.propertyChange': 'crm_property_change',
};

const crmEvents: WebhookDefinition<HubSpotConfig> = {
  name: 'crm-events',
  verify(ctx, request) {
    const secret = ctx.config.webhook?.clientSecret;
    if (!secret) return false;
    const signature = header(request.headers, 'x-hubspot-signature-v3');
    const timestamp = header(request.headers, 'x-hubspot-request-timestamp');
    if (!signature || !timestamp || !/^\d+$/.test(timestamp)) return false;
    // HubSpot stamps the request with its own time; the emulator with simulated time: ctx.clock
    const age = ctx.clock.now() - Number(timestamp);
    if (age > ctx.config.webhook!.maxAgeMs || age < -ctx.config.webhook!.maxAgeMs) return false;
    for (const uri of new Set([request.url, decodeUri(request.url)])) {
      if (safeEqual(signatureV3(secret, request.method, uri, request.body, timestamp), signature)) return true;
    }
    return false;
  },
  // a signature is only accepted within maxAgeMs of its timestamp: remember it until then
  replayKey(ctx, request) {
    const signature = header(request.headers, 'x-hubspot-signature-v3');
    const timestamp = header(request.headers, 'x-hubspot-request-timestamp');
    if (!signature || !timestamp || !/^\d+$/.test(timestamp)) return undefined;
    return { key: `v3:${timestamp}:${signature}`, expiresAt: Number(timestamp) + (ctx.config.webhook?.maxAgeMs ?? 0) + 1 };
  },
  toSignals(_ctx, payload): UnifiedRecord[] {
    const events = payloadSchema.parse(Array.isArray(payload) ? payload : [payload]);
    return events
      .filter((e) => signalTypes[e.subscriptionType])
      .map((e) => ({
        systemId: `webhook:${e.portalId ?? 0}:${e.eventId}`,
        fields: { type: signalTypes[e.subscriptionType]!, topic: e.propertyName ?? null, channel: 'crm', occurred_at: e.occurredAt },
        links: { contact: String(e.objectId) },
        attributes: { subscriptionType: e.subscriptionType, ...(e.propertyName ? { propertyName: e.propertyName, propertyValue: e.propertyValue ?? null } : {}), ...(e.changeSource ? { changeSource: e.changeSource } : {}) },
        raw: e,
        createdAt: e.occurredAt,
        updatedAt: e.occurredAt,
      }));
  },
};

export default crmEvents;
