// Typed custom fields: declared in the config (or by a connector), read from the resolved
// account's attributes, coerced to their type, and filled into an action's input.
import { afterEach, describe, expect, it } from 'vitest';
import { createRuntime, customFieldRegistry, parseConfig, RevloopError, runLoopCycle, SimulatedClock, type RevloopConfigInput, type Runtime } from '@revloop/core';
import { tempDir } from './helpers.js';
import { DAY, T0, config, recorder } from './workflow-fixtures.js';

let dir: ReturnType<typeof tempDir>;
afterEach(() => dir?.cleanup());

function configWith(input: Record<string, string>, customFields: unknown) {
  dir = tempDir();
  const base = config(dir.path, { approvals: { policies: [], regulatedIndustries: [] } }) as Record<string, any>;
  const wf = base.workflows.default;
  const steps = wf.steps.map((s: any) => (s.execute ? { ...s, execute: { email: { ...s.execute.email, input: { ...s.execute.email.input, ...input } } } } : s));
  return parseConfig({ ...base, customFields, workflows: { default: { ...wf, steps } } } as RevloopConfigInput, { env: {} });
}

async function ingest(rt: Runtime) {
  const put = (system: string, entityType: 'account' | 'contact' | 'signal', records: any[]) => rt.store.applyBatch({ system, entityType, records, syncedAt: T0 });
  await put('crm', 'account', [{ systemId: 'A1', fields: { name: 'Acme', domain: 'acme.test', industry: 'fintech' }, attributes: { arr: '1,200,000', renewal: '2026-03-01T00:00:00Z', strategic: 'yes' } }]);
  await put('crm', 'contact', [{ systemId: 'C1', fields: { email: 'ann@acme.test', persona: 'champion' }, attributes: { nps: 'not asked' }, links: { account: 'A1' } }]);
  await put('crm', 'signal', [{ systemId: 's1', fields: { type: 'demo_visit', occurred_at: T0 - DAY }, links: { account: 'A1' } }]);
  return { written: { crm: 3 }, failures: [], ms: 0 };
}

describe('custom fields', () => {
  it('fills {{account.custom.*}} and {{contact.custom.*}} with typed values from the attributes', async () => {
    const loaded = configWith(
      { arr: '{{account.custom.annual_revenue}}', renewal: '{{account.custom.renewal}}', strategic: '{{account.custom.strategic}}', nps: '{{contact.custom.nps}}' },
      { account: { annual_revenue: { type: 'number', attribute: 'arr' }, renewal: { type: 'date' }, strategic: { type: 'boolean' } }, contact: { nps: { type: 'number' } } },
    );
    const runtime = await createRuntime(loaded, { clock: new SimulatedClock(T0) });
    await runtime.store.migrate();
    const rec = recorder();
    await runLoopCycle(runtime, { ingest, executor: rec.executor });
    expect(rec.calls).toHaveLength(1);
    // a value that is not of the type is null, never a wrong number
    expect(rec.calls[0]!.input).toMatchObject({ arr: 1200000, renewal: '2026-03-01', strategic: true, nps: null });
    await runtime.close();
  });

  it('refuses a placeholder for a custom field nobody declared, with the path', async () => {
    const loaded = configWith({ arr: '{{account.custom.arr}}' }, { account: { annual_revenue: { type: 'number', attribute: 'arr' } } });
    const refused = await createRuntime(loaded).then(() => undefined, (e: unknown) => e as RevloopError);
    expect(refused?.message).toMatch(/placeholder \{\{account\.custom\.arr\}\} cannot be filled/);
    expect(refused?.where).toMatch(/workflows\.default\.steps\.\d+\.execute\.email\.input\.arr/);
    expect(refused?.fix).toContain('{{account.custom.annual_revenue}}');
  });

  it('refuses one field declared with two types by a connector and the config', () => {
    const connectors = new Map([['crm', { name: 'crm', enabled: true, definition: { customFields: { account: { arr: { type: 'string' } } } } }]]) as never;
    try {
      customFieldRegistry({ customFields: { account: { arr: { type: 'number' } }, contact: {} } }, { connectors });
      throw new Error('accepted');
    } catch (e) {
      expect(e).toBeInstanceOf(RevloopError);
      expect((e as RevloopError).message).toMatch(/account\.arr is declared as string by connector crm and as number by config/);
      expect((e as RevloopError).exitCode).toBe(2);
    }
  });
});

describe('identity mapping fields', () => {
  it('a mapping field that names no declared account field is refused at start with the path; declared, it loads', async () => {
    const identity = { accounts: { mappingFields: [{ system: 'crm', attribute: 'sfdc_id', refersTo: 'crm2' }] } };
    dir = tempDir();
    const base = config(dir.path, { approvals: { policies: [], regulatedIndustries: [] } }) as Record<string, any>;
    const connectors = { ...base.connectors, crm2: base.connectors.crm };
    const refused = await createRuntime(parseConfig({ ...base, connectors, identity } as RevloopConfigInput, { env: {} })).then(() => undefined, (e: unknown) => e as RevloopError);
    expect(refused?.code).toBe('IDENTITY_MAPPING_FIELD_UNKNOWN');
    expect(refused?.where).toBe('identity.accounts.mappingFields.0.attribute');
    expect(refused?.exitCode).toBe(2);
    expect(refused?.fix).toMatch(/customFields: \{ account: \{ sfdc_id/);
    const runtime = await createRuntime(parseConfig({ ...base, connectors, identity, customFields: { account: { sfdc_id: { type: 'string' } } } } as RevloopConfigInput, { env: {} }));
    await runtime.close();
  });
});
