// The checkpoint of an append-only event stream: a time cursor plus the position inside the run.
import { z } from 'zod';

export const eventCheckpointSchema = z
  .object({
    /** every event that occurred before this time is stored */
    since: z.number(),
    /** the run in progress: [from, until), the source index (object type / event kind) and the offset in it */
    run: z.object({ from: z.number(), until: z.number(), part: z.number().int().min(0), offset: z.number().int().min(0) }).strict().optional(),
  })
  .strict();
export type EventCheckpoint = z.infer<typeof eventCheckpointSchema>;

export function startRun(cp: EventCheckpoint | undefined, now: number, lookbackMs: number): NonNullable<EventCheckpoint['run']> {
  if (cp?.run) return cp.run;
  const from = Math.max(0, (cp?.since ?? 0) - lookbackMs);
  return { from, until: Math.max(from, now), part: 0, offset: 0 };
}
