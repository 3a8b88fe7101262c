import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { loadScenario, type MarketEvent, type Scenario } from '../../src/market/index.js';

export function scenarioFile(name: 'default' | 'small'): Scenario {
  return loadScenario(readFileSync(fileURLToPath(new URL(`../../scenarios/${name}.json`, import.meta.url)), 'utf8'));
}

export function smallScenario(overrides: Record<string, unknown> = {}): Scenario {
  const base = JSON.parse(readFileSync(fileURLToPath(new URL('../../scenarios/small.json', import.meta.url)), 'utf8'));
  return loadScenario({ ...base, ...overrides });
}

export function recorder(): { events: MarketEvent[]; apply(e: MarketEvent): void } {
  const events: MarketEvent[] = [];
  return { events, apply: (e) => void events.push(e) };
}
