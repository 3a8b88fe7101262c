// The checkpoint of an append-only event stream: a time cursor plus the position inside the run.
// The position is whatever HubSpot pages with: never a count of events read (HubSpot's cursors are
// opaque tokens, and it refuses a number), see BEHAVIOR.md.
import { z } from 'zod';

export const eventCheckpointSchema = z
  .object({
    /** every event that occurred before this time is stored */
    since: z.number(),
    /** the run in progress: [from, until), the source index (object type / event kind) and the position in it */
    run: z
      .object({
        from: z.number(),
        until: z.number(),
        part: z.number().int().min(0),
        /** email events: the `offset` token of HubSpot's last answer (the next page starts there) */
        token: z.string().min(1).optional(),
        /** web events: the last record (hs_object_id) whose events are all stored */
        lastId: z.string().min(1).optional(),
        /**
         * written by versions that paged by a running count (which HubSpot refuses): ignored, the
         * part is read again from its start (signals are upserted by id, nothing is doubled)
         */
        offset: z.number().int().min(0).optional(),
      })
      .strict()
      .optional(),
  })
  .strict();
export type EventCheckpoint = z.infer<typeof eventCheckpointSchema>;
export type EventRun = NonNullable<EventCheckpoint['run']>;

/** the run to continue (without a legacy count), or a new one over [since - lookback, now) */
export function startRun(cp: EventCheckpoint | undefined, now: number, lookbackMs: number): EventRun {
  if (cp?.run) {
    const { offset: _legacy, ...run } = cp.run;
    return run;
  }
  const from = Math.max(0, (cp?.since ?? 0) - lookbackMs);
  return { from, until: Math.max(from, now), part: 0 };
}
