// A simulated clock the caller can advance; record timestamps come from it (never Date.now()).
export interface ManualClock {
  now(): number;
  advance(ms: number): number;
  set(ms: number): void;
}

export function createManualClock(startMs = Date.UTC(2025, 0, 1)): ManualClock {
  let t = startMs;
  return {
    now: () => t,
    advance: (ms) => (t += ms),
    set: (ms) => {
      t = ms;
    },
  };
}
