// Store.claimAndApply: plugin_state claims and a batch write in one transaction (a webhook's
// replay key is claimed together with the signals it stands for, never without them).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqliteStore, type BatchWrite, type Store } from '../src/index.js';

let dir: string;
let store: Store;
beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'revloop-claim-'));
  store = openSqliteStore({ path: join(dir, 'test.db') });
  await store.migrate();
});
afterEach(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

/** signals; `bad`: the last one's type is no scalar, so its insert fails (after the others') */
const signals = (ids: string[], bad = false): BatchWrite => ({
  system: 'hook',
  entityType: 'signal',
  records: ids.map((id, i) => ({ systemId: id, fields: { type: bad && i === ids.length - 1 ? ({ not: 'a scalar' } as never) : 'form_fill', occurred_at: 1 } })),
  syncedAt: 1,
});
const claim = (key: string, expiresAt = 1_000) => ({ plugin: 'hook', key, expiresAt });
const claims = () => store.db.selectFrom('plugin_state').select(['key', 'value']).orderBy('key').execute();
const stored = async () => (await store.db.selectFrom('signals').select('id').execute()).length;

describe('claimAndApply', () => {
  it('takes free and expired claims, refuses live ones, and writes what the claims decide', async () => {
    await store.claimAndApply([claim('a'), claim('old', 50)], 10, () => []);
    const seen: boolean[][] = [];
    const r = await store.claimAndApply([claim('a', 2_000), claim('b', 2_000), claim('old', 2_000)], 100, (claimed) => {
      seen.push(claimed);
      return [signals(['b1', 'old1'])];
    });
    expect(r.claimed).toEqual([false, true, true]); // 'a' holds until 1,000; 'old' expired at 50
    expect(seen).toEqual([[false, true, true]]);
    expect(r.results).toEqual([{ written: 2, deleted: 0, merged: 0 }]);
    expect(await claims()).toEqual([
      { key: 'a', value: '1000' },
      { key: 'b', value: '2000' },
      { key: 'old', value: '2000' },
    ]);
    expect(await stored()).toBe(2);
  });

  it('a write that fails keeps no claim: the same claim is free afterwards', async () => {
    await expect(store.claimAndApply([claim('k')], 10, () => [signals(['s1', 's2'], true)])).rejects.toThrow();
    expect(await claims()).toEqual([]);
    expect(await stored()).toBe(0);
    const r = await store.claimAndApply([claim('k')], 10, () => [signals(['s1'])]);
    expect(r.claimed).toEqual([true]);
    expect(await stored()).toBe(1);
  });
});
