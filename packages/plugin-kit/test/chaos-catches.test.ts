// The chaos suite's own proof: a note action that appends without looking (no reconcile, no
// dedupe by key) is caught — its record-lost run counts every re-sent note as a duplicate — while
// the reference connector's add-note (dedupe by key + reconcile) counts none.
import { appendFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineAction, defineConnector, type ConnectorDefinition } from '@revloop/core';
import { referenceConnector, type ReferenceConfig } from '@revloop/connector-reference';
import { runRecordLost } from '../src/chaos/in-process.js';
import { planCalls, tally } from '../src/chaos/tally.js';
import type { ChaosActionCase, ChaosWorld } from '../src/chaos/types.js';

type Note = { key: string; contactId: string; text: string };

// writes blindly: what a connector without exactly-once looks like
const appendNote = defineAction<ReferenceConfig, Note, { noteId: string }>({
  name: 'add-note',
  input: z.object({ key: z.string(), contactId: z.string(), text: z.string() }).strict(),
  idempotencyKey: (i) => i.key,
  async run(ctx, i) {
    appendFileSync(join(ctx.config.dataDir!, 'notes.jsonl'), JSON.stringify({ id: `note-${i.key}`, key: i.key }) + '\n');
    return { noteId: `note-${i.key}` };
  },
});
const blindConnector = defineConnector({ ...referenceConnector, actions: [appendNote] }) as ConnectorDefinition;

function notesWorld(): ChaosWorld<Note> & { dir: string } {
  const dir = mkdtempSync(join(tmpdir(), 'revloop-chaos-kit-'));
  const file = join(dir, 'notes.jsonl');
  return {
    dir,
    items: Array.from({ length: 8 }, (_, i) => ({ key: `n${i}`, contactId: 'c1', text: `note ${i}` })),
    endpoints: {},
    config: () => ({ dataDir: dir }),
    effects() {
      const perKey = new Map<string, number>();
      if (existsSync(file)) for (const l of readFileSync(file, 'utf8').split('\n').filter(Boolean)) perKey.set((JSON.parse(l) as Note).key, (perKey.get((JSON.parse(l) as Note).key) ?? 0) + 1);
      return perKey;
    },
    close: async () => rmSync(dir, { recursive: true, force: true }),
  };
}

const noteCase: ChaosActionCase<Note> = { action: 'add-note', batchSize: 1, world: async () => notesWorld(), keysOf: (n) => [n.key], input: ([n]) => n };

async function recordLost(connector: ConnectorDefinition) {
  const world = notesWorld();
  try {
    const calls = planCalls(noteCase, world.items);
    const run = await runRecordLost({ connector, name: 'ref', dir: world.dir, seed: 1 }, noteCase, world, calls);
    return tally(noteCase, world.items, calls, run.results, await world.effects());
  } finally {
    await world.close();
  }
}

describe('chaos suite: it catches what it should', () => {
  it('a blind append re-sent after the action record was lost: 4 of 8 notes duplicated', async () => {
    expect(await recordLost(blindConnector)).toMatchObject({ intended: 8, duplicated: 4, missing: 0, okUnbacked: 0 });
  });

  it('the reference add-note (dedupe by key, reconcile): none', async () => {
    expect(await recordLost(referenceConnector)).toMatchObject({ intended: 8, duplicated: 0, missing: 0, okUnbacked: 0 });
  });

  it('tally: a missing key, a duplicate and an ok without a record are each counted', () => {
    const calls = planCalls(noteCase, [{ key: 'a', contactId: 'c', text: 't' }, { key: 'b', contactId: 'c', text: 't' }, { key: 'c', contactId: 'c', text: 't' }]);
    const counts = tally(noteCase, [], calls, [{}, {}, undefined], new Map([['a', 2]]));
    expect(counts).toMatchObject({ intended: 3, duplicated: 1, missing: 2, okUnbacked: 1, reportedOk: 2 });
  });
});
