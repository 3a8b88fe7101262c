// Offline conversions by gclid (opportunity created / closed-won with its value) through
// ConversionUploadService.UploadClickConversions. partial_failure must be true (the API refuses
// false), so a request "succeeds" while some conversions fail: per-conversion results are decoded
// from partial_failure_error by operation index. CLICK_CONVERSION_ALREADY_EXISTS is a success (the
// conversion is in Google already: a retried upload must not count as a failure).
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { defineAction, RevloopError, type ActionRecordResult } from '@revloop/core';
import type { GoogleAdsConfig } from '../config.js';
import { sessionFor } from '../client.js';
import { conversionDateTime } from '../dates.js';
import { decodePartialFailure, type AdsErrorItem } from '../failure.js';
import { uploadEventsThroughDataManager, type DmConversion } from './click-conversions-data-manager.js';

const conversionSchema = z
  .object({
    /** the caller's id of this conversion (e.g. `${opportunityId}:closed_won`), unique per conversion */
    key: z.string().min(1),
    gclid: z.string().min(1),
    event: z.enum(['opportunity_created', 'closed_won']),
    /** epoch ms */
    occurredAt: z.number().int().positive(),
    /** integer micros (revloop's money); converted to a decimal at the edge */
    valueMicros: z.number().int().nonnegative().optional(),
    currencyCode: z.string().regex(/^[A-Z]{3}$/).optional(),
    /** overrides the config's conversionAction */
    conversionAction: z.string().regex(/^customers\/\d{10}\/conversionActions\/\d+$/).optional(),
  })
  .strict();

const inputSchema = z
  .object({ conversions: z.array(conversionSchema).min(1).max(20_000) })
  .strict()
  .refine((i) => new Set(i.conversions.map((c) => c.key)).size === i.conversions.length, { message: 'each conversion needs its own key', path: ['conversions'] });
type Input = z.infer<typeof inputSchema>;

export type ConversionStatus = 'uploaded' | 'already_uploaded';
export interface UploadResult {
  uploaded: number;
  alreadyUploaded: number;
  failed: number;
  results: ActionRecordResult<{ status: ConversionStatus }>[];
}

/** the API's limit per request */
const MAX_PER_REQUEST = 2_000;
const ALREADY_EXISTS = 'conversion_upload_error.CLICK_CONVERSION_ALREADY_EXISTS';

export default defineAction<GoogleAdsConfig, Input, UploadResult>({
  name: 'upload-click-conversions',
  description: 'Upload offline conversions (opportunity created / closed-won) by gclid',
  input: inputSchema,
  idempotencyKey: (input) =>
    createHash('sha256')
      .update(JSON.stringify(input.conversions.map((c) => c.key).sort()))
      .digest('hex')
      .slice(0, 32),
  async run(ctx, input) {
    const session = sessionFor(ctx);
    const results = new Map<string, ActionRecordResult<{ status: ConversionStatus }>>();
    // Google dedupes on gclid + action + date time; the same conversion twice in one request is
    // DUPLICATE_CLICK_CONVERSION_IN_REQUEST: send it once, answer every key that asked for it
    const unique = new Map<string, { keys: string[]; op: Record<string, unknown>; dm: DmConversion }>();
    for (const c of input.conversions) {
      const action = c.conversionAction ?? ctx.config.conversionAction;
      if (!action) {
        throw new RevloopError('GOOGLE_ADS_CONVERSION_ACTION_MISSING', `conversion ${c.key} has no conversion action`, {
          where: `connectors.${ctx.name}.conversionAction`,
          fix: 'set conversionAction (customers/{customerId}/conversionActions/{id}) in the connector config, or pass one per conversion',
          kind: 'bad_input',
        });
      }
      const op = {
        gclid: c.gclid,
        conversion_action: action,
        conversion_date_time: conversionDateTime(c.occurredAt),
        ...(c.valueMicros === undefined ? {} : { conversion_value: c.valueMicros / 1_000_000, currency_code: c.currencyCode ?? ctx.config.currencyCode }),
        order_id: c.key,
      };
      const identity = `${op.gclid}|${op.conversion_action}|${op.conversion_date_time}`;
      const seen = unique.get(identity);
      if (seen) seen.keys.push(c.key);
      else {
        const keys = [c.key];
        const value = c.valueMicros === undefined ? {} : { value: c.valueMicros / 1_000_000, currencyCode: c.currencyCode ?? ctx.config.currencyCode };
        unique.set(identity, { keys, op, dm: { keys, gclid: c.gclid, conversionAction: action, occurredAt: c.occurredAt, ...value } });
      }
    }
    const entries = [...unique.values()];
    // the Data Manager API (uploadPath 'data-manager') or the Google Ads API, never both
    const viaGoogleAds = ctx.config.uploadPath === 'google-ads' ? entries : [];
    if (ctx.config.uploadPath === 'data-manager') {
      for (const [key, r] of await uploadEventsThroughDataManager(ctx, entries.map((e) => e.dm))) results.set(key, r);
    }
    for (let i = 0; i < viaGoogleAds.length; i += MAX_PER_REQUEST) {
      const chunk = viaGoogleAds.slice(i, i + MAX_PER_REQUEST);
      const response = (await session.call('upload-click-conversions', (customer) =>
        customer.conversionUploads.uploadClickConversions({
          customer_id: ctx.config.customerId,
          conversions: chunk.map((e) => e.op),
          partial_failure: true, // required by the API
        } as never),
      )) as { partial_failure_error?: unknown };
      const byIndex = new Map<number, AdsErrorItem[]>();
      for (const err of decodePartialFailure(session.lib, response.partial_failure_error)) {
        if (err.index === undefined) continue;
        byIndex.set(err.index, [...(byIndex.get(err.index) ?? []), err]);
      }
      chunk.forEach((entry, index) => {
        const errors = byIndex.get(index) ?? [];
        const only = errors.every((e) => e.code === ALREADY_EXISTS);
        const result: ActionRecordResult<{ status: ConversionStatus }> =
          errors.length === 0
            ? { key: '', ok: true, result: { status: 'uploaded' } }
            : only
              ? { key: '', ok: true, result: { status: 'already_uploaded' } }
              : { key: '', ok: false, error: errors.map((e) => `${e.code}: ${e.message}`).join('; ') };
        for (const key of entry.keys) results.set(key, { ...result, key });
      });
    }
    const list = input.conversions.map((c) => results.get(c.key)!);
    const summary: UploadResult = {
      uploaded: list.filter((r) => r.ok && r.result?.status === 'uploaded').length,
      alreadyUploaded: list.filter((r) => r.ok && r.result?.status === 'already_uploaded').length,
      failed: list.filter((r) => !r.ok).length,
      results: list,
    };
    ctx.log.info({ uploaded: summary.uploaded, alreadyUploaded: summary.alreadyUploaded, failed: summary.failed }, 'offline conversions uploaded');
    return summary;
  },
});
