import { describe, expect, it } from 'vitest';
import { createMarket, PERSONAS, SIZES, type SimAdDay } from '../../src/market/index.js';
import { recorder, smallScenario } from './helpers.js';

describe('drift events', () => {
  it('shift a persona to a channel on the scheduled day, in ground truth', () => {
    const scenario = smallScenario({ drift: [{ day: 10, kind: 'persona_channel_shift', persona: 'champion', to: 'linkedin' }] });
    const market = createMarket(scenario);
    const bests = () =>
      scenario.industries.flatMap((i) => SIZES.map((s) => market.groundTruth().bestChannel(i.name, s, 'champion')));
    market.runUntil(9);
    expect(bests().filter((c) => c !== 'linkedin').length).toBeGreaterThan(0);
    const others = scenario.industries.map((i) => market.groundTruth().bestChannel(i.name, 'mid', 'end_user'));
    expect(market.groundTruth().driftEvents()).toEqual([]);
    market.advanceDay();
    expect(bests().every((c) => c === 'linkedin')).toBe(true);
    expect(scenario.industries.map((i) => market.groundTruth().bestChannel(i.name, 'mid', 'end_user'))).toEqual(others);
    const drifts = market.groundTruth().driftEvents();
    expect(drifts).toHaveLength(1);
    expect(drifts[0].day).toBe(10);
  });

  it('drop an industry\'s intent from the scheduled day', () => {
    const scenario = smallScenario({ drift: [{ day: 20, kind: 'industry_intent_drop', industry: 'fintech', factor: 0.5 }] });
    const market = createMarket(scenario);
    const fintech: string[] = [];
    market.subscribe({ apply: (e) => void (e.kind === 'account' && e.account.industry === 'fintech' && fintech.push(e.account.id)) });
    const meanIntent = () => fintech.reduce((s, id) => s + market.groundTruth().intent(id)!, 0) / fintech.length;
    market.runUntil(19);
    const before = meanIntent();
    market.advanceDay();
    expect(fintech.length).toBeGreaterThan(5);
    expect(meanIntent()).toBeLessThan(before * 0.65);
    market.runUntil(40);
    expect(meanIntent()).toBeLessThan(before * 0.8); // the baseline dropped too: no quick recovery
  });
});

describe('data hygiene and late metrics', () => {
  const market = createMarket(smallScenario({ hygiene: { duplicateRate: 0.2, deletion: { contactDaily: 0.002, opportunityDaily: 0.01 } } }));
  const rec = recorder();
  market.subscribe(rec);
  market.runUntil(89);

  it('emits duplicate contacts that later merge into the original', () => {
    const contactSeen = new Map<string, number>();
    rec.events.forEach((e, k) => e.kind === 'contact' && !contactSeen.has(e.contact.id) && contactSeen.set(e.contact.id, k));
    const merges = rec.events.map((e, k) => [e, k] as const).filter(([e]) => e.kind === 'contact_merged');
    expect(merges.length).toBeGreaterThan(5);
    for (const [e, k] of merges) {
      if (e.kind !== 'contact_merged') continue;
      expect(contactSeen.get(e.loserId)).toBeLessThan(k);
      expect(contactSeen.get(e.winnerId)).toBeLessThan(k);
      expect(e.loserId).not.toBe(e.winnerId);
    }
  });

  it('emits deletions of contacts and opportunities', () => {
    const deleted = rec.events.filter((e) => e.kind === 'deleted');
    expect(deleted.some((e) => e.kind === 'deleted' && e.entity === 'contact')).toBe(true);
    expect(deleted.some((e) => e.kind === 'deleted' && e.entity === 'opportunity')).toBe(true);
    expect(market.stats().deletions).toBe(deleted.length);
  });

  it('re-emits late ad metrics for the same campaign and date with larger conversions', () => {
    const byKey = new Map<string, SimAdDay[]>();
    for (const e of rec.events) if (e.kind === 'ad_day') byKey.set(`${e.day.campaignId}|${e.day.date}`, [...(byKey.get(`${e.day.campaignId}|${e.day.date}`) ?? []), e.day]);
    const late = [...byKey.values()].filter((v) => v.length > 1);
    expect(late.length).toBeGreaterThan(0);
    for (const v of late) {
      for (let k = 1; k < v.length; k++) {
        expect(v[k].conversions).toBeGreaterThan(v[k - 1].conversions);
        expect(v[k].clicks).toBe(v[0].clicks);
      }
    }
  });

  it('keeps personas and sizes within the scenario vocabulary', () => {
    for (const e of rec.events) {
      if (e.kind === 'contact') expect(PERSONAS).toContain(e.contact.persona);
      if (e.kind === 'account') expect(SIZES).toContain(e.account.size);
    }
  });
});
