// add-note: appends a note about a contact to notes.jsonl in the data folder — the reference's
// action. Idempotent at the "vendor" too: a note carries its key, and a key already in the file
// is never written again (a crash between the append and revloop's record cannot duplicate it).
import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { defineAction, RevloopError, type PluginContext } from '@revloop/core';
import type { ReferenceConfig } from '../config.js';

const input = z.object({ key: z.string().min(1).max(200), contactId: z.string().min(1), text: z.string().min(1).max(2000) }).strict();
const noteSchema = z.looseObject({ id: z.string(), key: z.string() });
type Input = z.infer<typeof input>;
type Result = { noteId: string; created: boolean };

function notesFile(ctx: PluginContext<ReferenceConfig>): string {
  if (!ctx.config.dataDir) {
    throw new RevloopError('ACTION_UNAVAILABLE', 'add-note writes to notes.jsonl in dataDir; this instance generates synthetic contacts', {
      where: `connectors.${ctx.name}.dataDir`,
      fix: 'configure dataDir (a folder) instead of syntheticContacts to use add-note',
      kind: 'bad_input',
    });
  }
  return join(ctx.config.dataDir, 'notes.jsonl');
}

/** the note already written under this key, if any */
function findNote(file: string, key: string): string | undefined {
  if (!existsSync(file)) return undefined;
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (!line.trim()) continue;
    const parsed = noteSchema.safeParse(JSON.parse(line));
    if (parsed.success && parsed.data.key === key) return parsed.data.id;
  }
  return undefined;
}

export default defineAction<ReferenceConfig, Input, Result>({
  name: 'add-note',
  description: 'append a note about a contact (one per key)',
  input,
  idempotencyKey: (i) => i.key,
  async run(ctx, i) {
    const file = notesFile(ctx);
    const existing = findNote(file, i.key);
    if (existing) return { noteId: existing, created: false };
    const noteId = `note-${i.key}`;
    appendFileSync(file, JSON.stringify({ id: noteId, key: i.key, contactId: i.contactId, text: i.text, createdAt: ctx.clock.now() }) + '\n');
    return { noteId, created: true };
  },
  async reconcile(ctx, i) {
    const existing = findNote(notesFile(ctx), i.key);
    return existing ? { found: true, result: { noteId: existing, created: false } } : { found: false };
  },
});
