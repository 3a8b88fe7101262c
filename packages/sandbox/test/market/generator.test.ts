// Generated markets: deterministic per seed, valid, runnable, and — across seeds nobody tuned on —
// covering what real markets do (email not the best channel, best hours at the day's edges, sparse
// intent, drift). Out-of-range generator ranges are refused with the path and the allowed range.
import { describe, expect, it } from 'vitest';
import { CHANNELS, createMarket, DEFAULT_RANGES, generateScenario, loadScenario, PERSONAS, ScenarioError, scenarioSchema, SIZES, type Scenario } from '../../src/market/index.js';

const SEEDS = Array.from({ length: 100 }, (_, k) => 1000 + k);

/** the channel that is best for the most segment × persona pairs, by the ground truth on day 0 */
function mostCommonBestChannel(scenario: Scenario): string {
  const market = createMarket(scenario);
  const truth = market.groundTruth();
  const counts = new Map<string, number>();
  for (const ind of scenario.industries) for (const size of SIZES) for (const p of PERSONAS) {
    const c = truth.bestChannel(ind.name, size, p);
    counts.set(c, (counts.get(c) ?? 0) + 1);
  }
  return [...counts.entries()].sort((a, b) => b[1] - a[1] || CHANNELS.indexOf(a[0] as never) - CHANNELS.indexOf(b[0] as never))[0][0];
}

function caught(fn: () => unknown): ScenarioError {
  try {
    fn();
  } catch (e) {
    if (e instanceof ScenarioError) return e;
    throw e;
  }
  throw new Error('expected a ScenarioError');
}

describe('generateScenario', () => {
  it('is deterministic per seed, and different seeds draw different markets', () => {
    expect(JSON.stringify(generateScenario(1234))).toBe(JSON.stringify(generateScenario(1234)));
    expect(JSON.stringify(generateScenario(1235))).not.toBe(JSON.stringify(generateScenario(1234)));
    expect(generateScenario(1234).seed).toBe(1234);
    // the same market events too
    const events = (s: Scenario) => {
      const m = createMarket(s);
      const out: string[] = [];
      m.subscribe({ apply: (e) => void out.push(JSON.stringify(e)) });
      m.runUntil(3);
      return out.join('\n');
    };
    expect(events(generateScenario(77, { accounts: { min: 50, max: 80 } }))).toBe(events(generateScenario(77, { accounts: { min: 50, max: 80 } })));
  });

  it('`gen:<seed>` loads the same market; a malformed spec names `spec`', () => {
    expect(loadScenario('gen:1234')).toEqual(generateScenario(1234));
    for (const bad of ['gen:', 'gen:abc', 'gen:-1', 'gen:1.5', 'gen:99999999999']) {
      const e = caught(() => loadScenario(bad));
      expect(e.issues[0].path, bad).toBe('spec');
      expect(e.message).toMatch(/gen:<seed>/);
    }
  });

  it('every market of seeds 1000–1099 passes the schema and runs 5 days', () => {
    for (const seed of SEEDS) {
      const s = generateScenario(seed);
      expect(scenarioSchema.safeParse(s).success, `seed ${seed}`).toBe(true);
      expect(loadScenario(JSON.parse(JSON.stringify(s)))).toEqual(s); // a generated scenario is a valid scenario file
      const market = createMarket({ ...s, accounts: { ...s.accounts, count: Math.min(s.accounts.count, 150) } });
      market.runUntil(4);
      expect(market.day).toBe(4);
      expect(market.stats().signals, `seed ${seed}`).toBeGreaterThan(0);
    }
  }, 120_000);

  it('covers each feature across seeds 1000–1099', () => {
    const markets = SEEDS.map((seed) => generateScenario(seed));
    const notEmail = markets.filter((s) => mostCommonBestChannel(s) !== 'email').length / markets.length;
    expect(notEmail).toBeGreaterThan(0.2);
    const hours = markets.flatMap((s) => (s.response.overrides ?? []).flatMap((o) => (o.bestHour === undefined ? [] : [o.bestHour])));
    expect(hours.some((h) => h < 7)).toBe(true);
    expect(hours.some((h) => h > 18)).toBe(true);
    expect(markets.some((s) => (s.intent.inMarketShare ?? 1) < 0.15)).toBe(true);
    expect(markets.some((s) => s.drift.length === 2)).toBe(true);
    expect(markets.some((s) => s.drift.length === 0)).toBe(true);
    expect(markets.every((s) => s.drift.length <= 2)).toBe(true);
    // long cycles: some markets' stage durations are at least twice the default's
    expect(markets.some((s) => s.funnel.cycleMultiplier.mid >= 2)).toBe(true);
    // the new drift kinds are drawn
    const kinds = new Set(markets.flatMap((s) => s.drift.map((d) => d.kind)));
    for (const k of ['channel_lift_change', 'best_hour_shift', 'topic_affinity_change', 'in_market_share_change']) expect(kinds, k).toContain(k);
  }, 60_000);

  it('draws within the ranges a caller gives', () => {
    for (const seed of SEEDS.slice(0, 20)) {
      const s = generateScenario(seed, { bestHour: { min: 20, max: 22 }, inMarketShare: { min: 0.05, max: 0.1 }, driftEvents: { min: 2, max: 2 }, days: { min: 30, max: 30 } });
      for (const o of s.response.overrides ?? []) if (o.bestHour !== undefined) expect(o.bestHour).toBeGreaterThanOrEqual(20);
      expect(s.intent.inMarketShare).toBeLessThanOrEqual(0.1);
      expect(s.drift).toHaveLength(2);
      expect(s.days).toBe(30);
      for (const d of s.drift) expect(d.day).toBeLessThan(30);
    }
    expect(DEFAULT_RANGES.bestHour).toEqual({ min: 5, max: 22 });
  });

  it('refuses out-of-range ranges with the path and the allowed range', () => {
    const hour = caught(() => generateScenario(1, { bestHour: { min: 5, max: 30 } }));
    expect(hour.code).toBe('SCENARIO_INVALID');
    expect(hour.issues[0]).toEqual({ path: 'ranges.bestHour.max', message: 'expected a whole number in [0, 23] (the allowed range of ranges.bestHour), got 30' });
    const share = caught(() => generateScenario(1, { inMarketShare: { min: -0.1, max: 0.5 } }));
    expect(share.issues[0].path).toBe('ranges.inMarketShare.min');
    expect(share.message).toMatch(/\[0\.01, 1\]/);
    expect(caught(() => generateScenario(1, { driftEvents: { min: 2, max: 1 } })).issues[0]).toEqual({ path: 'ranges.driftEvents', message: 'expected min <= max, got {"min":2,"max":1}' });
    expect(caught(() => generateScenario(1, { driftEvents: { min: 0, max: 1.5 } })).issues[0].path).toBe('ranges.driftEvents.max');
    expect(caught(() => generateScenario(1, { colour: { min: 0, max: 1 } } as never)).issues[0].path).toBe('ranges.colour');
    expect(caught(() => generateScenario(-1)).issues[0].path).toBe('seed');
  });
});
