// A client-side rate limiter for vendors with several windows (HubSpot: per second, per ten
// seconds, per day). Requests wait for room in every window, so a sync spends the vendor's
// budget without exceeding it; a window longer than `maxWaitMs` (a daily limit) is not waited
// for: acquire() throws so that the sync stops cleanly with its checkpoint and resumes later.
import { RevloopError } from '../errors.js';

export interface RateWindow {
  /** requests allowed per window */
  limit: number;
  intervalMs: number;
  name?: string;
}

export interface RateLimiter {
  /** wait until a request may be sent, and count it */
  acquire(): Promise<void>;
  /** requests counted in the current windows */
  usage(): { name: string; used: number; limit: number }[];
  /** tell the limiter that the vendor refused (429) anyway: back off this window */
  penalize(ms: number): void;
}

export function createRateLimiter(
  windows: RateWindow[],
  deps: { now: () => number; sleep: (ms: number) => Promise<void>; maxWaitMs?: number; vendor?: string },
): RateLimiter {
  const maxWaitMs = deps.maxWaitMs ?? 60_000;
  // one timestamp log per window (sliding window); trimmed as time passes
  const logs = windows.map(() => [] as number[]);
  let blockedUntil = 0;
  let queue: Promise<void> = Promise.resolve();

  function waitNeeded(now: number): { ms: number; window?: RateWindow } {
    let ms = Math.max(0, blockedUntil - now);
    let which: RateWindow | undefined;
    windows.forEach((w, i) => {
      const log = logs[i]!;
      while (log.length && log[0]! <= now - w.intervalMs) log.shift();
      if (log.length >= w.limit) {
        const wait = log[log.length - w.limit]! + w.intervalMs - now;
        if (wait > ms) {
          ms = wait;
          which = w;
        }
      }
    });
    return { ms, window: which };
  }

  async function acquireOne(): Promise<void> {
    for (;;) {
      const now = deps.now();
      const { ms, window } = waitNeeded(now);
      if (ms <= 0) {
        for (const log of logs) log.push(now);
        return;
      }
      if (ms > maxWaitMs) {
        throw new RevloopError('RATE_LIMIT_EXHAUSTED', `the ${window?.name ?? 'rate'} limit of ${deps.vendor ?? 'the vendor'} is spent (${window?.limit} requests per ${window?.intervalMs} ms)`, {
          fix: `wait ${Math.ceil(ms / 60_000)} minute(s); the next run resumes from the last checkpoint`,
        });
      }
      await deps.sleep(ms);
    }
  }

  return {
    acquire() {
      // serialise callers so that concurrent requests queue fairly
      const next = queue.then(acquireOne);
      queue = next.catch(() => undefined);
      return next;
    },
    usage() {
      const now = deps.now();
      waitNeeded(now);
      return windows.map((w, i) => ({ name: w.name ?? `${w.limit}/${w.intervalMs}ms`, used: logs[i]!.length, limit: w.limit }));
    },
    penalize(ms) {
      blockedUntil = Math.max(blockedUntil, deps.now() + ms);
    },
  };
}
