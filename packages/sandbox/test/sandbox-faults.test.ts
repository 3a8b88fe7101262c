import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { startSandbox, smallScenarioPath, loadScenario } from '../src/index.js';

describe('scenario faults', () => {
  it('are applied to the emulators they name, and a malformed one names its path', async () => {
    const base = JSON.parse(readFileSync(fileURLToPath(smallScenarioPath), 'utf8'));
    const sandbox = await startSandbox({ scenario: { ...base, faults: { hubspot: { serverErrorRate: 1 } } }, vendors: ['hubspot', 'salesforce'] });
    try {
      const hs = await fetch(`${sandbox.refs['hubspot.url']}/crm/v3/objects/contacts`, { headers: { authorization: `Bearer ${sandbox.refs['hubspot.token']}` } });
      expect(hs.status).toBeGreaterThanOrEqual(500);
      const sf = await fetch(`${sandbox.refs['salesforce.url']}/services/data/v62.0/limits`, { headers: { authorization: `Bearer ${sandbox.refs['salesforce.accessToken']}` } });
      expect(sf.status).toBe(200);
    } finally {
      await sandbox.stop();
    }
    expect(() => loadScenario({ ...base, faults: { hubspot: { serverErrorRate: 2 } } })).toThrow(/faults\.hubspot\.serverErrorRate/);
  });
});
