// ConversionUploadService.UploadClickConversions: offline conversions keyed by gclid.
// Per-conversion problems come back in partial_failure_error (the real API requires
// partial_failure = true); accepted conversions are stored, deduplicated on
// gclid + conversion_action + conversion_date_time.
import { status as GrpcStatus } from '@grpc/grpc-js';
import { z } from 'zod';
import type { CallContext } from '../call-context.js';
import { adsError, GoogleAdsCallError, operationLocation, partialFailureStatus, type AdsError } from '../failure.js';
import { unaryHandler } from '../handlers.js';
import { GoogleAdsState, type StoredConversion } from '../state.js';

const DAY_MS = 86_400_000;
/** the longest click-through conversion window Google Ads allows */
export const CLICK_LOOKBACK_DAYS = 90;
const gclidPattern = /^[A-Za-z0-9_-]{8,}$/;
// 'yyyy-mm-dd hh:mm:ss+|-hh:mm', e.g. '2024-01-15 12:32:45-08:00'
const dateTimePattern = /^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2})([+-]\d{2}):?(\d{2})$/;

const clickConversion = z
  .object({
    gclid: z.string().optional(),
    conversion_action: z.string().optional(),
    conversion_date_time: z.string().optional(),
    conversion_value: z.number().optional(),
    currency_code: z.string().optional(),
    order_id: z.string().optional(),
  })
  .passthrough();
const uploadRequest = z
  .object({
    customer_id: z.string().default(''),
    conversions: z.array(clickConversion).default([]),
    partial_failure: z.boolean().default(false),
    validate_only: z.boolean().default(false),
  })
  .passthrough();

export function parseConversionDateTime(value: string): number | undefined {
  const m = dateTimePattern.exec(value);
  if (!m) return undefined;
  const t = Date.parse(`${m[1]}T${m[2]}${m[3]}:${m[4]}`);
  return Number.isNaN(t) ? undefined : t;
}

export function conversionUploadServiceHandlers(ctx: CallContext) {
  const { state } = ctx;
  const actionPattern = new RegExp(`^customers/${state.customerId}/conversionActions/(\\d+)$`);
  return {
    UploadClickConversions: unaryHandler(ctx, (r) => String(r.customer_id ?? ''), (raw, requestId) => {
      const req = uploadRequest.parse(raw);
      if (!req.partial_failure) {
        throw new GoogleAdsCallError(GrpcStatus.INVALID_ARGUMENT, [
          adsError({ partial_failure_error: 'PARTIAL_FAILURE_MODE_REQUIRED' }, 'The partial failure field must be set to true.'),
        ]);
      }
      if (req.conversions.length > 2000) {
        throw new GoogleAdsCallError(GrpcStatus.INVALID_ARGUMENT, [
          adsError({ conversion_upload_error: 'TOO_MANY_CONVERSIONS_IN_REQUEST' }, 'At most 2000 conversions per request.'),
        ]);
      }
      const errors: AdsError[] = [];
      const accepted: (StoredConversion | undefined)[] = [];
      const seenInRequest = new Set<string>();
      req.conversions.forEach((c, index) => {
        const fail = (code: Record<string, string>, message: string, field: string) => {
          errors.push(adsError(code, message, { location: operationLocation('conversions', index, field) }));
          accepted.push(undefined);
        };
        const gclid = c.gclid ?? '';
        if (!gclidPattern.test(gclid)) return fail({ conversion_upload_error: 'UNPARSEABLE_GCLID' }, 'The click identifier could not be parsed.', 'gclid');
        const click = state.click(gclid);
        if (!click) return fail({ conversion_upload_error: 'CLICK_NOT_FOUND' }, 'The click identifier does not match any click.', 'gclid');
        const actionId = actionPattern.exec(c.conversion_action ?? '')?.[1];
        if (!actionId || !state.conversionActions.has(actionId)) {
          return fail({ conversion_upload_error: 'NO_CONVERSION_ACTION_FOUND' }, 'The conversion action was not found.', 'conversion_action');
        }
        const at = parseConversionDateTime(c.conversion_date_time ?? '');
        if (at === undefined) {
          return fail(
            { date_error: 'INVALID_STRING_DATE_TIME_SECONDS_WITH_OFFSET' },
            "The conversion date time must look like 'yyyy-mm-dd hh:mm:ss+hh:mm'.",
            'conversion_date_time',
          );
        }
        if (at < click.occurredAt) return fail({ conversion_upload_error: 'CONVERSION_PRECEDES_EVENT' }, 'The conversion precedes the click.', 'conversion_date_time');
        if (at - click.occurredAt > CLICK_LOOKBACK_DAYS * DAY_MS || state.now() - click.occurredAt > CLICK_LOOKBACK_DAYS * DAY_MS) {
          return fail({ conversion_upload_error: 'EXPIRED_EVENT' }, 'The click is older than the conversion window (90 days).', 'gclid');
        }
        const key = GoogleAdsState.conversionKey(gclid, c.conversion_action!, c.conversion_date_time!);
        if (seenInRequest.has(key)) return fail({ conversion_upload_error: 'DUPLICATE_CLICK_CONVERSION_IN_REQUEST' }, 'Duplicate conversion in this request.', 'gclid');
        seenInRequest.add(key);
        if (state.hasConversion(key)) return fail({ conversion_upload_error: 'CLICK_CONVERSION_ALREADY_EXISTS' }, 'This conversion was already uploaded.', 'gclid');
        accepted.push({
          gclid,
          conversionAction: c.conversion_action!,
          conversionDateTime: c.conversion_date_time!,
          conversionValue: c.conversion_value,
          currencyCode: c.currency_code,
          orderId: c.order_id,
          campaignId: click.campaignId,
          accountId: click.accountId,
          contactId: click.contactId,
          uploadedAt: state.now(),
        });
      });
      if (!req.validate_only) for (const c of accepted) if (c) state.storeConversion(c);
      return {
        partial_failure_error: partialFailureStatus(errors, requestId),
        // failed conversions leave an empty result at their index, like the real API
        results: accepted.map((c) => (c ? { gclid: c.gclid, conversion_action: c.conversionAction, conversion_date_time: c.conversionDateTime } : {})),
        job_id: String(state.uploadedConversions().length),
      };
    }, 'click_conversion_upload'),
  };
}
