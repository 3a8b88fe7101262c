import { describe, expect, it } from 'vitest';
import { loadScenario, ScenarioError, scenarioSchema } from '../../src/market/index.js';
import { scenarioFile } from './helpers.js';

function errorOf(input: unknown): ScenarioError {
  try {
    loadScenario(input as object);
  } catch (e) {
    if (e instanceof ScenarioError) return e;
    throw e;
  }
  throw new Error('expected a ScenarioError');
}

describe('scenario file', () => {
  it('fills every parameter from defaults', () => {
    const s = loadScenario({});
    expect(s.days).toBe(90);
    expect(s.accounts.count).toBe(2000);
    expect(s.funnel.stageDays.discovery).toBeGreaterThan(0);
    expect(s.industries.some((i) => i.regulated)).toBe(true);
    expect(scenarioSchema.parse({})).toEqual(s);
  });

  it('keeps given values and defaults their siblings', () => {
    const s = loadScenario('{"accounts":{"count":12},"funnel":{"sql":{"dailyProbability":0.5}}}');
    expect(s.accounts.count).toBe(12);
    expect(s.accounts.sizeMix.smb).toBe(0.6);
    expect(s.funnel.sql).toEqual({ intentThreshold: 0.35, dailyProbability: 0.5 });
  });

  it('names the path and the bad value', () => {
    expect(errorOf({ accounts: { count: -3 } }).message).toContain('accounts.count: expected a positive integer, got -3');
    expect(errorOf({ funnel: { winRate: { atFullIntent: 1.5 } } }).issues[0]).toEqual({
      path: 'funnel.winRate.atFullIntent',
      message: 'expected a probability in [0, 1], got 1.5',
    });
    expect(errorOf({ industries: [{ name: 'saas', wieght: 2 }] }).issues[0].path).toBe('industries[0].wieght');
    expect(errorOf({ drift: [{ day: 3, kind: 'industry_intent_drop', industry: 'mining', factor: 0.5 }] }).issues[0].path).toBe(
      'drift[0].industry',
    );
    expect(errorOf({ days: 10, drift: [{ day: 12, kind: 'persona_channel_shift', persona: 'champion', to: 'email' }] }).issues[0].path).toBe(
      'drift[0].day',
    );
    expect(errorOf({ startDate: '2025-13-45' }).issues[0].path).toBe('startDate');
  });

  it('rejects text that is not JSON', () => {
    expect(() => loadScenario('{nope')).toThrow(/not valid JSON/);
  });

  it('ships default.json (~2,000 accounts, 90 days) and small.json (~200 accounts)', () => {
    const def = scenarioFile('default');
    expect(def.accounts.count).toBe(2000);
    expect(def.days).toBe(90);
    expect(def.drift.length).toBeGreaterThan(0);
    expect(scenarioFile('small').accounts.count).toBe(200);
  });
});
