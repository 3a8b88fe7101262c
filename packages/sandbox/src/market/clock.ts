// The market's simulated clock: every timestamp is derived from the scenario's start date, the
// simulated day and an hour, never from the wall clock.

export const DAY_MS = 86_400_000;
export const HOUR_MS = 3_600_000;

/** epoch ms of 00:00 UTC on the scenario's start date */
export function startEpochMs(startDate: string): number {
  const ms = Date.parse(`${startDate}T00:00:00.000Z`);
  if (Number.isNaN(ms)) throw new Error(`invalid startDate ${startDate}: expected YYYY-MM-DD`);
  return ms;
}

export function simEpochMs(startMs: number, day: number, hour = 0, minute = 0): number {
  return startMs + day * DAY_MS + hour * HOUR_MS + minute * 60_000;
}

/** YYYY-MM-DD of a simulated day */
export function simDate(startMs: number, day: number): string {
  return new Date(startMs + day * DAY_MS).toISOString().slice(0, 10);
}

/** the simulated day an epoch-ms timestamp falls on */
export function dayOf(startMs: number, at: number): number {
  return Math.floor((at - startMs) / DAY_MS);
}
