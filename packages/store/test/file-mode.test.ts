// A new database file (and its WAL and shared-memory files) is created readable and writable by
// its owner only (issue #25 item 6: it was 0644, readable by every user of the machine).
import { chmodSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openSqliteStore } from '@revloop/store';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'revloop-mode-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const mode = (path: string) => statSync(path).mode & 0o777;

describe.skipIf(process.platform === 'win32')('database file mode', () => {
  it('a new database, its -wal and -shm files are 0600', async () => {
    const path = join(dir, 'nested', 'revloop.db');
    const store = openSqliteStore({ path });
    await store.migrate();
    await store.insertRows([{ table: 'sync_state', rows: [{ connector: 'c', stream: 's', checkpoint: null, updated_at: 1 }] }]);
    expect(mode(path).toString(8)).toBe('600');
    expect(mode(`${path}-wal`).toString(8)).toBe('600');
    expect(mode(`${path}-shm`).toString(8)).toBe('600');
    await store.close();
  });

  it("an existing database keeps the mode its owner gave it", async () => {
    const path = join(dir, 'shared.db');
    const first = openSqliteStore({ path });
    await first.migrate();
    await first.close();
    chmodSync(path, 0o640);
    const again = openSqliteStore({ path });
    await again.migrate();
    await again.close();
    expect(mode(path).toString(8)).toBe('640');
  });
});
