// Property-based test of the scenario loader (#25 item 9): thousands of generated scenario
// documents, from arbitrary JSON to the default scenario with one value replaced anywhere. Each is
// a scenario or a ScenarioError naming the path; nothing else is ever thrown.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { loadScenario, ScenarioError, smallScenarioPath } from '../src/index.js';

const base = JSON.parse(readFileSync(fileURLToPath(smallScenarioPath), 'utf8')) as Record<string, unknown>;

/** every path of a JSON document (objects and arrays), for replacing one value */
function paths(v: unknown, at: (string | number)[] = []): (string | number)[][] {
  const out: (string | number)[][] = [at];
  if (Array.isArray(v)) v.forEach((x, i) => out.push(...paths(x, [...at, i])));
  else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) out.push(...paths(x, [...at, k]));
  return out;
}
const allPaths = paths(base).filter((p) => p.length > 0);

function replaced(path: (string | number)[], value: unknown): unknown {
  const copy = structuredClone(base) as any;
  let node = copy;
  for (const k of path.slice(0, -1)) node = node[k];
  node[path[path.length - 1]!] = value;
  return copy;
}

const odd = fc.oneof(fc.jsonValue({ maxDepth: 2 }), fc.constantFrom(-1, 0, 1e12, Number.NaN, -0.5, 1.5, '', 'x', null, [], {}, true));

function expectScenarioOrError(input: object): void {
  try {
    loadScenario(input);
  } catch (e) {
    expect(e).toBeInstanceOf(ScenarioError);
    expect((e as ScenarioError).issues.length).toBeGreaterThan(0);
  }
}

describe('fuzz: scenario loader', () => {
  it('arbitrary documents: a scenario or a ScenarioError', () => {
    fc.assert(fc.property(fc.dictionary(fc.string({ maxLength: 10 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 6 }), (doc) => expectScenarioOrError(doc)), { numRuns: 1500, seed: 11 });
  });

  it('the small scenario with one value replaced anywhere: a scenario or a ScenarioError naming a path', () => {
    fc.assert(
      fc.property(fc.constantFrom(...allPaths), odd, (path, value) => expectScenarioOrError(replaced(path, value) as object)),
      { numRuns: 2000, seed: 12 },
    );
  });
});
