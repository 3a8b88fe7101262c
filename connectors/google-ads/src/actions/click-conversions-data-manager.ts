// Offline click conversions through the Data Manager API (uploadPath: 'data-manager'):
// events:ingest with the conversion action as destination, at most 2,000 events a request, each
// event {adIdentifiers.gclid, transactionId = the conversion's key, eventTimestamp RFC 3339,
// conversionValue, currency}; each request is polled to completion. The outcome is reported per
// request as counts per reason, not per event, so every conversion of a request shares it:
// SUCCESS → uploaded; only PROCESSING_ERROR_REASON_DUPLICATE_TRANSACTION_ID → already in Google
// (a retry after a lost answer); anything else → failed with the counts (re-sending is safe:
// events are deduplicated on transactionId).
import type { ActionRecordResult, PluginContext } from '@revloop/core';
import type { GoogleAdsConfig } from '../config.js';
import { describeCounts, destination, dmAwait, dmSend } from '../data-manager.js';
import type { ConversionStatus } from './upload-click-conversions.js';

export const EVENTS_PER_REQUEST = 2_000;
const DUPLICATE = 'PROCESSING_ERROR_REASON_DUPLICATE_TRANSACTION_ID';

export interface DmConversion {
  keys: string[];
  gclid: string;
  conversionAction: string;
  occurredAt: number;
  value?: number;
  currencyCode?: string;
}

export async function uploadEventsThroughDataManager(ctx: PluginContext<GoogleAdsConfig>, conversions: DmConversion[]): Promise<Map<string, ActionRecordResult<{ status: ConversionStatus }>>> {
  const where = `connectors.${ctx.name} (upload-click-conversions via the Data Manager API)`;
  const results = new Map<string, ActionRecordResult<{ status: ConversionStatus }>>();
  const byAction = new Map<string, DmConversion[]>();
  for (const c of conversions) byAction.set(c.conversionAction, [...(byAction.get(c.conversionAction) ?? []), c]);
  for (const [action, list] of byAction) {
    const actionId = action.split('/').pop()!;
    for (let i = 0; i < list.length; i += EVENTS_PER_REQUEST) {
      const chunk = list.slice(i, i + EVENTS_PER_REQUEST);
      const requestId = await dmSend(
        ctx,
        'events:ingest',
        {
          destinations: [destination(ctx.config, actionId)],
          events: chunk.map((c) => ({
            adIdentifiers: { gclid: c.gclid },
            transactionId: c.keys[0],
            eventTimestamp: new Date(c.occurredAt).toISOString(),
            ...(c.value === undefined ? {} : { conversionValue: c.value, currency: c.currencyCode }),
          })),
        },
        where,
      );
      const outcome = await dmAwait(ctx, requestId, where);
      const duplicates = outcome.errorCounts.filter((e) => e.reason === DUPLICATE).reduce((n, e) => n + e.recordCount, 0);
      const onlyDuplicates = outcome.errorCounts.every((e) => e.reason === DUPLICATE);
      const result: ActionRecordResult<{ status: ConversionStatus }> =
        outcome.status === 'SUCCESS'
          ? { key: '', ok: true, result: { status: 'uploaded' } }
          : onlyDuplicates
            ? { key: '', ok: true, result: { status: duplicates >= chunk.length ? 'already_uploaded' : 'uploaded' } }
            : {
                key: '',
                ok: false,
                error: `Data Manager request ${requestId} ended ${outcome.status}: ${describeCounts(outcome)} (the API reports counts per reason, not which events; re-sending is safe: events are deduplicated on transactionId)`,
              };
      for (const c of chunk) for (const key of c.keys) results.set(key, { ...result, key });
    }
  }
  return results;
}
