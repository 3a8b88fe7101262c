// The decision log as people inspect it (@revloop/core's decision-view and approval-detail), over a
// log the real engine wrote (decision-fixture.ts): list filters, one decision in full with its
// steps in the order they ran, the message an approver sees, and what an approval's execution did.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { approvalDetail, decideApproval, listDecisions, parseDecisionStatus, parseTimeBound, showDecision, type Executor } from '@revloop/core';
import { buildDecisionLog, FINAL_BODY, FIRST_BODY, INTENT_VERSION, RUN_ERROR, SUBJECT, type DecisionFixture } from './decision-fixture.js';
import { tempDir } from './helpers.js';

const HOUR = 3_600_000;
let dir: ReturnType<typeof tempDir>;
let fx: DecisionFixture;

beforeAll(async () => {
  dir = tempDir('revloop-decision-view-');
  fx = await buildDecisionLog(dir.path);
});
afterAll(async () => {
  await fx?.runtime.close();
  dir?.cleanup();
});

const accounts = (list: { accountId: string | null }[]) => list.map((d) => d.accountId!.slice(-2)).sort();

describe('listDecisions', () => {
  it('one line per account decision, filtered by status, account, workflow and time', async () => {
    const all = await listDecisions(fx.runtime);
    expect(accounts(all)).toEqual(['A1', 'A2', 'A3', 'A4', 'A5']);
    expect(Object.fromEntries(all.map((d) => [d.accountId!.slice(-2), d.status]))).toEqual({ A1: 'executed', A2: 'pending_approval', A3: 'no_action', A4: 'failed', A5: 'pending_approval' });
    expect(accounts(await listDecisions(fx.runtime, { status: 'pending_approval' }))).toEqual(['A2', 'A5']);
    expect(accounts(await listDecisions(fx.runtime, { accountId: 'acct_crm_A4' }))).toEqual(['A4']);
    expect(accounts(await listDecisions(fx.runtime, { accountId: 'acct_crm_A4', status: 'executed' }))).toEqual([]);
    expect(await listDecisions(fx.runtime, { workflow: 'other' })).toEqual([]);
    expect(await listDecisions(fx.runtime, { since: fx.at + 1 })).toEqual([]);
    expect(await listDecisions(fx.runtime, { until: fx.at })).toEqual([]);
    expect(accounts(await listDecisions(fx.runtime, { since: fx.at, until: fx.at + 1 }))).toHaveLength(5);
    expect(await listDecisions(fx.runtime, { limit: 2 })).toHaveLength(2);
  });

  it('a line carries the action, the class, the cost over every step, the outcome and why it did not execute', async () => {
    const byAccount = Object.fromEntries((await listDecisions(fx.runtime)).map((d) => [d.accountId!.slice(-2), d]));
    // two message drafts at 1,000 micros each
    expect(byAccount.A1).toMatchObject({ id: fx.decisions.A1, endStep: 'execute', channel: 'email', connector: 'crm', action: 'enroll', approvalState: 'not_required', costMicros: 2000 });
    expect(byAccount.A1!.outcomes.map((o) => o.kind).sort()).toEqual(['closed_won', 'opportunity_created']);
    expect(byAccount.A1!.id).not.toContain(':');
    expect(byAccount.A2).toMatchObject({ decisionClass: 'regulated-industry', approvalState: 'pending', outcomes: [] });
    expect(byAccount.A3).toMatchObject({ costMicros: 0, note: 'stopped at intent', connector: null });
    expect(byAccount.A4).toMatchObject({ decisionClass: 'offer', note: `crm: ${RUN_ERROR}` });
  });
});

