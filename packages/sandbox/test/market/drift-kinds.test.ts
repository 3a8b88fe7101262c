// The drift kinds added with per-segment overrides: a channel's lift, the best send hour, a topic's
// affinity and the share of accounts in market change on their day — the ground truth before that
// day is the old market, from it the new one. Also intent sparsity (`intent.inMarketShare`).
import { describe, expect, it } from 'vitest';
import { createMarket, PERSONAS, ScenarioError, SIZES, type Market, type Scenario } from '../../src/market/index.js';
import type { SimMarket } from '../../src/market/market.js';
import { smallScenario } from './helpers.js';

const bestChannels = (scenario: Scenario, market: Market): Set<string> => {
  const truth = market.groundTruth();
  const out = new Set<string>();
  for (const ind of scenario.industries) for (const size of SIZES) for (const p of PERSONAS) out.add(truth.bestChannel(ind.name, size, p));
  return out;
};

const meanIntent = (market: Market): number => {
  const truth = market.groundTruth();
  let sum = 0;
  for (let i = 1; i <= market.scenario.accounts.count; i++) sum += truth.intent(`acc_${String(i).padStart(6, '0')}`) ?? 0;
  return sum / market.scenario.accounts.count;
};

describe('new drift kinds', () => {
  it('channel_lift_change: linkedin becomes best everywhere on day 5, not before', () => {
    const s = smallScenario({ days: 10, drift: [{ day: 5, kind: 'channel_lift_change', channel: 'linkedin', lift: 0.9 }] });
    const market = createMarket(s);
    market.runUntil(4);
    expect(bestChannels(s, market).size).toBeGreaterThan(1);
    market.advanceDay();
    expect([...bestChannels(s, market)]).toEqual(['linkedin']);
    expect(market.groundTruth().driftEvents().map((d) => [d.day, d.event.kind])).toEqual([[5, 'channel_lift_change']]);
  });

  it('best_hour_shift: the oracle sends at 22 from day 5 (one persona in one industry only)', () => {
    const s = smallScenario({ days: 10, drift: [{ day: 5, kind: 'best_hour_shift', to: 22 }, { day: 6, kind: 'best_hour_shift', industry: 'saas', persona: 'champion', to: 3 }] });
    const market = createMarket(s) as SimMarket;
    market.runUntil(4);
    const before = market.groundTruth().bestAction('acc_000001')!.sendHour;
    expect(before).toBeGreaterThanOrEqual(7);
    expect(before).toBeLessThanOrEqual(17);
    market.advanceDay();
    expect(market.groundTruth().bestAction('acc_000001')!.sendHour).toBe(22);
    expect([...new Set(market.model.bestHour)]).toEqual([22]);
    market.advanceDay();
    const saas = s.industries.findIndex((i) => i.name === 'saas');
    const champion = PERSONAS.indexOf('champion');
    for (let seg = 0; seg < market.model.segments; seg++) {
      for (let p = 0; p < PERSONAS.length; p++) {
        expect(market.model.bestHour[seg * PERSONAS.length + p]).toBe(Math.floor(seg / SIZES.length) === saas && p === champion ? 3 : 22);
      }
    }
  });

  it('topic_affinity_change: the topic’s answer chance falls on its day', () => {
    const s = smallScenario({ days: 10, drift: [{ day: 5, kind: 'topic_affinity_change', persona: 'economic_buyer', topic: 'pricing_roi', affinity: 0.05 }] });
    const market = createMarket(s) as SimMarket;
    const chance = () => market.probabilityOf({ accountId: 'acc_000001', contactId: 'con_000001', channel: 'email', topic: 'pricing_roi', sendHour: 10, at: market.now() })!;
    expect(market.population.contacts[0].persona).toBe('economic_buyer');
    market.runUntil(4);
    const before = chance();
    const topic = s.topics.indexOf('pricing_roi');
    const sp = market.population.states[0].segment * PERSONAS.length;
    const affinity = market.model.topicAffinity[sp * market.model.topics + topic];
    market.advanceDay();
    expect(market.model.topicAffinity[sp * market.model.topics + topic]).toBe(0.05);
    expect(chance() / before).toBeCloseTo(0.05 / affinity, 6);
  });

  it('in_market_share_change: a share of 0.1 on day 5 takes ~90% of accounts out of market and their intent down', () => {
    const s = smallScenario({ days: 10, drift: [{ day: 5, kind: 'in_market_share_change', share: 0.1 }] });
    const market = createMarket(s) as SimMarket;
    market.runUntil(4);
    const before = meanIntent(market);
    expect(market.population.states.every((x) => x.inMarket)).toBe(true);
    market.advanceDay();
    const inMarket = market.population.states.filter((x) => x.inMarket).length / s.accounts.count;
    expect(inMarket).toBeGreaterThan(0.03);
    expect(inMarket).toBeLessThan(0.2);
    expect(meanIntent(market)).toBeLessThan(before * 0.5);
  });

  it('drift days must be < days, and topics known', () => {
    const issues = (drift: unknown[]) => {
      try {
        smallScenario({ days: 10, drift });
        return [];
      } catch (e) {
        return (e as ScenarioError).issues;
      }
    };
    expect(issues([{ day: 10, kind: 'best_hour_shift', to: 3 }])[0]).toEqual({ path: 'drift[0].day', message: 'expected a day < days (10), got 10' });
    expect(issues([{ day: 1, kind: 'topic_affinity_change', topic: 'golf', affinity: 0.5 }])[0].path).toBe('drift[0].topic');
    expect(issues([{ day: 1, kind: 'channel_lift_change', channel: 'linkedin', lift: 0.5, industry: 'mining' }])[0].path).toBe('drift[0].industry');
    expect(issues([{ day: 1, kind: 'in_market_share_change', share: 2 }])[0].path).toBe('drift[0].share');
    expect(issues([{ day: 1, kind: 'weather' }])[0].message).toMatch(/in_market_share_change/);
  });
});

describe('intent.inMarketShare', () => {
  it('only that share of accounts is in market; the others’ intent is × outOfMarketFactor; membership is seeded', () => {
    const intent = smallScenario().intent; // small.json's own intent section, which an override must keep
    const all = createMarket(smallScenario({ days: 10 })) as SimMarket;
    const sparse = createMarket(smallScenario({ days: 10, intent: { ...intent, inMarketShare: 0.1, outOfMarketFactor: 0.5 } })) as SimMarket;
    const share = sparse.population.states.filter((x) => x.inMarket).length / 200;
    expect(share).toBeGreaterThan(0.03);
    expect(share).toBeLessThan(0.2);
    sparse.population.states.forEach((x, i) => {
      const expected = x.inMarket ? all.population.states[i].baseIntent : all.population.states[i].baseIntent * 0.5;
      expect(x.baseIntent).toBeCloseTo(expected, 12);
    });
    const again = createMarket(smallScenario({ days: 10, intent: { ...intent, inMarketShare: 0.1 } })) as SimMarket;
    expect(again.population.states.map((x) => x.inMarket)).toEqual(sparse.population.states.map((x) => x.inMarket));
    // a sparse market has fewer high-intent signals over the same days
    all.runUntil(9);
    sparse.runUntil(9);
    expect(sparse.stats().signals).toBeLessThan(all.stats().signals);
  });
});
