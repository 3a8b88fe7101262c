import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqliteStore, type Store, type DecisionsTable } from '../src/index.js';

let dir: string;
let store: Store;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'revloop-insert-rows-'));
  store = openSqliteStore({ path: join(dir, 'test.db') });
  await store.migrate();
});
afterEach(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

const decision = (i: number, patch: Partial<DecisionsTable> = {}): DecisionsTable => ({
  id: `dec_${i}`, workflow: 'default', step: 'intent', account_id: `acct_${i % 7}`, contact_id: null, capability: 'classify/intent', decision_class: null,
  model: 'local', model_version: '1', input_hash: 'h', features: null, output: JSON.stringify({ i }), cost_micros: i, latency_ms: 0.5,
  approval_state: 'not_required', execution: null, status: 'decided', idempotency_key: `k_${i}`, created_at: i, updated_at: i, ...patch,
});

describe('sqlite store: insertRows', () => {
  it('writes rows of several tables (more than one statement each) and leaves existing keys as they were', async () => {
    const rows = Array.from({ length: 123 }, (_, i) => decision(i));
    await store.insertRows([
      { table: 'decisions', rows },
      { table: 'approvals', rows: [{ id: 'apr_1', decision_id: 'dec_1', decision_class: 'offer', state: 'pending', requested_at: 1, expires_at: null, decided_at: null, decided_by: null, reason: null }] },
    ]);
    // a retried write of the same keys changes nothing (the first record stands)
    await store.insertRows([{ table: 'decisions', rows: [decision(5, { output: 'changed' }), decision(200)] }]);
    const stored = await store.db.selectFrom('decisions').select(['id', 'output', 'cost_micros']).orderBy('cost_micros').execute();
    expect(stored).toHaveLength(124);
    expect(stored.find((r) => r.id === 'dec_5')?.output).toBe(JSON.stringify({ i: 5 }));
    expect(Number(stored[122]!.cost_micros)).toBe(122);
    expect(await store.db.selectFrom('approvals').select('decision_id').execute()).toEqual([{ decision_id: 'dec_1' }]);
  });

  it('is all or nothing: a row that breaks a constraint rolls back every table of the call', async () => {
    await expect(
      store.insertRows([
        { table: 'decisions', rows: [decision(1), decision(2)] },
        // references a decision that does not exist: foreign key violation
        { table: 'approvals', rows: [{ id: 'apr_x', decision_id: 'dec_missing', decision_class: 'offer', state: 'pending', requested_at: 1, expires_at: null, decided_at: null, decided_by: null, reason: null }] },
      ]),
    ).rejects.toThrow(/FOREIGN KEY/);
    expect(await store.db.selectFrom('decisions').select('id').execute()).toEqual([]);
  });

  it('refuses rows whose columns differ, naming the table', async () => {
    const { features: _, ...short } = decision(2);
    await expect(store.insertRows([{ table: 'decisions', rows: [decision(1), short as DecisionsTable] }])).rejects.toThrow(/insertRows\(decisions\)/);
    expect(await store.db.selectFrom('decisions').select('id').execute()).toEqual([]);
  });
});
