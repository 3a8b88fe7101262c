// Live mode: a market whose simulated days pass with the wall clock, so that a process running on
// the wall clock (`revloop serve`) sees the market move. The market starts warmupDays × msPerDay
// before now and simulates those days at once (history to read); then a timer simulates each
// further day once the wall clock has passed that day's end, so no timestamp the market or the
// emulators produce is ever later than the wall clock.
//
// This file is the one place the sandbox reads the wall clock: it is the bridge between the
// simulated market and a real-time consumer. Everything else takes its time from the market.
import { checkMsPerDay } from '../market/clock.js';
import type { Market, MarketStats } from '../market/market.js';

export const LIVE_DEFAULTS = { msPerDay: 30_000, warmupDays: 14 } as const;
export const MAX_WARMUP_DAYS = 3650;

/** the wall clock (epoch ms) */
const wallNow = (): number => Date.now();

export interface LiveOptions {
  /** how long a simulated day lasts in wall time, ms (default 30,000) */
  msPerDay?: number;
  /** simulated days of history run at start, ending now (default 14; at least 1: day 0 brings the population) */
  warmupDays?: number;
  /** after each day the timer simulates (not the warm-up days) */
  onDay?: (day: number, stats: MarketStats) => void;
  /** a day's simulation threw: the market stops moving (default: the error is thrown from the timer) */
  onError?: (error: unknown) => void;
}

/** where a live market's time starts: fixed before the market is built */
export interface LivePlan {
  msPerDay: number;
  warmupDays: number;
  /** epoch ms of the start of simulated day 0: startedAt − warmupDays × msPerDay */
  startMs: number;
  /** wall-clock epoch ms the sandbox started at: the end of the warm-up */
  startedAt: number;
}

export function planLive(options: LiveOptions = {}): LivePlan {
  const msPerDay = checkMsPerDay(options.msPerDay ?? LIVE_DEFAULTS.msPerDay);
  const warmupDays = options.warmupDays ?? LIVE_DEFAULTS.warmupDays;
  if (!Number.isInteger(warmupDays) || warmupDays < 1 || warmupDays > MAX_WARMUP_DAYS) {
    throw new Error(`invalid warmupDays ${warmupDays}: expected a whole number from 1 to ${MAX_WARMUP_DAYS}`);
  }
  const startedAt = wallNow();
  return { msPerDay, warmupDays, startMs: startedAt - warmupDays * msPerDay, startedAt };
}

/** the end of the day the market simulates next: the first day it has not simulated yet */
const nextDayEnd = (market: Market): number => market.clock.at(market.day + 2);

/**
 * The emulators' clock in live mode: the wall clock, but never past the end of the day the market
 * simulates next. Why: a write (a treatment) then always falls on that day, whose events the
 * market emits only once the wall clock has passed its end — so the answer to a treatment is
 * never stamped before the write, nor later than the wall clock when it appears.
 */
export function liveEmulatorClock(market: Market): () => number {
  return () => Math.min(wallNow(), nextDayEnd(market) - 1);
}

export interface LiveDriver {
  readonly plan: LivePlan;
  /** false once stop() was called or a day's simulation failed */
  readonly running: boolean;
  /** clears the timer: the market stays at its last simulated day */
  stop(): void;
}

/** simulates the warm-up days now, then each further day once the wall clock has passed its end */
export function driveLive(market: Market, plan: LivePlan, options: Pick<LiveOptions, 'onDay' | 'onError'> = {}): LiveDriver {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let running = true;
  while (wallNow() >= nextDayEnd(market)) market.advanceDay(); // the warm-up (and any time it took)
  const schedule = () => {
    // one day per tick: a market that falls behind catches up without starving the emulators' requests
    timer = setTimeout(tick, Math.max(0, nextDayEnd(market) - wallNow()));
    timer.unref?.();
  };
  const tick = () => {
    timer = undefined;
    if (!running) return;
    if (wallNow() >= nextDayEnd(market)) {
      try {
        market.advanceDay();
        options.onDay?.(market.day, market.stats());
      } catch (error) {
        running = false;
        if (options.onError) return options.onError(error);
        throw error;
      }
    }
    schedule();
  };
  schedule();
  return {
    plan,
    get running() {
      return running;
    },
    stop() {
      running = false;
      if (timer !== undefined) clearTimeout(timer);
      timer = undefined;
    },
  };
}
