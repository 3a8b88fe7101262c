// Issue #27's chaos suite on the reference connector's add-note. Its "vendor" is notes.jsonl in the
// data folder: there is no network between revloop and it, so a 5xx or a dropped connection after
// the write cannot happen; SIGKILL and a lost action record can.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describeActionChaos } from '@revloop/plugin-kit';
import { referenceConnector } from '../src/index.js';

const repo = fileURLToPath(new URL('../../../', import.meta.url));
type Note = { key: string; contactId: string; text: string };

function notes(dir: string): { key: string }[] {
  const file = join(dir, 'notes.jsonl');
  return existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as { key: string }) : [];
}

const noNetwork = 'the vendor is a local file: no answer can be lost after the write';

describeActionChaos({
  connector: referenceConnector,
  module: join(repo, 'connectors/reference/src/index.ts'),
  name: 'ref',
  execArgv: ['--conditions=revloop-source', '--import', 'tsx', '--import', join(repo, 'test/setup/network-guard-child.mjs')],
  actions: [
    {
      action: 'add-note',
      batchSize: 1,
      notApplicable: { 'error-after-write': noNetwork, 'drop-after-write': noNetwork },
      async world() {
        const dir = mkdtempSync(join(tmpdir(), 'revloop-ref-chaos-'));
        writeFileSync(join(dir, 'contacts.jsonl'), '');
        const items: Note[] = Array.from({ length: 16 }, (_, i) => ({ key: `note-${i}`, contactId: `c${i % 5}`, text: `Asked for the ROI study (${i})` }));
        return {
          items,
          endpoints: {},
          config: () => ({ dataDir: dir }),
          writes: () => notes(dir).length,
          effects() {
            const perKey = new Map<string, number>();
            for (const n of notes(dir)) perKey.set(n.key, (perKey.get(n.key) ?? 0) + 1);
            return perKey;
          },
          close: async () => rmSync(dir, { recursive: true, force: true }),
        };
      },
      keysOf: (note: Note) => [note.key],
      input: ([note]: Note[]) => note,
    },
  ],
});
