import { describe, expect, it } from 'vitest';
import { createRateLimiter, SimulatedClock } from '../src/index.js';

describe('rate limiter', () => {
  it('spends each window exactly, waiting for room', async () => {
    const clock = new SimulatedClock(0);
    const limiter = createRateLimiter(
      [
        { limit: 3, intervalMs: 1000, name: 'secondly' },
        { limit: 5, intervalMs: 10_000, name: 'ten-secondly' },
      ],
      { now: () => clock.now(), sleep: (ms) => clock.sleep(ms) },
    );
    const times: number[] = [];
    for (let i = 0; i < 7; i++) {
      await limiter.acquire();
      times.push(clock.now());
    }
    expect(times).toEqual([0, 0, 0, 1000, 1000, 10_000, 10_000]);
  });

  it('throws instead of waiting out a daily window, naming it', async () => {
    const clock = new SimulatedClock(0);
    const limiter = createRateLimiter([{ limit: 2, intervalMs: 86_400_000, name: 'daily' }], { now: () => clock.now(), sleep: (ms) => clock.sleep(ms), vendor: 'HubSpot' });
    await limiter.acquire();
    await limiter.acquire();
    await expect(limiter.acquire()).rejects.toMatchObject({ code: 'RATE_LIMIT_EXHAUSTED', message: expect.stringContaining('daily') });
    expect(limiter.usage()).toEqual([{ name: 'daily', used: 2, limit: 2 }]);
  });
});
