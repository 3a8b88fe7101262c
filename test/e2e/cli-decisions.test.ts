// `revloop decisions list|show` and `revloop approvals show|approve` as a person uses them, over a
// decision log the real engine wrote (decision-fixture.ts). The CLI's config names a crm connector
// whose vendor refuses every write, so an approved decision's execution fails.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { CLI_TEST_TIMEOUT_MS, runCli } from './cli-child.js';
import { approvalPolicies, buildDecisionLog, FINAL_BODY, FIRST_BODY, INTENT_VERSION, RUN_ERROR, SUBJECT, VENDOR_ERROR, writeFailingConnector, type DecisionFixture } from './decision-fixture.js';
import { join } from 'node:path';
import { tempDir } from './helpers.js';

let dir: ReturnType<typeof tempDir>;
let fx: DecisionFixture;
const revloop = (args: string[]) => runCli(dir.path, args);

beforeAll(async () => {
  dir = tempDir('revloop-cli-decisions-');
  fx = await buildDecisionLog(dir.path);
  await fx.runtime.close();
  writeFailingConnector(dir.path);
  writeFileSync(join(dir.path, 'revloop.config.json'), JSON.stringify({ store: { kind: 'sqlite', path: 'r.db' }, approvals: approvalPolicies, connectors: { crm: { plugin: './crm.cjs' } } }));
});
afterAll(() => dir?.cleanup());

const accounts = (list: { accountId: string }[]) => list.map((d) => d.accountId.slice(-2)).sort();