describe('showDecision', () => {
  it('everything about one decision: inputs, steps in the order they ran with model versions, execution, outcomes', async () => {
    const d = await showDecision(fx.runtime, fx.decisions.A1!);
    expect(d.steps.map((s) => s.step)).toEqual(['intent', 'content', 'message', 'brand', 'message#1', 'brand#1', 'channel', 'execute']);
    expect(d.steps[0]).toMatchObject({ model: 'm', modelVersion: INTENT_VERSION, capability: 'classify/intent', output: { label: 'high' } });
    expect(d.steps.find((s) => s.step === 'message')).toMatchObject({ modelVersion: '1.0.0', costMicros: 1000, output: { body: FIRST_BODY } });
    expect(d.steps.every((s) => s.latencyMs === null || s.latencyMs >= 0)).toBe(true);
    expect(d.inputs).toMatchObject({ accountId: 'acct_crm_A1', industry: 'fintech' });
    expect(d.planned).toMatchObject({ channel: 'email', connector: 'crm', action: 'enroll', input: { email: 'a1@x.test', subject: SUBJECT, body: FINAL_BODY, hour: 14 } });
    expect(d.execution).toEqual({ crm: { ok: true, result: { enrollment: 'enr_1' } } });
    expect(d.outcomes).toMatchObject([{ kind: 'opportunity_created', valueMicros: null }, { kind: 'closed_won', valueMicros: 50_000_000_000 }]);
    expect(d.approval).toBeNull();
    // the id with its step suffix names the same decision
    expect((await showDecision(fx.runtime, `${fx.decisions.A1}:execute`)).id).toBe(d.id);
  });

  it('a gated decision shows its approval with the policy that holds it; an unknown id is bad input', async () => {
    const d = await showDecision(fx.runtime, fx.decisions.A2!);
    expect(d.approval).toMatchObject({ id: fx.approvals.A2, state: 'pending', decisionClass: 'regulated-industry', policy: 'regulated', decidedBy: null });
    await expect(showDecision(fx.runtime, 'dec_nope')).rejects.toMatchObject({ code: 'DECISION_UNKNOWN', kind: 'bad_input', fix: expect.stringContaining('revloop decisions list') });
  });
});

describe('parsing the filters', () => {
  it('time bounds are ISO dates or durations back from now; anything else names the option and the forms', () => {
    const now = Date.UTC(2024, 4, 10, 12);
    expect(parseTimeBound('24h', now)).toBe(now - 24 * HOUR);
    expect(parseTimeBound('7d', now)).toBe(now - 7 * 24 * HOUR);
    expect(parseTimeBound('30m', now)).toBe(now - 30 * 60_000);
    expect(parseTimeBound('2024-05-01', now)).toBe(Date.UTC(2024, 4, 1));
    expect(parseTimeBound('2024-05-01T09:30:00Z', now)).toBe(Date.UTC(2024, 4, 1, 9, 30));
    for (const bad of ['yesterday', '7', '2024-13-45', '-1d']) {
      expect(() => parseTimeBound(bad, now, '--since'), bad).toThrow(expect.objectContaining({ code: 'BAD_ARGUMENT', kind: 'bad_input', where: '--since', message: expect.stringContaining('24h') }));
    }
    expect(parseDecisionStatus('executed')).toBe('executed');
    expect(() => parseDecisionStatus('done')).toThrow(expect.objectContaining({ where: '--status', message: expect.stringContaining('pending_approval') }));
  });
});

describe('approvals', () => {
  it('the detail carries the message a person approves (the draft that passed), the recipient, the action and the gate', async () => {
    const a = await approvalDetail(fx.runtime, fx.approvals.A2!);
    expect(a.message).toEqual({ step: 'message#1', subject: SUBJECT, body: FINAL_BODY, offer: false });
    expect(a).toMatchObject({ channel: 'email', connector: 'crm', action: 'enroll', sendHour: 14, workflow: 'default' });
    expect(new Date(a.sendAt!).getUTCHours()).toBe(14);
    expect(a.recipient).toMatchObject({ contactId: 'cont_crm_CA2', email: 'a2@x.test', persona: 'champion', name: 'Pat A2', accountId: 'acct_crm_A2', accountName: 'Account A2', contactIds: { crm: 'CA2' }, accountIds: { crm: 'A2' } });
    expect(a.input).toMatchObject({ email: 'a2@x.test', contactId: 'CA2', subject: SUBJECT, body: FINAL_BODY });
    expect(a.gate).toEqual({ decisionClass: 'regulated-industry', policy: 'regulated', expiresAfterHours: 48, expiresAt: fx.at + 48 * HOUR });
  });

  it('deciding an approval reports what its execution did: the vendor result, or the error', async () => {
    const failing: Executor = async () => {
      throw new Error('crm answered 503');
    };
    const failed = await decideApproval(fx.runtime, fx.approvals.A2!, 'approve', 'dana@acme', 'copy reviewed', failing);
    expect(failed).toMatchObject({ state: 'approved', execution: { connector: 'crm', action: 'enroll', ok: false, error: 'crm answered 503' } });
    expect((await showDecision(fx.runtime, fx.decisions.A2!)).status).toBe('failed');

    const ok: Executor = async () => ({ ok: true, result: { enrollment: 'enr_5' } });
    expect(await decideApproval(fx.runtime, fx.approvals.A5!, 'approve', 'dana@acme', 'copy reviewed', ok)).toMatchObject({ execution: { ok: true, result: { enrollment: 'enr_5' } } });
    const shown = await showDecision(fx.runtime, fx.decisions.A5!);
    expect(shown).toMatchObject({ status: 'executed', approvalState: 'approved', approval: { state: 'approved', decidedBy: 'dana@acme', reason: 'copy reviewed' } });
  });
});
