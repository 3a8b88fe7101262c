// One rate limiter per connector instance (all its streams and actions share the vendor's
// budget), on the connector's clock. A 429's Retry-After blocks every caller of the limiter, not
// only the request that got it: the vendor counts the whole connector.
import { createRateLimiter, type PluginContext, type RateLimiter, type RateWindow } from '@revloop/core';

export interface RateLimitOptions {
  /** the vendor's published windows, e.g. [{ limit: 100, intervalMs: 10_000, name: 'ten-secondly' }] (none: only Retry-After) */
  windows?: RateWindow[];
  /** longest wait for room before the sync stops with its checkpoint (default 60 s) */
  maxWaitMs?: number;
}

// keyed by the runtime's clock and the instance name: two runtimes in one test process do not share
const limiters = new WeakMap<object, Map<string, RateLimiter>>();

/** The limiter shared by every request of this connector instance (created on first use). */
export function sharedRateLimiter(ctx: PluginContext<any>, options: RateLimitOptions = {}): RateLimiter {
  let byName = limiters.get(ctx.clock);
  if (!byName) limiters.set(ctx.clock, (byName = new Map()));
  let limiter = byName.get(ctx.name);
  if (!limiter) {
    limiter = createRateLimiter(options.windows ?? [], { now: () => ctx.clock.now(), sleep: (ms) => ctx.clock.sleep(ms), maxWaitMs: options.maxWaitMs, vendor: ctx.name });
    byName.set(ctx.name, limiter);
  }
  return limiter;
}
