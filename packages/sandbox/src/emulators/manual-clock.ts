// The emulators' default clock: simulated epoch ms that only moves when the caller (a test, or
// the market simulator) advances it. Record timestamps come from it, never from Date.now().
export interface ManualClock {
  now(): number;
  advance(ms: number): void;
  set(ms: number): void;
}

export const DEFAULT_EPOCH = Date.UTC(2024, 0, 1);

export function createManualClock(start = DEFAULT_EPOCH): ManualClock {
  let t = start;
  return {
    now: () => t,
    advance: (ms) => {
      t += ms;
    },
    set: (ms) => {
      t = ms;
    },
  };
}
