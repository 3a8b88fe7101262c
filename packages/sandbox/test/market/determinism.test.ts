import { describe, expect, it } from 'vitest';
import { createMarket } from '../../src/market/index.js';
import { recorder, smallScenario } from './helpers.js';

function run(seed: number) {
  const market = createMarket(smallScenario({ seed, days: 30 }));
  const rec = recorder();
  market.subscribe(rec);
  market.runUntil(29);
  return { events: rec.events, stats: market.stats() };
}

describe('determinism', () => {
  it('same seed → identical events', () => {
    const a = run(11);
    const b = run(11);
    expect(a.events.length).toBeGreaterThan(1000);
    expect(JSON.stringify(b.events)).toBe(JSON.stringify(a.events));
  });

  it('different seed → different events', () => {
    expect(JSON.stringify(run(12).events)).not.toBe(JSON.stringify(run(11).events));
  });

  it('sinks do not change the simulation', () => {
    const quiet = createMarket(smallScenario({ seed: 11, days: 30 }));
    quiet.runUntil(29);
    const { signals, events, ...rest } = quiet.stats();
    const loud = run(11).stats;
    expect({ ...loud, signals: 0, events: 0 }).toEqual({ ...rest, signals: 0, events: 0 });
    expect(signals).toBe(loud.signals);
    expect(events).toBe(0);
  });

  it('time is simulated: now() follows the days from startDate', () => {
    const market = createMarket(smallScenario({ startDate: '2025-03-01' }));
    expect(new Date(market.now()).toISOString()).toBe('2025-03-01T00:00:00.000Z');
    market.runUntil(2);
    expect(market.day).toBe(2);
    expect(new Date(market.now()).toISOString()).toBe('2025-03-04T00:00:00.000Z');
  });
});
