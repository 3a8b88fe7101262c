// The kit run against the reference connector: proves the kit's checks and the contract together.
import { mkdtempSync, rmSync, writeFileSync, appendFileSync, existsSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { referenceConnector } from '@revloop/connector-reference';
import { describeConnectorConformance } from '../src/index.js';

const line = (r: object) => JSON.stringify(r) + '\n';

/** the live ids of a JSON-lines "vendor" file: the last line of each id wins */
function liveIds(file: string): string[] {
  const last = new Map<string, { deleted?: boolean; mergedInto?: string }>();
  for (const l of readFileSync(file, 'utf8').split('\n').filter(Boolean)) {
    const r = JSON.parse(l) as { id: string; deleted?: boolean; mergedInto?: string };
    last.set(r.id, r);
  }
  return [...last].filter(([, r]) => !r.deleted && !r.mergedInto).map(([id]) => id);
}

describeConnectorConformance({
  connector: referenceConnector,
  name: 'ref',
  // the kill -9 resume check's child imports the package by name
  child: { module: '@revloop/connector-reference', exportName: 'referenceConnector' },
  async setup() {
    const dir = mkdtempSync(join(tmpdir(), 'revloop-ref-vendor-'));
    let t = 100;
    writeFileSync(join(dir, 'accounts.jsonl'), [1, 2, 3].map((i) => line({ id: `a${i}`, updatedAt: t, name: `Account ${i}` })).join(''));
    writeFileSync(join(dir, 'contacts.jsonl'), [1, 2, 3, 4, 5].map((i) => line({ id: `c${i}`, updatedAt: t, email: `p${i}@x.test`, accountId: `a${(i % 3) + 1}` })).join(''));
    const notes = join(dir, 'notes.jsonl');
    return {
      // apiKey: unused by the reference, there to prove the secrets check finds and tracks it
      config: { dataDir: dir, pageSize: 2, apiKey: 'ref-api-key-0123456789' },
      badCredentialsConfig: { dataDir: join(dir, 'missing'), pageSize: 2, apiKey: 'ref-api-key-0123456789' },
      vendorIds: () => ({ accounts: liveIds(join(dir, 'accounts.jsonl')), contacts: liveIds(join(dir, 'contacts.jsonl')) }),
      action: {
        name: 'add-note',
        input: { key: 'conformance-1', contactId: 'c1', text: 'Asked for the ROI study' },
        vendorWrites: () => (existsSync(notes) ? readFileSync(notes, 'utf8').split('\n').filter(Boolean).length : 0),
      },
      change() {
        t += 10;
        appendFileSync(join(dir, 'contacts.jsonl'), line({ id: 'c2', updatedAt: t, email: 'p2-new@x.test', accountId: 'a1' }) + line({ id: 'c9', updatedAt: t, email: 'p9@x.test' }));
        appendFileSync(join(dir, 'accounts.jsonl'), line({ id: 'a2', updatedAt: t, name: 'Renamed' }));
        return { contacts: 2, accounts: 1 };
      },
      deleteOne() {
        t += 10;
        appendFileSync(join(dir, 'contacts.jsonl'), line({ id: 'c3', updatedAt: t, deleted: true }));
        return { stream: 'contacts', systemId: 'c3' };
      },
      mergeTwo() {
        t += 10;
        appendFileSync(join(dir, 'contacts.jsonl'), line({ id: 'c4', updatedAt: t, mergedInto: 'c1' }));
        return { stream: 'contacts', loser: 'c4', winner: 'c1' };
      },
      teardown: () => rmSync(dir, { recursive: true, force: true }),
    };
  },
});

