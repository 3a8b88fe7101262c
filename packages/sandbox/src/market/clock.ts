// The market's simulated clock: every timestamp is derived from the market's start, the simulated
// day and an hour, never from the wall clock. A time scale (`msPerDay`, default one real day)
// sets how long a simulated day lasts: live mode (../live/) runs 1 day in seconds; an hour is
// then 1/24 of that day and a minute 1/1440. With the default scale every value is the same as a
// plain `start + day × DAY_MS + hour × HOUR_MS`.

export const DAY_MS = 86_400_000;
export const HOUR_MS = 3_600_000;
const MINUTES_PER_DAY = 1440;

/** the shortest simulated day (ms): hours stay distinct timestamps */
export const MIN_MS_PER_DAY = 100;

/** epoch ms of 00:00 UTC on the scenario's start date */
export function startEpochMs(startDate: string): number {
  const ms = Date.parse(`${startDate}T00:00:00.000Z`);
  if (Number.isNaN(ms)) throw new Error(`invalid startDate ${startDate}: expected YYYY-MM-DD`);
  return ms;
}

/** throws unless `msPerDay` is a whole number of ms from MIN_MS_PER_DAY to one real day */
export function checkMsPerDay(msPerDay: number): number {
  if (!Number.isInteger(msPerDay) || msPerDay < MIN_MS_PER_DAY || msPerDay > DAY_MS) {
    throw new Error(`invalid msPerDay ${msPerDay}: expected a whole number of ms from ${MIN_MS_PER_DAY} to ${DAY_MS}`);
  }
  return msPerDay;
}

/** the timestamp of `hour:minute` on simulated day `day` (rounded to the ms on a short day) */
export function simEpochMs(startMs: number, day: number, hour = 0, minute = 0, msPerDay = DAY_MS): number {
  return startMs + day * msPerDay + Math.round(((hour * 60 + minute) * msPerDay) / MINUTES_PER_DAY);
}

/** YYYY-MM-DD (UTC) of the start of a simulated day: on a short day, many days share one date */
export function simDate(startMs: number, day: number, msPerDay = DAY_MS): string {
  return new Date(startMs + day * msPerDay).toISOString().slice(0, 10);
}

/** the simulated day an epoch-ms timestamp falls on */
export function dayOf(startMs: number, at: number, msPerDay = DAY_MS): number {
  return Math.floor((at - startMs) / msPerDay);
}

/** the simulated hour (0..23) of an epoch-ms timestamp: which 24th of its simulated day */
export function hourOf(startMs: number, at: number, msPerDay = DAY_MS): number {
  const into = (((at - startMs) % msPerDay) + msPerDay) % msPerDay;
  return Math.min(23, Math.floor((into * 24) / msPerDay));
}

/** One market's clock: its start and time scale, with the functions above bound to them. */
export interface SimClock {
  readonly startMs: number;
  readonly msPerDay: number;
  at(day: number, hour?: number, minute?: number): number;
  date(day: number): string;
  dayOf(at: number): number;
  hourOf(at: number): number;
}

export function createSimClock(startMs: number, msPerDay = DAY_MS): SimClock {
  checkMsPerDay(msPerDay);
  return {
    startMs,
    msPerDay,
    at: (day, hour = 0, minute = 0) => simEpochMs(startMs, day, hour, minute, msPerDay),
    date: (day) => simDate(startMs, day, msPerDay),
    dayOf: (at) => dayOf(startMs, at, msPerDay),
    hourOf: (at) => hourOf(startMs, at, msPerDay),
  };
}
