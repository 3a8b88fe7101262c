// All revloop logic reads time from a Clock: the wall clock in production, a simulated clock
// in the sandbox (90 days in seconds).
export interface Clock {
  now(): number;
  /** wait `ms` of this clock's time */
  sleep(ms: number): Promise<void>;
}

export const wallClock: Clock = {
  // the one place revloop reads the wall clock
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/** A clock that only moves when told to; sleep() advances it instantly. */
export class SimulatedClock implements Clock {
  private current: number;

  constructor(start: number) {
    this.current = start;
  }

  now(): number {
    return this.current;
  }

  async sleep(ms: number): Promise<void> {
    this.advance(ms);
  }

  advance(ms: number): void {
    if (ms < 0) throw new Error('a simulated clock cannot go back');
    this.current += ms;
  }

  set(time: number): void {
    if (time < this.current) throw new Error('a simulated clock cannot go back');
    this.current = time;
  }
}
