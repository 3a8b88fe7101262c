// Ad campaigns on LinkedIn and Google: daily metrics per campaign, built from the clicks the
// account universe produced that day plus anonymous traffic, with a share of conversions reported
// 1..maxDelayDays late (the same campaign/date re-emitted with a larger count).
import type { SimClock } from './clock.js';
import type { Rng } from './random.js';
import type { Scenario } from './scenario-schema.js';
import type { AdPlatform, MarketEvent, SimAdDay, SimCampaign } from './types.js';

interface LateConversion {
  dueDay: number;
  record: SimAdDay;
  add: number;
}

export class AdCampaigns {
  readonly campaigns: SimCampaign[] = [];
  readonly byPlatform: Record<AdPlatform, number[]> = { linkedin: [], google: [] };
  /** account-universe clicks per campaign today (filled by the account loop) */
  readonly trackedClicks: Int32Array;
  readonly spend: Record<AdPlatform, number> = { linkedin: 0, google: 0 };
  conversions = 0;
  private late: LateConversion[] = [];
  /** the calendar date of the last day closed and its records per campaign */
  private openDate = '';
  private openRecords: SimAdDay[] = [];

  constructor(private readonly scenario: Scenario, private readonly clock: SimClock) {
    for (const platform of ['linkedin', 'google'] as const) {
      const cfg = scenario.campaigns[platform];
      for (let k = 0; k < cfg.count; k++) {
        this.byPlatform[platform].push(this.campaigns.length);
        this.campaigns.push({
          id: `cmp_${platform === 'linkedin' ? 'li' : 'gg'}_${String(k + 1).padStart(3, '0')}`,
          platform,
          name: `${platform === 'linkedin' ? 'LinkedIn' : 'Google'} ${scenario.topics[k % scenario.topics.length]} ${k + 1}`,
          status: 'ACTIVE',
          dailyBudget: cfg.dailyBudget,
          createdAt: clock.at(0),
        });
      }
    }
    this.trackedClicks = new Int32Array(this.campaigns.length);
  }

  /** a campaign of the platform for an ad signal, or -1 when the platform runs none */
  pick(platform: AdPlatform, rng: Rng): number {
    const list = this.byPlatform[platform];
    return list.length ? list[rng.int(list.length)] : -1;
  }

  /** closes day `day`: one ad_day per campaign, late conversions scheduled */
  closeDay(day: number, rng: Rng, emit: ((e: MarketEvent) => void) | null): void {
    const date = this.clock.date(day);
    const late = this.scenario.lateMetrics;
    for (let k = 0; k < this.campaigns.length; k++) {
      const c = this.campaigns[k];
      const tracked = this.trackedClicks[k];
      this.trackedClicks[k] = 0;
      let impressions: number;
      let clicks: number;
      let cost: number;
      if (c.platform === 'linkedin') {
        const cfg = this.scenario.channels.linkedin;
        impressions = cfg.cpm > 0 ? Math.round((c.dailyBudget / cfg.cpm) * 1000 * rng.range(0.85, 1)) : 0;
        cost = (impressions * cfg.cpm) / 1000;
        clicks = Math.min(impressions, tracked + rng.poisson(impressions * this.scenario.campaigns.linkedin.ctr));
      } else {
        const cfg = this.scenario.campaigns.google;
        clicks = tracked + rng.poisson(cfg.anonymousClicks);
        cost = Math.min(c.dailyBudget, clicks * this.scenario.channels.google.cpc * rng.range(0.8, 1.2));
        impressions = cfg.ctr > 0 ? Math.max(clicks, Math.round((clicks / cfg.ctr) * rng.range(0.8, 1.2))) : clicks;
      }
      const cvr = this.scenario.campaigns[c.platform].conversionRate;
      const total = Math.min(clicks, rng.poisson(clicks * cvr));
      let onTime = 0;
      for (let v = 0; v < total; v++) {
        if (rng.next() < late.share) {
          this.late.push({ dueDay: day + 1 + rng.int(late.maxDelayDays), record: null as unknown as SimAdDay, add: 1 });
        } else onTime++;
      }
      const record = this.recordFor(k, { platform: c.platform, campaignId: c.id, date, impressions, clicks, costMicros: Math.round(cost * 1e6), conversions: onTime });
      for (let j = this.late.length - (total - onTime); j < this.late.length; j++) this.late[j].record = record;
      this.spend[c.platform] += cost;
      this.conversions += total;
      if (emit) emit({ kind: 'ad_day', day: { ...record } });
    }
  }

  /**
   * the campaign's record for the day: a new one, or — when a short simulated day (live mode)
   * falls on the same calendar date as the day before — that date's record with the day added,
   * since the ad platforms keep one row per campaign and date
   */
  private recordFor(k: number, day: SimAdDay): SimAdDay {
    if (day.date !== this.openDate) {
      this.openDate = day.date;
      this.openRecords = [];
    }
    const open = this.openRecords[k];
    if (!open) return (this.openRecords[k] = day);
    open.impressions += day.impressions;
    open.clicks += day.clicks;
    open.costMicros += day.costMicros;
    open.conversions += day.conversions;
    return open;
  }

  /** re-emits the days whose late conversions arrive on `day` */
  releaseLate(day: number, emit: ((e: MarketEvent) => void) | null): void {
    if (!this.late.length) return;
    const touched = new Set<SimAdDay>();
    const keep: LateConversion[] = [];
    for (const l of this.late) {
      if (l.dueDay > day) keep.push(l);
      else {
        l.record.conversions += l.add;
        touched.add(l.record);
      }
    }
    this.late = keep;
    if (emit) for (const r of touched) emit({ kind: 'ad_day', day: { ...r } });
  }
}
