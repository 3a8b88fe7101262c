import { describe, expect, it } from 'vitest';
import { createMarket, DAY_MS, type SimOpportunity } from '../../src/market/index.js';
import { recorder, scenarioFile } from './helpers.js';

describe('funnel on the default scenario (2,000 accounts, 90 days)', () => {
  const market = createMarket(scenarioFile('default'));
  const rec = recorder();
  market.subscribe(rec);
  market.runUntil(89);
  const stats = market.stats();
  const latest = new Map<string, SimOpportunity>();
  const created = new Map<string, number>();
  for (const e of rec.events) {
    if (e.kind !== 'opportunity') continue;
    latest.set(e.opportunity.id, e.opportunity);
    if (!created.has(e.opportunity.id)) created.set(e.opportunity.id, e.opportunity.createdAt);
  }

  it('creates opportunities and wins some within 90 days', () => {
    expect(stats.mqls).toBeGreaterThan(stats.sqls);
    expect(stats.sqls).toBeGreaterThan(0);
    expect(stats.opportunitiesCreated).toBeGreaterThan(20);
    expect(stats.closedWon).toBeGreaterThan(0);
    expect(stats.closedLost).toBeGreaterThan(0);
    const won = [...latest.values()].filter((o) => o.isWon);
    expect(won.length).toBe(stats.closedWon);
    expect(won.reduce((s, o) => s + o.amount, 0)).toBe(stats.revenueClosedWon);
  });

  it('counts every deal that reached its win draw at its win chance in the expected revenue', () => {
    // every won deal took the draw at a win rate of at least atZeroIntent; no deal at more than atFullIntent
    const { atZeroIntent, atFullIntent } = scenarioFile('default').funnel.winRate;
    const closed = [...latest.values()].filter((o) => o.isClosed);
    expect(stats.expectedRevenueClosedWon).toBeGreaterThanOrEqual(atZeroIntent * stats.revenueClosedWon);
    expect(stats.expectedRevenueClosedWon).toBeLessThanOrEqual(atFullIntent * closed.reduce((s, o) => s + o.amount, 0));
  });

  it('takes weeks from opportunity to close, with no deal closing on its creation day', () => {
    const lags = [...latest.values()]
      .filter((o) => o.isWon)
      .map((o) => (Date.parse(`${o.closeDate}T23:59:59Z`) - o.createdAt) / DAY_MS);
    expect(Math.min(...lags)).toBeGreaterThan(1);
    expect(lags.reduce((a, b) => a + b, 0) / lags.length).toBeGreaterThan(14);
  });

  it('moves a contact through lifecycle stages before its opportunity exists', () => {
    const mqlAt = new Map<string, number>();
    for (const e of rec.events) if (e.kind === 'contact' && e.contact.lifecycleStage === 'mql' && !mqlAt.has(e.contact.id)) mqlAt.set(e.contact.id, e.contact.updatedAt);
    const lags = [...latest.values()].filter((o) => o.contactId && mqlAt.has(o.contactId)).map((o) => o.createdAt - mqlAt.get(o.contactId!)!);
    expect(lags.length).toBeGreaterThan(10);
    expect(Math.min(...lags)).toBeGreaterThan(0);
  });

  it('sizes deals by company size', () => {
    const size = new Map<string, string>();
    for (const e of rec.events) if (e.kind === 'account') size.set(e.account.id, e.account.size);
    const mean = (s: string) => {
      const xs = [...latest.values()].filter((o) => size.get(o.accountId) === s).map((o) => o.amount);
      return xs.reduce((a, b) => a + b, 0) / xs.length;
    };
    expect(mean('enterprise')).toBeGreaterThan(mean('mid'));
    expect(mean('mid')).toBeGreaterThan(mean('smb'));
  });

  it('runs ad campaigns with daily metrics and gclid clicks tied to accounts', () => {
    const days = rec.events.filter((e) => e.kind === 'ad_day');
    expect(days.length).toBeGreaterThanOrEqual(5 * 90);
    const clicks = rec.events.filter((e) => e.kind === 'click');
    expect(clicks.length).toBeGreaterThan(0);
    for (const c of clicks.slice(0, 50)) if (c.kind === 'click') expect(c.click.accountId).toMatch(/^acc_\d{6}$/);
    expect(stats.adSpend.linkedin).toBeGreaterThan(0);
    expect(stats.adSpend.google).toBeGreaterThan(0);
  });
});
