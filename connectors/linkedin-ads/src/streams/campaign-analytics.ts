// Daily ad analytics per campaign → touchpoint kind 'spend', channel 'linkedin' (one row per
// campaign and day, system id `${campaignId}:${date}`, linked to the campaign by its LinkedIn id).
// LinkedIn keeps revising recent days (metrics arrive late), so each sync re-reads lookbackDays
// before its checkpoint; a re-read day REPLACES the stored row (same system id), never adds to it.
// The checkpoint is the last day read completely (never today: today is not over).
// adAnalytics has no pagination and cuts a response at 15,000 rows silently: requests are sized
// from the account's campaign count (analytics-plan.ts) so none can reach the cap, and a response
// that reaches it anyway (campaigns the listing did not show) is asked for again in halves.
import { z } from 'zod';
import { defineStream, RevloopError, type PluginContext, type UnifiedRecord } from '@revloop/core';
import type { LinkedInAdsConfig } from '../config.js';
import { clientFor } from '../client.js';
import { ANALYTICS_ROW_LIMIT, CAMPAIGNS_PER_REQUEST, mayBeCut, planAnalytics } from '../analytics-plan.js';
import { listCampaignIds } from '../campaign-ids.js';
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

/** the whole ad account (accounts facet), or only these campaign ids (campaigns facet) */
export function analyticsPath(accountId: string, from: string, to: string, campaignIds?: readonly string[]): string {
  return `/rest/adAnalytics?${query({
    q: 'analytics',
    pivot: 'CAMPAIGN',
    timeGranularity: 'DAILY',
    dateRange: restli(dateRange(from, to)),
    ...(campaignIds ? { campaigns: restli(list(campaignIds.map((id) => `${CAMPAIGN_URN}${id}`))) } : { accounts: restli(list([`${ACCOUNT_URN}${accountId}`])) }),
    fields: restli(ANALYTICS_FIELDS.join(',')),
  })}`;
}

/**
 * The rows of [from, to] for the account or a campaign group. A response at the row cap may have
 * been cut: it is asked for again in two halves of the range, a single day of the whole account
 * by campaign groups; a single day of one group at the cap cannot be split and stops the sync.
 */
async function readRows(ctx: PluginContext<LinkedInAdsConfig>, from: string, to: string, campaignIds: readonly string[] | undefined, allIds: readonly string[]): Promise<unknown[]> {
  const what = `adAnalytics ${from}..${to}${campaignIds ? ` (${campaignIds.length} campaigns)` : ''}`;
  const body = responseSchema.parse(await clientFor(ctx).json(analyticsPath(ctx.config.adAccountId, from, to, campaignIds), { what }));
  if (!mayBeCut(body.elements.length)) return body.elements;
  ctx.log.warn({ from, to, rows: body.elements.length, campaigns: campaignIds?.length }, 'adAnalytics response at the 15,000-row cap (LinkedIn may have cut it): reading it in smaller requests');
  if (from < to) {
    const days = Math.round((dayStart(to) - dayStart(from)) / 86_400_000) + 1;
    const mid = addDays(from, Math.floor(days / 2) - 1);
    return [...(await readRows(ctx, from, mid, campaignIds, allIds)), ...(await readRows(ctx, addDays(mid, 1), to, campaignIds, allIds))];
  }
  if (!campaignIds && allIds.length > 0) {
    const out: unknown[] = [];
    for (let i = 0; i < allIds.length; i += CAMPAIGNS_PER_REQUEST) out.push(...(await readRows(ctx, from, to, allIds.slice(i, i + CAMPAIGNS_PER_REQUEST), allIds)));
    return out;
  }
  throw new RevloopError('LINKEDIN_ANALYTICS_CUT', `LinkedIn answered ${body.elements.length} rows for ${what}: at its ${ANALYTICS_ROW_LIMIT}-row cap, so rows may be missing, and the request cannot be split further`, {
    where: `${ctx.name}: stream campaign-analytics`,
    fix: 'report this: a single day of at most 50 campaigns should never reach the cap; the checkpoint stays before this day',
  });
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
    const today = isoDate(ctx.clock.now());
    const yesterday = addDays(today, -1);
    const first = ctx.config.startDate ?? addDays(today, -ctx.config.initialDays);
    const from = checkpoint ? maxDate(first, addDays(checkpoint.through, -ctx.config.lookbackDays)) : first;
    // rows per response ≤ campaigns × days: size the requests so none reaches the row cap
    const campaignIds = await listCampaignIds(ctx);
    const plan = planAnalytics(campaignIds, ctx.config.analyticsChunkDays);
    if (plan.days < ctx.config.analyticsChunkDays || plan.campaignGroups) ctx.log.debug({ campaigns: campaignIds.length, days: plan.days, groups: plan.campaignGroups?.length }, 'adAnalytics requests sized to stay under the row cap');
    let through = checkpoint?.through;
    for (const range of dateRanges(from, today, plan.days)) {
      const records: unknown[] = [];
      for (const group of plan.campaignGroups ?? [undefined]) records.push(...(await readRows(ctx, range.from, range.to, group, campaignIds)));
      // complete days only, and never backwards (a re-read of the lookback window is not progress)
      const done = minDate(range.to, yesterday);
      if (done >= range.from) through = through ? maxDate(through, done) : done;
      yield { records: records as Row[], checkpoint: { through: through ?? addDays(range.from, -1) } };
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
