// Write revloop's decisions onto companies (revloop_score, revloop_segment …) by id; batched by
// 100; per-record results.
import { defineAction } from '@revloop/core';
import type { HubSpotConfig } from '../config.js';
import { hashKey } from '../idempotency.js';
import { propertyWriteInput, reconcilePropertyWrites, writeProperties, type PropertyWriteInput, type PropertyWriteResult } from '../property-writes.js';

export default defineAction<HubSpotConfig, PropertyWriteInput, PropertyWriteResult>({
  name: 'upsert-company-properties',
  description: 'set properties on HubSpot companies by id',
  input: propertyWriteInput,
  idempotencyKey: (input) => hashKey(input),
  run: (ctx, input) => writeProperties(ctx, 'companies', input),
  reconcile: (ctx, input) => reconcilePropertyWrites(ctx, 'companies', input),
});
