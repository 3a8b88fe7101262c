// The shipped scenario files simulate exactly what they did before the scenario format grew
// per-segment overrides, intent sparsity and new drift kinds: stats, ground truth and the event
// stream of seeded runs equal the figures recorded before the change (fixtures/seeded-figures.json).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FIXTURE, seededFigures } from './seeded-figures.js';

describe('seeded figures of the existing scenario files', () => {
  it('are unchanged (stats, ground truth, event stream hash)', () => {
    const recorded = JSON.parse(readFileSync(FIXTURE, 'utf8')) as Record<string, unknown>;
    const now = seededFigures();
    expect(Object.keys(now)).toEqual(Object.keys(recorded));
    for (const key of Object.keys(recorded)) expect(now[key], key).toEqual(recorded[key]);
  }, 60_000);
});
