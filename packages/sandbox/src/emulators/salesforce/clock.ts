// The emulator's clock: simulated epoch ms that a test or the market simulator advances.
export interface EmulatorClock {
  now(): number;
  /** moves the clock forward (also works over a caller-supplied now(): it adds an offset) */
  advance(ms: number): void;
}

export const DEFAULT_EPOCH = Date.UTC(2024, 0, 1);

export function createClock(base?: () => number): EmulatorClock {
  let offset = 0;
  const source = base ?? (() => DEFAULT_EPOCH);
  return {
    now: () => source() + offset,
    advance(ms) {
      offset += ms;
    },
  };
}
