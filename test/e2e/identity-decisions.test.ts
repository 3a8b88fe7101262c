// One customer, one record: a signal that arrives through one connector decides for the account
// known from another (the CRM), and the execution addresses the CRM by its own id.
import { afterEach, describe, expect, it } from 'vitest';
import { createRuntime, parseConfig, runLoopCycle, SimulatedClock, type RevloopConfigInput, type Runtime } from '@revloop/core';
import { tempDir } from './helpers.js';
import { DAY, T0, config, recorder } from './workflow-fixtures.js';

let dir: ReturnType<typeof tempDir>;
afterEach(() => dir?.cleanup());

async function setup(identity: boolean): Promise<Runtime> {
  dir = tempDir();
  const base = config(dir.path, { approvals: { policies: [], regulatedIndustries: [] } }) as Record<string, any>;
  const wf = base.workflows.default;
  const steps = wf.steps.map((s: any) => (s.execute ? { ...s, execute: { email: { ...s.execute.email, input: { ...s.execute.email.input, crmAccount: '{{account.ids.crm}}', crmContact: '{{contact.ids.crm}}' } } } } : s));
  const runtime = await createRuntime(parseConfig({ ...base, identity: { enabled: identity }, workflows: { default: { ...wf, steps } } } as RevloopConfigInput, { env: {} }), { clock: new SimulatedClock(T0) });
  await runtime.store.migrate();
  return runtime;
}

/** the CRM knows the company and the person, but sees no activity; a webinar platform sees the person attend */
async function ingest(rt: Runtime) {
  const put = (system: string, entityType: 'account' | 'contact' | 'signal', records: any[]) => rt.store.applyBatch({ system, entityType, records, syncedAt: T0 });
  await put('crm', 'account', [{ systemId: 'A9', fields: { name: 'Acme Corp', domain: 'acme.test', industry: 'fintech' } }]);
  await put('crm', 'contact', [{ systemId: 'C9', fields: { email: 'jane.roe@acme.test', persona: 'champion' }, links: { account: 'A9' } }]);
  await put('webinar', 'account', [{ systemId: 'org-1', fields: { name: 'ACME', domain: 'https://www.Acme.test/' } }]);
  await put('webinar', 'contact', [{ systemId: 'att-1', fields: { email: 'Jane.Roe+webinar@ACME.test' }, links: { account: 'org-1' } }]);
  await put('webinar', 'signal', [
    { systemId: 'w1', fields: { type: 'demo_visit', occurred_at: T0 - DAY }, links: { account: 'org-1', contact: 'att-1' } },
    { systemId: 'w2', fields: { type: 'pricing_visit', occurred_at: T0 - DAY / 2 }, links: { account: 'org-1', contact: 'att-1' } },
  ]);
  return { written: { webinar: 2 }, failures: [], ms: 0 };
}

describe('decisions read the resolved customer', () => {
  it('a webinar signal decides for the CRM account, and the CRM is addressed by its own ids', async () => {
    const runtime = await setup(true);
    const rec = recorder();
    const cycle = await runLoopCycle(runtime, { ingest, executor: rec.executor });
    expect(cycle.identity?.accounts).toMatchObject({ rows: 2, entities: 1 });
    expect(cycle.identity?.contacts).toMatchObject({ rows: 2, entities: 1 });
    expect(cycle.runs.default).toMatchObject({ accounts: 1, executed: 1 });
    expect(rec.calls).toHaveLength(1);
    expect(rec.calls[0]!.input).toMatchObject({ crmAccount: 'A9', crmContact: 'C9' });
    // the decision names the resolved account, whose rows are the CRM's and the webinar platform's
    const decision = await runtime.store.db.selectFrom('decisions').select(['account_id']).where('status', '=', 'executed').executeTakeFirstOrThrow();
    const rows = await runtime.store.db.selectFrom('accounts').select(['source_system']).where('resolved_id', '=', decision.account_id).execute();
    expect(rows.map((r) => r.source_system).sort()).toEqual(['crm', 'webinar']);
    await runtime.close();
  });

  it('without identity resolution the same signal never reaches the CRM account (the control)', async () => {
    const runtime = await setup(false);
    const rec = recorder();
    const cycle = await runLoopCycle(runtime, { ingest, executor: rec.executor });
    expect(cycle.identity).toBeUndefined();
    // the webinar's own account is decided; it has no CRM id to address
    expect(rec.calls).toHaveLength(1);
    expect((rec.calls[0]!.input as { crmAccount?: string }).crmAccount ?? '').toBe('');
    await runtime.close();
  });
});
