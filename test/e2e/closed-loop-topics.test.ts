// Day 0 of the closed loop on the sandbox: before any topic has paid, an account that read nothing
// still gets one of the market's topics (the run's default models name the scenario's first topic;
// the local models' own default, 'product', is none of the market's).
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { defaultScenarioPath, loadScenario } from '@revloop/sandbox';
import { defaultModels, startClosedLoop } from '@revloop/evaluation';

describe('the closed loop on day 0', () => {
  it('talks to every account about a topic the market has, read or not', async () => {
    const scenario = loadScenario(readFileSync(fileURLToPath(defaultScenarioPath), 'utf8'));
    const dir = mkdtempSync(join(tmpdir(), 'revloop-topics-'));
    const loop = await startClosedLoop({ scenario, dir, actionsPerDay: 50, models: defaultModels(scenario), reviewer: 'approve' });
    try {
      await loop.step();
      const rows = await loop.runtime.store.db.selectFrom('decisions').select(['output', 'features']).where('step', '=', 'content').execute();
      const unread = rows.filter((row) => Object.keys((JSON.parse(row.features ?? '{}') as { topics?: object }).topics ?? {}).length === 0);
      expect(unread.length).toBeGreaterThan(0); // the case this test is about happened
      const topics = rows.map((row) => (JSON.parse(row.output!) as { topic: string }).topic);
      expect(topics.filter((t) => !scenario.topics.includes(t))).toEqual([]);
    } finally {
      await loop.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
