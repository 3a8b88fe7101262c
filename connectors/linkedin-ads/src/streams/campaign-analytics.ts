// Daily ad analytics per campaign → touchpoint kind 'spend', channel 'linkedin' (one row per
// campaign and day, system id `${campaignId}:${date}`, linked to the campaign by its LinkedIn id).
// LinkedIn keeps revising recent days (metrics arrive late), so each sync re-reads lookbackDays
// before its checkpoint; a re-read day REPLACES the stored row (same system id), never adds to it.
// The checkpoint is the last day read completely (never today: today is not over).
import { z } from 'zod';
import { defineStream, type UnifiedRecord } from '@revloop/core';
import type { LinkedInAdsConfig } from '../config.js';
import { clientFor } from '../client.js';
import { addDays, dateRanges, dayStart, isoDate, maxDate, minDate } from '../dates.js';
import { decimalToMicros } from '../money.js';
import { ACCOUNT_URN, CAMPAIGN_URN, dateRange, idOfUrn, list, query, restli } from '../restli.js';

const ymdSchema = z.object({ year: z.number().int(), month: z.number().int(), day: z.number().int() });
const rowSchema = z.looseObject({
  impressions: z.number().nullish(),
  clicks: z.number().nullish(),
  // a decimal STRING in the account currency; required: it is only there when `fields` names it
  costInLocalCurrency: z.string(),
  externalWebsiteConversions: z.number().nullish(),
  dateRange: z.object({ start: ymdSchema, end: ymdSchema }),
  pivotValues: z.array(z.string()).min(1),
});
type Row = z.input<typeof rowSchema>;
const responseSchema = z.looseObject({ elements: z.array(z.unknown()) });

/** the last day read completely; the next sync re-reads lookbackDays before it */
const checkpointSchema = z.object({ through: z.string().regex(/^\d{4}-\d{2}-\d{2}$/) }).strict();
type Checkpoint = z.infer<typeof checkpointSchema>;

/** without `fields`, LinkedIn returns only impressions and clicks */
export const ANALYTICS_FIELDS = ['impressions', 'clicks', 'costInLocalCurrency', 'externalWebsiteConversions', 'dateRange', 'pivotValues'];

export function analyticsPath(accountId: string, from: string, to: string): string {
  return `/rest/adAnalytics?${query({
    q: 'analytics',
    pivot: 'CAMPAIGN',
    timeGranularity: 'DAILY',
    dateRange: restli(dateRange(from, to)),
    accounts: restli(list([`${ACCOUNT_URN}${accountId}`])),
    fields: restli(ANALYTICS_FIELDS.join(',')),
  })}`;
}

const pad = (n: number) => String(n).padStart(2, '0');

export default defineStream<LinkedInAdsConfig, Row, Checkpoint>({
  name: 'campaign-analytics',
  description: 'Daily impressions, clicks, cost and conversions per campaign (adAnalytics q=analytics, pivot CAMPAIGN, DAILY)',
  entity: 'touchpoint',
  cursor: 'dateRange.start (day)',
  lookbackMs: 7 * 86_400_000, // the default lookbackDays; the config decides
  deletes: 'none',
  checkpoint: checkpointSchema,
  async *read(ctx, { checkpoint }) {
    const client = clientFor(ctx);
    const today = isoDate(ctx.clock.now());
    const yesterday = addDays(today, -1);
    const first = ctx.config.startDate ?? addDays(today, -ctx.config.initialDays);
    const from = checkpoint ? maxDate(first, addDays(checkpoint.through, -ctx.config.lookbackDays)) : first;
    let through = checkpoint?.through;
    for (const range of dateRanges(from, today, ctx.config.analyticsChunkDays)) {
      const body = responseSchema.parse(await client.json(analyticsPath(ctx.config.adAccountId, range.from, range.to), { what: `adAnalytics ${range.from}..${range.to}` }));
      // complete days only, and never backwards (a re-read of the lookback window is not progress)
      const done = minDate(range.to, yesterday);
      if (done >= range.from) through = through ? maxDate(through, done) : done;
      yield { records: body.elements as Row[], checkpoint: { through: through ?? addDays(range.from, -1) } };
    }
  },
  map(row): UnifiedRecord {
    const r = rowSchema.parse(row);
    const campaignId = idOfUrn(r.pivotValues[0]!, CAMPAIGN_URN);
    const s = r.dateRange.start;
    const date = `${s.year}-${pad(s.month)}-${pad(s.day)}`;
    return {
      systemId: `${campaignId}:${date}`,
      fields: {
        channel: 'linkedin',
        kind: 'spend',
        date,
        impressions: r.impressions ?? 0,
        clicks: r.clicks ?? 0,
        spend_micros: decimalToMicros(r.costInLocalCurrency),
        conversions: r.externalWebsiteConversions ?? 0,
        occurred_at: dayStart(date),
      },
      links: { campaign: campaignId },
      raw: row,
    };
  },
});
