// `revloop identity status|held|approve|events|undo` as a person uses them, over a store holding
// one company in two CRMs (each with a different open deal: the merge is held) and one company
// whose rows match cleanly.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openSqliteStore } from '@revloop/store';
import { CLI_TEST_TIMEOUT_MS, runCli } from './cli-child.js';
import { tempDir } from './helpers.js';

let dir: ReturnType<typeof tempDir>;
const revloop = (args: string[]) => runCli(dir.path, args);
const T = Date.UTC(2026, 0, 5);

beforeAll(async () => {
  dir = tempDir('revloop-cli-identity-');
  const store = openSqliteStore({ path: join(dir.path, 'r.db') });
  await store.migrate();
  const put = (system: string, entityType: 'account' | 'opportunity', records: any[]) => store.applyBatch({ system, entityType, records, syncedAt: T });
  await put('hubspot', 'account', [{ systemId: '1', fields: { name: 'Acme', domain: 'acme.com' } }, { systemId: '2', fields: { name: 'Globex', domain: 'globex.com' } }]);
  await put('salesforce', 'account', [{ systemId: '001A', fields: { name: 'Acme Corp', domain: 'www.acme.com' } }, { systemId: '001B', fields: { name: 'Globex Inc', domain: 'https://globex.com/' } }]);
  await put('hubspot', 'opportunity', [{ systemId: 'd1', fields: { name: 'Acme expansion', is_closed: 0, is_won: 0 }, links: { account: '1' } }]);
  await put('salesforce', 'opportunity', [{ systemId: 'o1', fields: { name: 'Acme renewal', is_closed: 0, is_won: 0 }, links: { account: '001A' } }]);
  await store.close();
  writeFileSync(join(dir.path, 'revloop.config.json'), JSON.stringify({ store: { kind: 'sqlite', path: 'r.db' } }));
});
afterAll(() => dir?.cleanup());

describe('revloop identity', { timeout: CLI_TEST_TIMEOUT_MS }, () => {
  it('status --resolve, held, approve, events, undo', () => {
    const status = revloop(['identity', 'status', '--resolve', '--json']);
    expect(status.code, status.stderr).toBe(0);
    // Globex is one customer; Acme's two rows wait for a person (different open deals in each CRM)
    expect(status.json()).toMatchObject({ accounts: { rows: { hubspot: 2, salesforce: 2 }, resolved: 3, acrossSystems: 1 }, held: 1 });

    const held = revloop(['identity', 'held', '--json']);
    expect(held.code, held.stderr).toBe(0);
    const [event] = held.json();
    expect(event.reason).toMatch(/open opportunities in different CRMs/);
    expect(revloop(['identity', 'held']).stdout).toContain('revloop identity approve');

    const approve = revloop(['identity', 'approve', event.id, '--by', 'ops@example.com']);
    expect(approve.code, approve.stderr).toBe(0);
    expect(revloop(['identity', 'status', '--json']).json()).toMatchObject({ accounts: { resolved: 2, acrossSystems: 2 }, held: 0 });

    const merges = revloop(['identity', 'events', '--kind', 'merge', '--json']).json();
    expect(merges.length).toBeGreaterThanOrEqual(2);
    const acme = merges.find((m: { changes: { id: string }[] }) => m.changes.some((c) => c.id.includes('001A')));
    const undo = revloop(['identity', 'undo', acme.id]);
    expect(undo.code, undo.stderr).toBe(0);
    expect(revloop(['identity', 'status', '--json']).json()).toMatchObject({ accounts: { resolved: 3, acrossSystems: 1 } });
    // undone is undone: a full resolution does not redo it
    expect(revloop(['identity', 'status', '--full', '--json']).json()).toMatchObject({ accounts: { resolved: 3 } });
  });

  it('bad input exits 2 with what to do', () => {
    const unknown = revloop(['identity', 'approve', 'held:account:nope:nope']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('revloop identity events');
    expect(revloop(['identity', 'events', '--kind', 'weird']).code).toBe(2);
  });
});
