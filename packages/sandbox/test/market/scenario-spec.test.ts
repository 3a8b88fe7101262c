// loadScenarioSpec: a scenario file's path or `gen:<seed>`, as users write it after --scenario or
// in the config's sandbox.scenario; a bad spec names what is wrong and how to fix it.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { generateScenario, loadScenarioSpec, ScenarioError, ScenarioNotFoundError } from '../../src/market/index.js';
import { scenarioFile } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'revloop-spec-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('loadScenarioSpec', () => {
  it('reads a scenario file by path', () => {
    expect(loadScenarioSpec(fileURLToPath(new URL('../../scenarios/small.json', import.meta.url)))).toEqual(scenarioFile('small'));
  });

  it('gen:<seed> is the generated market of that seed', () => {
    expect(loadScenarioSpec('gen:12')).toEqual(generateScenario(12));
    expect(loadScenarioSpec('gen:12').seed).toBe(12);
  });

  it('a missing file is a ScenarioNotFoundError with a fix; bad content or a bad gen: spec a ScenarioError with the path', () => {
    expect(() => loadScenarioSpec(join(dir, 'nope.json'))).toThrow(ScenarioNotFoundError);
    try {
      loadScenarioSpec(join(dir, 'nope.json'));
    } catch (e) {
      expect((e as ScenarioNotFoundError).code).toBe('SCENARIO_NOT_FOUND');
      expect((e as ScenarioNotFoundError).message).toMatch(/nope\.json cannot be read \(ENOENT\)/);
      expect((e as ScenarioNotFoundError).fix).toMatch(/gen:<seed>/);
    }
    writeFileSync(join(dir, 'bad.json'), JSON.stringify({ response: { overrides: [{ bestHour: 25 }] } }));
    expect(() => loadScenarioSpec(join(dir, 'bad.json'))).toThrow(/response\.overrides\[0\]\.bestHour: expected an hour 0\.\.23, got 25/);
    expect(() => loadScenarioSpec('gen:twelve')).toThrow(ScenarioError);
  });
});
