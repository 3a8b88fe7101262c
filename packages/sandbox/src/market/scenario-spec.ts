// A scenario spec, as a user writes it (`--scenario`, the config's `sandbox.scenario`): the path
// of a scenario JSON file, or `gen:<seed>` for a generated market (generator.ts).
import { readFileSync } from 'node:fs';
import { GEN_PREFIX } from './generator.js';
import { loadScenario } from './load-scenario.js';
import type { Scenario } from './scenario-schema.js';

/** the spec names a file that cannot be read */
export class ScenarioNotFoundError extends Error {
  readonly code = 'SCENARIO_NOT_FOUND';
  readonly fix = 'pass the path of a scenario JSON file, or gen:<seed> for a generated market (packages/sandbox/docs/scenario.md)';
  constructor(readonly file: string, cause: unknown) {
    super(`scenario file ${file} cannot be read (${(cause as NodeJS.ErrnoException).code ?? String(cause)})`, { cause });
    this.name = 'ScenarioNotFoundError';
  }
}

export const isGeneratedSpec = (spec: string): boolean => spec.trimStart().startsWith(GEN_PREFIX);

/**
 * `gen:<seed>` → the generated market; anything else → the scenario file at that path. Throws a
 * ScenarioError (bad content or bad `gen:` spec) or a ScenarioNotFoundError (unreadable file).
 */
export function loadScenarioSpec(spec: string): Scenario {
  if (isGeneratedSpec(spec)) return loadScenario(spec);
  let text: string;
  try {
    text = readFileSync(spec, 'utf8');
  } catch (e) {
    throw new ScenarioNotFoundError(spec, e);
  }
  return loadScenario(text);
}
