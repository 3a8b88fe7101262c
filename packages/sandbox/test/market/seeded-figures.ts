// The figures of a few seeded runs of the shipped scenario files: market stats, ground truth and a
// hash of the event stream. Recorded once (fixtures/seeded-figures.json, before the scenario format
// grew overrides, intent sparsity and new drift kinds) and asserted by seeded-figures.test.ts, so
// that no extension of the format changes what an existing scenario file simulates.
// Re-record only on purpose: `npx tsx packages/sandbox/test/market/seeded-figures.ts --write`.
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createMarket, oraclePolicy, PERSONAS, rulesBaselinePolicy, simulatePolicy, SIZES, type Scenario } from '../../src/market/index.js';
import { scenarioFile } from './helpers.js';

export const FIXTURE = fileURLToPath(new URL('./fixtures/seeded-figures.json', import.meta.url));

function truthFigures(scenario: Scenario, days: number): Record<string, unknown> {
  const market = createMarket(scenario);
  const hash = createHash('sha256');
  market.subscribe({ apply: (e) => void hash.update(JSON.stringify(e)) });
  market.runUntil(days - 1);
  const truth = market.groundTruth();
  const best: string[] = [];
  for (const ind of scenario.industries) for (const size of SIZES) for (const p of PERSONAS) best.push(truth.bestChannel(ind.name, size, p));
  const ids = ['acc_000001', 'acc_000002', 'acc_000003', 'acc_000050', 'acc_000150'];
  return {
    stats: market.stats(),
    events: hash.digest('hex'),
    bestChannels: best.join(','),
    intent: ids.map((id) => truth.intent(id)),
    propensity: ids.map((id) => truth.propensity(id, 8)),
    bestAction: ids.map((id) => truth.bestAction(id)),
    drift: truth.driftEvents(),
  };
}

function policyFigures(scenario: Scenario, days: number, oracle: boolean): Record<string, unknown> {
  const r = simulatePolicy(scenario, oracle ? oraclePolicy() : rulesBaselinePolicy(), { days, actionsPerDay: 10 });
  return { answerChance: r.answerChance, choices: r.choices, bySize: r.bySize, byFunnel: r.byFunnel, stats: r.stats };
}

/** every figure, keyed by run; JSON round-trip so that the comparison is the file's */
export function seededFigures(): Record<string, unknown> {
  const def = scenarioFile('default');
  const small = scenarioFile('small');
  return JSON.parse(
    JSON.stringify({
      'small seed 7, 90 days, no policy': truthFigures(small, 90),
      'small seed 11, 40 days, no policy': truthFigures({ ...small, seed: 11 }, 40),
      'small seed 7, 90 days, rules baseline': policyFigures(small, 90, false),
      'small seed 7, 30 days, oracle': policyFigures(small, 30, true),
      'default seed 42, 90 days, no policy': truthFigures(def, 90),
      'default seed 42, 90 days, rules baseline': policyFigures(def, 90, false),
    }),
  );
}

if (process.argv.includes('--write')) {
  writeFileSync(FIXTURE, `${JSON.stringify(seededFigures(), null, 1)}\n`);
  process.stdout.write(`wrote ${FIXTURE}\n`);
}
