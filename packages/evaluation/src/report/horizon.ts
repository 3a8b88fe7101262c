// Can closed-won revenue appear within a run's horizon? An opportunity takes the scenario's four
// stage durations to close (a mid-size deal: × 1; smaller deals are quicker, enterprise slower).
// A run shorter than that can only close deals that were open on day 0, so its revenue says
// little about the policy: the report then leads with the leading indicators.
import type { Scenario } from '@revloop/sandbox';

export interface Horizon {
  days: number;
  /** days from opportunity to close of a typical (mid-size) deal in this market */
  sales_cycle_days: number;
  /** false: the horizon is shorter than the typical sales cycle */
  revenue_can_appear: boolean;
}

export function typicalSalesCycleDays(scenario: Pick<Scenario, 'funnel'>): number {
  const st = scenario.funnel.stageDays;
  return Math.round((st.qualification + st.discovery + st.proposal + st.negotiation) * scenario.funnel.cycleMultiplier.mid);
}

export function horizonOf(scenario: Pick<Scenario, 'funnel'>, days: number): Horizon {
  const cycle = typicalSalesCycleDays(scenario);
  return { days, sales_cycle_days: cycle, revenue_can_appear: days >= cycle };
}
