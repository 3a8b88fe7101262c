import { describe, expect, it } from 'vitest';
import { formatSeconds, QUICKSTART_PHASES, quickstartPhases } from '../src/quickstart-phases.js';

/** a clock the test moves by hand */
function manualClock() {
  let t = 1_000;
  return { now: () => t, advance: (ms: number) => (t += ms) };
}

describe('quickstart phases', () => {
  it('prints each phase as it starts and as it ends, with its time, in the order they run', () => {
    const lines: string[] = [];
    const clock = manualClock();
    const phases = quickstartPhases((l) => lines.push(l), clock);
    phases.start('emulators');
    expect(lines).toHaveLength(1); // printed when it starts, not only at the end
    clock.advance(1_500);
    phases.end('emulators');
    phases.start('sync');
    clock.advance(42_400);
    phases.end('sync', '14 streams, 25,000 rows written');
    expect(lines).toEqual([
      "quickstart 1/6 emulators: starting the sandbox's loopback emulators (HubSpot, Salesforce, LinkedIn Ads, Google Ads) and opening the store…",
      'quickstart 1/6 emulators: done in 1.5 s',
      'quickstart 3/6 sync: syncing every connector into the unified model…',
      'quickstart 3/6 sync: 14 streams, 25,000 rows written, done in 42 s',
    ]);
    expect(phases.timings()).toEqual({ emulators: 1_500, sync: 42_400 });
    expect(phases.summary()).toBe('phases: emulators 1.5 s · sync 42 s · total 44 s');
  });

  it('ends a phase once: a second end (or the end of one never started) prints nothing', () => {
    const lines: string[] = [];
    const clock = manualClock();
    const phases = quickstartPhases((l) => lines.push(l), clock);
    phases.start('sync');
    clock.advance(2_000);
    phases.end('sync');
    clock.advance(5_000);
    phases.end('sync', 'again');
    phases.end('identity');
    expect(lines).toHaveLength(2);
    expect(phases.timings()).toEqual({ sync: 2_000 });
  });

  it('with no writer (--json) prints nothing and still keeps the timings', () => {
    const clock = manualClock();
    const phases = quickstartPhases(undefined, clock);
    for (const phase of QUICKSTART_PHASES) {
      phases.start(phase);
      clock.advance(100);
      phases.end(phase);
    }
    expect(Object.keys(phases.timings())).toEqual([...QUICKSTART_PHASES]);
  });

  it('formats times for a person: tenths under 10 s, whole seconds, then minutes', () => {
    expect(formatSeconds(840)).toBe('0.8 s');
    expect(formatSeconds(65_400)).toBe('65 s');
    expect(formatSeconds(185_000)).toBe('3 min 05 s');
  });
});
