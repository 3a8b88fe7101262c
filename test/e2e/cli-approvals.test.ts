// `revloop approvals` as a reviewer uses it: list, show, reject (who and why recorded), bad input.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqliteStore } from '@revloop/store';
import { CLI_TEST_TIMEOUT_MS, runCli } from './cli-child.js';

let dir: string;

const revloop = (args: string[]) => runCli(dir, args);

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'revloop-approvals-'));
  writeFileSync(join(dir, 'revloop.config.json'), JSON.stringify({ store: { kind: 'sqlite', path: 'r.db' }, approvals: { policies: [{ name: 'regulated', decisionClasses: ['regulated-industry'] }] } }));
  const store = openSqliteStore({ path: join(dir, 'r.db') });
  await store.migrate();
  const now = Date.now() + 3_600_000 * 24; // pending for a day from now (the CLI runs on the wall clock)
  const planned = { channel: 'email', connector: 'hubspot', action: 'upsert-contact-properties', input: { records: [] }, sendAt: now };
  for (const id of ['a', 'b']) {
    await store.db.insertInto('decisions').values({ id: `dec_${id}`, workflow: 'default', step: 'execute', account_id: `acct_${id}`, contact_id: null, capability: null, decision_class: 'regulated-industry', model: null, model_version: null, input_hash: null, features: null, output: JSON.stringify(planned), cost_micros: 0, latency_ms: null, approval_state: 'pending', execution: null, status: 'pending_approval', idempotency_key: `k_${id}`, created_at: 1, updated_at: 1 }).execute();
    await store.db.insertInto('approvals').values({ id: `apr_${id}`, decision_id: `dec_${id}`, decision_class: 'regulated-industry', state: 'pending', requested_at: 1, expires_at: now, decided_at: null, decided_by: null, reason: null }).execute();
  }
  await store.close();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('revloop approvals', { timeout: CLI_TEST_TIMEOUT_MS }, () => {
  it('lists pending approvals with the action they would run', () => {
    const r = revloop(['approvals', 'list', '--state', 'pending', '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.json().map((a: { id: string; state: string }) => [a.id, a.state])).toEqual([['apr_a', 'pending'], ['apr_b', 'pending']]);
    const text = revloop(['approvals', 'list']);
    expect(text.stdout).toContain('hubspot.upsert-contact-properties (email)');
  });

  it('shows one, rejects it with who and why, and refuses to decide it twice', () => {
    expect(revloop(['approvals', 'show', 'apr_a']).stdout).toContain('planned execution');
    const r = revloop(['approvals', 'reject', 'apr_a', '--by', 'dana@acme', '--reason', 'claims not approved by legal', '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.json()).toMatchObject({ state: 'rejected', decidedBy: 'dana@acme', reason: 'claims not approved by legal' });
    const again = revloop(['approvals', 'approve', 'apr_a', '--by', 'x', '--reason', 'y']);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/APPROVAL_NOT_PENDING/);
  });

  it('bad input exits 2: unknown id, unknown state, missing --by', () => {
    expect(revloop(['approvals', 'show', 'apr_nope']).code).toBe(2);
    expect(revloop(['approvals', 'list', '--state', 'maybe']).code).toBe(2);
    expect(revloop(['approvals', 'approve', 'apr_b', '--reason', 'ok']).code).toBe(2);
  });
});
