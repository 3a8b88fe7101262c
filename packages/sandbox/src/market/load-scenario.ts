// Parses a scenario (JSON text, an object, or a generated market's spec `gen:<seed>`) and turns zod
// issues into errors that name the path of the bad field and the value found there.
import { generatedFromSpec, GEN_PREFIX } from './generator.js';
import { formatPath, ScenarioError, type ScenarioIssue } from './scenario-error.js';
import { scenarioSchema, type Scenario } from './scenario-schema.js';

export { formatPath, ScenarioError, type ScenarioIssue } from './scenario-error.js';

function valueAt(root: unknown, path: readonly PropertyKey[]): { found: boolean; value: unknown } {
  let cur: unknown = root;
  for (const key of path) {
    if (cur === null || typeof cur !== 'object' || !(key in (cur as object))) return { found: false, value: undefined };
    cur = (cur as Record<PropertyKey, unknown>)[key];
  }
  return { found: true, value: cur };
}

function describe(value: unknown): string {
  const text = JSON.stringify(value);
  return text === undefined ? String(value) : text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/** JSON text, an object, or `gen:<seed>` (generateScenario(seed) with the default ranges) */
export function loadScenario(input: string | object = {}): Scenario {
  let raw: unknown = input;
  if (typeof input === 'string' && input.trimStart().startsWith(GEN_PREFIX)) return generatedFromSpec(input.trim());
  if (typeof input === 'string') {
    try {
      raw = JSON.parse(input);
    } catch (e) {
      throw new ScenarioError([{ path: '', message: `not valid JSON (${(e as Error).message})` }]);
    }
  }
  const result = scenarioSchema.safeParse(raw);
  if (result.success) return result.data;
  const issues = result.error.issues.map((issue): ScenarioIssue => {
    const path = formatPath(issue.path);
    if (issue.code === 'unrecognized_keys') {
      return { path: formatPath([...issue.path, issue.keys[0]]), message: `unknown field (known fields are documented in docs/scenario.md)` };
    }
    const at = valueAt(raw, issue.path);
    return { path, message: at.found ? `${issue.message}, got ${describe(at.value)}` : issue.message };
  });
  throw new ScenarioError(issues);
}

/** the default market: every parameter at its default */
export function defaultScenario(): Scenario {
  return loadScenario({});
}
