// Write revloop's decisions onto contacts (revloop_score, revloop_segment, revloop_next_action …),
// by id or by email; batched by 100; per-record results. Writing the same values twice changes nothing
// on HubSpot's side; pass `key` (a decision key) so that a new decision is a new write (BEHAVIOR.md).
import { defineAction } from '@revloop/core';
import type { HubSpotConfig } from '../config.js';
import { hashKey } from '../idempotency.js';
import { propertyWriteInput, reconcilePropertyWrites, writeProperties, type PropertyWriteInput, type PropertyWriteResult } from '../property-writes.js';

export default defineAction<HubSpotConfig, PropertyWriteInput, PropertyWriteResult>({
  name: 'upsert-contact-properties',
  description: 'set properties on HubSpot contacts (by id, or by email: created when missing)',
  input: propertyWriteInput,
  idempotencyKey: (input) => hashKey(input),
  run: (ctx, input) => writeProperties(ctx, 'contacts', input),
  reconcile: (ctx, input) => reconcilePropertyWrites(ctx, 'contacts', input),
});
