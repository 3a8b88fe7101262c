// Bad store files and configs get what, where and how to fix (exit 2), never UNEXPECTED.
import { describe, expect, it } from 'vitest';
import { mkdtempSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRuntime, loadConfig, parseConfig, RevloopError, statusReport } from '../src/index.js';

const dir = () => mkdtempSync(join(tmpdir(), 'revloop-store-files-'));

async function refusal(p: Promise<unknown>): Promise<RevloopError> {
  const e = await p.then(() => undefined, (x: unknown) => x);
  expect(e).toBeInstanceOf(RevloopError);
  return e as RevloopError;
}

describe('store files', () => {
  it('a file that is not a database is refused with its path and the fix (exit 2)', async () => {
    const d = dir();
    const path = join(d, 'r.db');
    writeFileSync(path, Buffer.alloc(4096, 7));
    const e = await refusal(createRuntime(parseConfig({ store: { kind: 'sqlite', path } }, { env: {} })));
    expect(e.code).toBe('STORE_NOT_A_DATABASE');
    expect(e.message).toContain(path);
    expect(e.where).toBe('store.path');
    expect(e.exitCode).toBe(2);
    expect(statSync(path).size).toBe(4096); // nothing written over it
  });

  it('a 0-byte store file is refused, not silently migrated into an empty store', async () => {
    const d = dir();
    const path = join(d, 'r.db');
    writeFileSync(path, '');
    // emptied a while ago (a file created a moment ago may be another process's new store)
    utimesSync(path, new Date(Date.now() - 3_600_000), new Date(Date.now() - 3_600_000));
    const e = await refusal(createRuntime(parseConfig({ store: { kind: 'sqlite', path } }, { env: {} })));
    expect(e.code).toBe('STORE_EMPTY_FILE');
    expect(e.fix).toMatch(/backup|delete the file/);
    expect(statSync(path).size).toBe(0);
  });

  it('a config file holding null (or a list) is no valid config', async () => {
    const d = dir();
    writeFileSync(join(d, 'revloop.config.json'), 'null');
    const e = await refusal(loadConfig(undefined, d));
    expect(e.code).toBe('CONFIG_INVALID');
    expect(e.message).toMatch(/is empty, not an object of settings/);
    writeFileSync(join(d, 'revloop.config.json'), '[]');
    expect((await refusal(loadConfig(undefined, d))).message).toMatch(/is a list/);
  });

  it('status shows a damaged checkpoint as unreadable with the fix, instead of failing', async () => {
    const d = dir();
    const runtime = await createRuntime(parseConfig({ store: { kind: 'sqlite', path: join(d, 'r.db') } }, { env: {} }));
    await runtime.store.migrate();
    await runtime.store.db.insertInto('sync_state').values({ connector: 'hubspot', stream: 'contacts', checkpoint: '{"after": 12', updated_at: 1 }).execute();
    const status = await statusReport(runtime.store);
    expect(status.checkpoints[0]!.checkpoint).toMatchObject({ unreadable: '{"after": 12', fix: expect.stringContaining('--reset') });
    await runtime.close();
  });
});
