// docs/scenario.md keeps up with the code: each JSON example is a valid scenario, every drift kind
// and override field is documented, and the "Generated markets" table lists every generator range
// with its actual default and bounds.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { DEFAULT_RANGES, DRIFT_KINDS, loadScenario, RANGE_BOUNDS } from '../../src/market/index.js';

const doc = readFileSync(fileURLToPath(new URL('../../docs/scenario.md', import.meta.url)), 'utf8');

describe('docs/scenario.md', () => {
  it('every JSON example is a valid scenario', () => {
    const blocks = [...doc.matchAll(/```json\n([\s\S]*?)```/g)].map((m) => m[1]);
    expect(blocks.length).toBeGreaterThanOrEqual(4);
    for (const b of blocks) expect(() => loadScenario(b), b).not.toThrow();
  });

  it('documents every drift kind and override field', () => {
    for (const kind of DRIFT_KINDS) expect(doc).toContain(`kind: '${kind}'`);
    for (const field of ['channelLift', 'bestHour', 'hourWidth', 'topicAffinity', 'fatigueK', 'fatigueHalfLifeDays', 'cycleScale', 'inMarketShare', 'outOfMarketFactor']) {
      expect(doc).toContain(`"${field}"`); // in an example
    }
  });

  it('lists every generator range with its default and allowed bounds', () => {
    for (const [key, r] of Object.entries(DEFAULT_RANGES)) {
      const b = RANGE_BOUNDS[key as keyof typeof RANGE_BOUNDS];
      expect(doc).toContain(`| \`${key}\` | ${r.min}..${r.max} | ${b.int ? 'whole ' : ''}${b.lo}..${b.hi} |`);
    }
  });
});
