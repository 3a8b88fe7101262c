// `response.overrides`: a scenario can set per segment × persona what the response model would
// otherwise draw (channel lifts, best hour and its width, topic affinity, fatigue), and the ground
// truth follows. Also the per-account overrides (fatigue half-life, cycle scale) and their checks.
import { describe, expect, it } from 'vitest';
import { createMarket, PERSONAS, ScenarioError, SIZES, type GroundTruth, type Scenario } from '../../src/market/index.js';
import { hourMultiplier } from '../../src/market/response-model.js';
import { createStepParams } from '../../src/market/step-params.js';
import { smallScenario } from './helpers.js';

const LINKEDIN_BEST = { channelLift: { email: 0.03, linkedin: 0.4, google: 0.05, sales_task: 0.02 } };

function everyBestChannel(scenario: Scenario, truth: GroundTruth): Set<string> {
  const out = new Set<string>();
  for (const ind of scenario.industries) for (const size of SIZES) for (const p of PERSONAS) out.add(truth.bestChannel(ind.name, size, p));
  return out;
}

function issues(input: Record<string, unknown>): { path: string; message: string }[] {
  try {
    smallScenario(input);
  } catch (e) {
    if (e instanceof ScenarioError) return e.issues;
    throw e;
  }
  return [];
}

describe('response.overrides', () => {
  it('linkedin best for every segment: the ground truth says linkedin everywhere (and not without the override)', () => {
    const plain = smallScenario({ days: 10 });
    expect(everyBestChannel(plain, createMarket(plain).groundTruth()).size).toBeGreaterThan(1);
    const scenario = smallScenario({ days: 10, response: { overrides: [LINKEDIN_BEST] } });
    const market = createMarket(scenario);
    expect([...everyBestChannel(scenario, market.groundTruth())]).toEqual(['linkedin']);
    market.runUntil(2);
    const best = market.groundTruth().bestAction('acc_000001');
    expect(best?.channel).toBe('linkedin');
  });

  it('a best hour of 21 is the hour factor’s peak (and the oracle sends at 21)', () => {
    const scenario = smallScenario({ days: 10, response: { overrides: [{ bestHour: 21, hourWidth: 1.5 }] } });
    const market = createMarket(scenario);
    const model = (market as unknown as { model: { bestHour: Uint8Array; hourWidth: Float64Array } }).model;
    expect([...new Set(model.bestHour)]).toEqual([21]);
    const factors = Array.from({ length: 24 }, (_, h) => hourMultiplier(scenario, 21, h, model.hourWidth[0]));
    expect(factors.indexOf(Math.max(...factors))).toBe(21);
    expect(factors[21]).toBe(1);
    expect(factors[9]).toBeCloseTo(scenario.response.hourFloor, 5); // 12 h away, width 1.5: the floor
    market.runUntil(1);
    expect(market.groundTruth().bestAction('acc_000002')?.sendHour).toBe(21);
  });

  it('narrows by industry, size and persona; later overrides win', () => {
    const scenario = smallScenario({
      days: 10,
      response: {
        overrides: [
          LINKEDIN_BEST,
          { industry: 'fintech', persona: 'champion', channelLift: { google: 0.5 } },
          { industry: 'fintech', size: 'enterprise', persona: 'champion', channelLift: { sales_task: 0.6 } },
        ],
      },
    });
    const truth = createMarket(scenario).groundTruth();
    expect(truth.bestChannel('fintech', 'smb', 'champion')).toBe('google');
    expect(truth.bestChannel('fintech', 'enterprise', 'champion')).toBe('sales_task');
    expect(truth.bestChannel('fintech', 'smb', 'end_user')).toBe('linkedin');
    expect(truth.bestChannel('saas', 'smb', 'champion')).toBe('linkedin');
  });

  it('topic affinity and fatigueK change the answer chance', () => {
    const chance = (extra: Record<string, unknown>, topic: string) => {
      const s = smallScenario({ days: 10, response: { overrides: [{ ...LINKEDIN_BEST, bestHour: 10, ...extra }] } });
      const m = createMarket(s);
      m.runUntil(0);
      return (m as unknown as { probabilityOf(t: object): number }).probabilityOf({ accountId: 'acc_000003', channel: 'linkedin', topic, sendHour: 10, at: m.now() });
    };
    const topic = 'data_privacy';
    const full = chance({ topicAffinity: { [topic]: 1 } }, topic);
    const low = chance({ topicAffinity: { [topic]: 0.2 } }, topic);
    expect(low / full).toBeCloseTo(0.2, 6);
    expect(chance({ fatigueK: 0 }, topic)).toBe(chance({ fatigueK: 5 }, topic)); // no fatigue yet on day 0
  });

  it('fatigue half-life and cycle scale apply per segment (industry × size)', () => {
    const s = smallScenario({ response: { overrides: [{ industry: 'retail', fatigueHalfLifeDays: 1 }, { size: 'enterprise', cycleScale: 2 }] } });
    const p = createStepParams(s);
    const retail = s.industries.findIndex((i) => i.name === 'retail');
    expect(p.segmentFatigueDecay[retail * 3]).toBe(0.5);
    expect(p.segmentFatigueDecay[0]).toBe(Math.pow(0.5, 1 / 7));
    expect(p.segmentCycle[2]).toBe(s.funnel.cycleMultiplier.enterprise * 2);
    expect(p.segmentCycle[1]).toBe(s.funnel.cycleMultiplier.mid);
  });

  it('refuses unknown industries and topics, bad values, and per-persona per-account fields, by path', () => {
    expect(issues({ response: { overrides: [{ industry: 'mining' }] } })[0].path).toBe('response.overrides[0].industry');
    expect(issues({ response: { overrides: [{ topicAffinity: { astrology: 0.5 } }] } })[0].path).toBe('response.overrides[0].topicAffinity.astrology');
    expect(issues({ response: { overrides: [{ topicAffinity: { pricing_roi: 0 } }] } })[0].message).toMatch(/affinity in \(0, 1\]/);
    expect(issues({ response: { overrides: [{ bestHour: 24 }] } })[0]).toEqual({ path: 'response.overrides[0].bestHour', message: 'expected an hour 0..23, got 24' });
    expect(issues({ response: { overrides: [{ channelLift: { fax: 0.2 } }] } })[0].path).toBe('response.overrides[0].channelLift.fax');
    expect(issues({ response: { overrides: [{ persona: 'champion', fatigueHalfLifeDays: 3 }] } })[0].path).toBe('response.overrides[0].fatigueHalfLifeDays');
    expect(issues({ intent: { inMarketShare: 1.5 } })[0].path).toBe('intent.inMarketShare');
  });
});
