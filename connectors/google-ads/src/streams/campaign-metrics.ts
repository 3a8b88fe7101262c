// Daily campaign metrics → touchpoint kind 'spend' (one row per campaign and day, system id
// `${campaignId}:${date}`). Google keeps attributing conversions to past days for weeks, so every
// sync re-reads conversionWindowDays before its checkpoint: a re-read day REPLACES the stored
// row (same system id), it is never added to it.
import { z } from 'zod';
import { defineStream, type UnifiedRecord } from '@revloop/core';
import type { GoogleAdsConfig } from '../config.js';
import { sessionFor } from '../client.js';
import { addDays, dateRanges, dayStart, isoDate, maxDate } from '../dates.js';
import { idString, numeric } from '../values.js';

const metricsRowSchema = z.looseObject({
  campaign: z.looseObject({ id: idString }),
  metrics: z.looseObject({
    impressions: numeric.nullish(),
    clicks: numeric.nullish(),
    cost_micros: numeric.nullish(),
    conversions: numeric.nullish(),
    conversions_value: numeric.nullish(),
  }),
  segments: z.looseObject({ date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/) }),
});
type MetricsRow = z.input<typeof metricsRowSchema>;

/** the last day read completely (the next sync re-reads conversionWindowDays before it) */
const checkpointSchema = z.object({ through: z.string().regex(/^\d{4}-\d{2}-\d{2}$/) }).strict();
type Checkpoint = z.infer<typeof checkpointSchema>;

export function firstDate(config: GoogleAdsConfig, today: string): string {
  return config.startDate ?? addDays(today, -config.initialLookbackDays);
}

export default defineStream<GoogleAdsConfig, MetricsRow, Checkpoint>({
  name: 'campaign-metrics',
  description: 'Daily impressions, clicks, cost and conversions per campaign (SearchStream, segments.date)',
  entity: 'touchpoint',
  cursor: 'segments.date',
  lookbackMs: 14 * 86_400_000, // the default conversionWindowDays; the config decides
  deletes: 'none',
  checkpoint: checkpointSchema,
  async *read(ctx, { checkpoint }) {
    const session = sessionFor(ctx);
    const today = isoDate(ctx.clock.now());
    const first = firstDate(ctx.config, today);
    const from = checkpoint ? maxDate(first, addDays(checkpoint.through, -ctx.config.conversionWindowDays)) : first;
    for (const range of dateRanges(from, today, ctx.config.metricsChunkDays)) {
      const rows = await session.report(`campaign-metrics ${range.from}..${range.to}`, {
        entity: 'campaign',
        attributes: ['campaign.id'],
        metrics: ['metrics.impressions', 'metrics.clicks', 'metrics.cost_micros', 'metrics.conversions'],
        segments: ['segments.date'],
        from_date: range.from, // segments.date needs a finite range (EXPECTED_FILTERS_ON_DATE_RANGE)
        to_date: range.to,
        // without sort_order, google-ads-api's order_by sorts DESCENDING: say ASC explicitly
        order: [
          { field: 'segments.date', sort_order: 'ASC' },
          { field: 'campaign.id', sort_order: 'ASC' },
        ],
      });
      // a range that is not over yet (today) stays open: the next sync reads it again anyway
      yield { records: rows as MetricsRow[], checkpoint: { through: range.to } };
    }
  },
  map(row): UnifiedRecord {
    const r = metricsRowSchema.parse(row);
    const date = r.segments.date;
    return {
      systemId: `${r.campaign.id}:${date}`,
      fields: {
        channel: 'google',
        kind: 'spend',
        date,
        impressions: r.metrics.impressions ?? 0,
        clicks: r.metrics.clicks ?? 0,
        spend_micros: Math.round(r.metrics.cost_micros ?? 0), // cost_micros is already micros
        conversions: r.metrics.conversions ?? 0, // fractional: Google splits conversions across clicks
        occurred_at: dayStart(date),
      },
      links: { campaign: r.campaign.id },
      raw: row,
    };
  },
});
