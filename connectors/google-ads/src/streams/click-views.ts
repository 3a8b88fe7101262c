// click_view → touchpoint kind 'click' with click_id = gclid. click_view only answers one day per
// query (DATE_RANGE_TOO_WIDE otherwise) and only for the last 90 days, so the stream walks day by
// day from its checkpoint, re-reading clickLookbackDays for late clicks.
//
// Linking a click to a person: Google does not know who clicked. A contact is "known" for a gclid
// when a CRM connector stored that gclid in the contact's attributes (`attributes.gclid`). Links
// of a record resolve in this connector's own identity space, so the stream records the gclid as
// an alias of that contact (and its account) in the identity map (external_ids: google / contact
// / <gclid> → the CRM contact's entity id), then links the touchpoint by gclid. See BEHAVIOR.md.
import { z } from 'zod';
import { defineStream, type PluginContext, type UnifiedRecord } from '@revloop/core';
import type { GoogleAdsConfig } from '../config.js';
import { sessionFor } from '../client.js';
import { addDays, dayStart, isoDate, maxDate } from '../dates.js';
import { firstDate } from './campaign-metrics.js';
import { idString } from '../values.js';

const clickRowSchema = z.looseObject({
  click_view: z.looseObject({ gclid: z.string().min(1), resource_name: z.string().nullish() }),
  campaign: z.looseObject({ id: idString }),
  segments: z.looseObject({ date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/) }),
});
/** the vendor row, plus whether the gclid belongs to a known contact (decided in read()) */
type ClickRow = z.input<typeof clickRowSchema> & { known?: { contact: boolean; account: boolean } };

const checkpointSchema = z.object({ through: z.string().regex(/^\d{4}-\d{2}-\d{2}$/) }).strict();
type Checkpoint = z.infer<typeof checkpointSchema>;

const CLICK_VIEW_DAYS = 90;

/** gclid → the CRM contact (and its account) whose attributes carry it */
async function knownGclids(ctx: PluginContext<GoogleAdsConfig>): Promise<Map<string, { contactId: string; accountId: string | null }>> {
  const rows = await ctx.store.db
    .selectFrom('contacts')
    .select(['id', 'account_id', 'attributes'])
    .where('deleted', '=', 0)
    .where('source_system', '!=', ctx.name)
    .where('attributes', 'like', '%"gclid"%')
    .execute();
  const out = new Map<string, { contactId: string; accountId: string | null }>();
  for (const r of rows) {
    try {
      const gclid = (JSON.parse(r.attributes ?? '{}') as { gclid?: unknown }).gclid;
      if (typeof gclid === 'string' && gclid) out.set(gclid, { contactId: r.id, accountId: r.account_id });
    } catch {
      // attributes that are not JSON are not ours to judge
    }
  }
  return out;
}

/** the gclid becomes this connector's id of the known contact / account (idempotent) */
async function recordAliases(ctx: PluginContext<GoogleAdsConfig>, aliases: { gclid: string; contactId: string; accountId: string | null }[]): Promise<void> {
  const now = ctx.clock.now();
  const values = aliases.flatMap((a) => [
    { system: ctx.name, entity_type: 'contact', system_id: a.gclid, entity_id: a.contactId, created_at: now },
    ...(a.accountId ? [{ system: ctx.name, entity_type: 'account', system_id: a.gclid, entity_id: a.accountId, created_at: now }] : []),
  ]);
  for (let i = 0; i < values.length; i += 200) {
    await ctx.store.db
      .insertInto('external_ids')
      .values(values.slice(i, i + 200))
      .onConflict((oc) => oc.doNothing())
      .execute();
  }
}

export default defineStream<GoogleAdsConfig, ClickRow, Checkpoint>({
  name: 'click-views',
  description: 'Ad clicks with their gclid (click_view, one SearchStream per day)',
  entity: 'touchpoint',
  cursor: 'segments.date',
  lookbackMs: 86_400_000,
  deletes: 'none',
  checkpoint: checkpointSchema,
  async *read(ctx, { checkpoint }) {
    const session = sessionFor(ctx);
    const today = isoDate(ctx.clock.now());
    const oldest = addDays(today, -(CLICK_VIEW_DAYS - 1));
    const first = maxDate(oldest, firstDate(ctx.config, today));
    const from = checkpoint ? maxDate(first, addDays(checkpoint.through, -ctx.config.clickLookbackDays)) : first;
    const known = await knownGclids(ctx);
    for (let day = from; day <= today; day = addDays(day, 1)) {
      const rows = (await session.report(`click-views ${day}`, {
        entity: 'click_view',
        attributes: ['click_view.gclid', 'click_view.resource_name', 'campaign.id'],
        segments: ['segments.date'],
        constraints: [`segments.date = '${day}'`], // one day per query (DATE_RANGE_TOO_WIDE otherwise)
        order: [{ field: 'click_view.gclid', sort_order: 'ASC' }],
      })) as ClickRow[];
      const aliases = [];
      for (const row of rows) {
        const who = known.get(String(row.click_view?.gclid ?? ''));
        if (who) {
          aliases.push({ gclid: String(row.click_view!.gclid), ...who });
          row.known = { contact: true, account: who.accountId !== null };
        }
      }
      if (aliases.length) await recordAliases(ctx, aliases);
      yield { records: rows, checkpoint: { through: day } };
    }
  },
  map(row): UnifiedRecord {
    const { known, ...vendor } = row;
    const r = clickRowSchema.parse(vendor);
    const gclid = r.click_view.gclid;
    return {
      systemId: gclid,
      fields: {
        channel: 'google',
        kind: 'click',
        date: r.segments.date,
        clicks: 1,
        click_id: gclid,
        occurred_at: dayStart(r.segments.date), // click_view has a day, not a time
      },
      links: {
        campaign: r.campaign.id,
        contact: known?.contact ? gclid : null,
        account: known?.account ? gclid : null,
      },
      attributes: { gclid, resourceName: r.click_view.resource_name },
      raw: vendor,
    };
  },
});
