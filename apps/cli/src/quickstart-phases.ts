// The phases of `revloop quickstart`, printed as each one starts and ends (with its time) on
// stderr, so that a person sees where a minutes-long first run is instead of a silent wait until
// the summary. stdout keeps the results only; --json prints no phase lines (its document carries
// the timings).
import { performance } from 'node:perf_hooks';

export const QUICKSTART_PHASES = ['emulators', 'check', 'sync', 'identity', 'run', 'report'] as const;
export type QuickstartPhase = (typeof QUICKSTART_PHASES)[number];

const starting: Record<QuickstartPhase, string> = {
  emulators: "starting the sandbox's loopback emulators (HubSpot, Salesforce, LinkedIn Ads, Google Ads) and opening the store",
  check: 'migrating the store and checking every connector',
  sync: 'syncing every connector into the unified model',
  identity: 'resolving identities (one account per company, one contact per person)',
  run: 'running the closed loop on the sandbox market',
  report: 'comparing with the rules baseline and the oracle, writing the report',
};

export interface PhaseClock {
  /** ms, monotonic */
  now(): number;
}

export interface Phases {
  start(phase: QuickstartPhase, detail?: string): void;
  /** ends the phase (or the one running) with what it did, if anything worth a word */
  end(phase: QuickstartPhase, result?: string): void;
  /** ms per phase that ended, in the order they ran */
  timings(): Partial<Record<QuickstartPhase, number>>;
  /** one line: every phase's time and the total */
  summary(): string;
}

export function formatSeconds(ms: number): string {
  if (ms < 10_000) return `${(ms / 1000).toFixed(1)} s`;
  if (ms < 120_000) return `${Math.round(ms / 1000)} s`;
  const s = Math.round(ms / 1000);
  return `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, '0')} s`;
}

/** `write`: where phase lines go (undefined: nowhere, e.g. --json); `clock`: tests pass their own */
export function quickstartPhases(write: ((line: string) => void) | undefined, clock: PhaseClock = performance): Phases {
  const startedAt = new Map<QuickstartPhase, number>();
  const took = new Map<QuickstartPhase, number>();
  const first = clock.now();
  const label = (phase: QuickstartPhase) => `quickstart ${QUICKSTART_PHASES.indexOf(phase) + 1}/${QUICKSTART_PHASES.length} ${phase}`;
  return {
    start(phase, detail) {
      startedAt.set(phase, clock.now());
      write?.(`${label(phase)}: ${detail ?? starting[phase]}…`);
    },
    end(phase, result) {
      const at = startedAt.get(phase);
      if (at === undefined || took.has(phase)) return;
      const ms = clock.now() - at;
      took.set(phase, ms);
      write?.(`${label(phase)}: ${result ? `${result}, ` : ''}done in ${formatSeconds(ms)}`);
    },
    timings: () => Object.fromEntries(took),
    summary() {
      const parts = [...took].map(([phase, ms]) => `${phase} ${formatSeconds(ms)}`);
      return `phases: ${parts.join(' · ')} · total ${formatSeconds(clock.now() - first)}`;
    },
  };
}
