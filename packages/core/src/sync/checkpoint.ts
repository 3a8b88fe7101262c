// Reading and resetting a stream's checkpoint (saving happens inside the batch transaction).
import type { Store } from '@revloop/store';
import type { z } from 'zod';
import { RevloopError } from '../errors.js';

export async function readCheckpoint<T>(store: Store, connector: string, stream: string, schema?: z.ZodType<T>): Promise<T | undefined> {
  const row = await store.db.selectFrom('sync_state').select('checkpoint').where('connector', '=', connector).where('stream', '=', stream).executeTakeFirst();
  if (!row || row.checkpoint === null) return undefined;
  const fix = `run \`revloop sync ${connector} ${stream} --reset\` to start this stream over (a full re-read; nothing is lost)`;
  let value: unknown;
  try {
    value = JSON.parse(row.checkpoint);
  } catch {
    throw new RevloopError('CHECKPOINT_CORRUPT', `the saved checkpoint of ${connector}/${stream} is not valid JSON`, { where: `sync_state ${connector}/${stream}`, fix });
  }
  if (value === null) return undefined;
  if (schema) {
    const parsed = schema.safeParse(value);
    if (!parsed.success) {
      throw new RevloopError('CHECKPOINT_CORRUPT', `the saved checkpoint of ${connector}/${stream} does not have the shape the stream expects: ${parsed.error.issues[0]?.message}`, {
        where: `sync_state ${connector}/${stream}`,
        fix,
      });
    }
    return parsed.data;
  }
  return value as T;
}

export async function resetCheckpoint(store: Store, connector: string, stream?: string): Promise<number> {
  let q = store.db.deleteFrom('sync_state').where('connector', '=', connector);
  if (stream) q = q.where('stream', '=', stream);
  const r = await q.executeTakeFirst();
  return Number(r.numDeletedRows);
}