describe('revloop decisions', { timeout: CLI_TEST_TIMEOUT_MS }, () => {
  it('list: one line per account decision; --status, --account and --since filter', () => {
    const all = revloop(['decisions', 'list', '--json']);
    expect(all.code, all.stderr).toBe(0);
    expect(accounts(all.json())).toEqual(['A1', 'A2', 'A3', 'A4', 'A5']);
    const a1 = all.json().find((d: { accountId: string }) => d.accountId.endsWith('A1'));
    expect(a1).toMatchObject({ id: fx.decisions.A1, status: 'executed', channel: 'email', connector: 'crm', action: 'enroll', costMicros: 2000 });
    expect(a1.outcomes.map((o: { kind: string }) => o.kind).sort()).toEqual(['closed_won', 'opportunity_created']);

    expect(accounts(revloop(['decisions', 'list', '--status', 'pending_approval', '--json']).json())).toEqual(['A2', 'A5']);
    expect(accounts(revloop(['decisions', 'list', '--account', 'acct_crm_A4', '--json']).json())).toEqual(['A4']);
    // the decisions were made two hours ago (on the hour)
    expect(accounts(revloop(['decisions', 'list', '--since', '24h', '--json']).json())).toHaveLength(5);
    expect(revloop(['decisions', 'list', '--since', '1h', '--json']).json()).toEqual([]);

    const text = revloop(['decisions', 'list', '--status', 'failed']);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toContain(fx.decisions.A4);
    expect(text.stdout).toContain('email → crm.enroll');
    expect(text.stdout).toContain(RUN_ERROR.slice(0, 40));
    expect(text.stdout).not.toContain(fx.decisions.A1);
    const one = revloop(['decisions', 'list', '--account', 'acct_crm_A1']).stdout;
    expect(one).toContain('closed_won $50,000.00');
    expect(one).toContain('$0.0020');
  });

  it('show: inputs, every step with model and version, the execution, the outcomes; with or without the step suffix', () => {
    const r = revloop(['decisions', 'show', fx.decisions.A1!, '--json']);
    expect(r.code, r.stderr).toBe(0);
    const d = r.json();
    expect(d.steps.map((s: { step: string }) => s.step)).toEqual(['intent', 'content', 'message', 'brand', 'message#1', 'brand#1', 'channel', 'execute']);
    expect(d.steps[0]).toMatchObject({ model: 'm', modelVersion: INTENT_VERSION });
    expect(d.inputs).toMatchObject({ accountId: 'acct_crm_A1' });
    expect(d.execution).toMatchObject({ crm: { ok: true } });
    expect(d.outcomes.map((o: { kind: string }) => o.kind)).toEqual(['opportunity_created', 'closed_won']);

    const text = revloop(['decisions', 'show', `${fx.decisions.A1}:execute`]);
    expect(text.code, text.stderr).toBe(0);
    for (const part of [`decision ${fx.decisions.A1}`, INTENT_VERSION, 'classify/intent', FIRST_BODY, 'message#1', 'crm: ok', 'closed_won', '$50,000.00', '"industry": "fintech"']) expect(text.stdout).toContain(part);
  });

  it('bad input exits 2 and says how to fix it: an unknown id, --status, --since, --limit', () => {
    const unknown = revloop(['decisions', 'show', 'dec_nope']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('DECISION_UNKNOWN');
    expect(unknown.stderr).toContain('revloop decisions list');
    const json = revloop(['decisions', 'show', 'dec_nope', '--json']);
    expect(json.code).toBe(2);
    expect(json.json().error).toMatchObject({ code: 'DECISION_UNKNOWN' });

    const status = revloop(['decisions', 'list', '--status', 'done']);
    expect(status.code).toBe(2);
    expect(status.stderr).toMatch(/--status must be one of executed, failed, pending_approval/);
    const since = revloop(['decisions', 'list', '--since', 'yesterday']);
    expect(since.code).toBe(2);
    expect(since.stderr).toMatch(/--since must be an ISO date .* or a duration .*24h/);
    expect(revloop(['decisions', 'list', '--until', 'soon']).stderr).toContain('--until');
    expect(revloop(['decisions', 'list', '--limit', '0']).code).toBe(2);
  });
});

describe('revloop approvals', { timeout: CLI_TEST_TIMEOUT_MS }, () => {
  it('show renders the message the person approves: subject, body, channel, send time, recipient, action, why it waits', () => {
    const r = revloop(['approvals', 'show', fx.approvals.A2!]);
    expect(r.code, r.stderr).toBe(0);
    const sendAt = new Date(Math.floor(fx.at / 86_400_000) * 86_400_000 + 14 * 3_600_000).toISOString();
    for (const part of [
      `subject   ${SUBJECT}`, `body      ${FINAL_BODY}`, 'channel   email', 'action    crm.enroll', `send at   ${sendAt} (hour 14 UTC)`,
      'a2@x.test', 'persona champion', 'crm:CA2 (addressed)', 'class     regulated-industry', 'policy    regulated (expires after 48 h)',
    ]) expect(r.stdout).toContain(part);
    // the draft the brand check sent back is not what is approved
    expect(r.stdout).not.toContain(FIRST_BODY);
    const json = revloop(['approvals', 'show', fx.approvals.A2!, '--json']).json();
    expect(json).toMatchObject({ message: { subject: SUBJECT, body: FINAL_BODY }, gate: { decisionClass: 'regulated-industry', policy: 'regulated' }, recipient: { email: 'a2@x.test' } });
  });

  it('approve reports the execution: exit 1 with the vendor error when it failed', () => {
    const r = revloop(['approvals', 'approve', fx.approvals.A2!, '--by', 'dana@acme', '--reason', 'copy reviewed']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(`${fx.approvals.A2}: approved by dana@acme (copy reviewed)`);
    expect(r.stdout).toContain(`execution crm.enroll: FAILED — ${VENDOR_ERROR}`);
    expect(r.stderr).toContain('EXECUTION_FAILED');
    expect(r.stderr).toContain(`revloop decisions show ${fx.decisions.A2}`);

    const json = revloop(['approvals', 'approve', fx.approvals.A5!, '--by', 'dana@acme', '--reason', 'ok', '--json']);
    expect(json.code).toBe(1);
    expect(json.json()).toMatchObject({ state: 'approved', execution: { connector: 'crm', action: 'enroll', ok: false, error: VENDOR_ERROR } });

    // the log says so too
    const shown = revloop(['decisions', 'show', fx.decisions.A2!, '--json']).json();
    expect(shown).toMatchObject({ status: 'failed', approvalState: 'approved', execution: { crm: { ok: false, error: VENDOR_ERROR } }, approval: { decidedBy: 'dana@acme', reason: 'copy reviewed' } });
  });
});
