// The hidden value of an answer from an account today: the expected closed-won revenue one
// answer adds (a one-step approximation). The oracle ranks by it; the per-account tally weighs
// every treatment's answer chance by it.
import { Funnel, type AccountState } from './account-state.js';
import type { Scenario } from './scenario-schema.js';
import { expectedDealSize, winRate, type StepParams } from './step-params.js';

/** how much of a won deal one intent point is worth at each funnel state (the win-rate slope,
 *  discounted by how far from a decision the account still is) */
const FUNNEL_REACH = [0.25, 0.5, 0.8, 1, 0, 0.1];

export function responseValue(params: StepParams, scenario: Scenario, s: AccountState, day: number): number {
  const horizon = scenario.days - 1;
  const slope = winRate(params, 1) - winRate(params, 0);
  const lift = scenario.response.intentBoost * (1 - s.intent);
  // accounts outside an opportunity need time to get there: value fades toward the horizon
  const remaining = Math.max(0, horizon - day) / Math.max(1, scenario.days);
  const time = s.funnel === Funnel.opportunity ? 1 : remaining;
  return expectedDealSize(params, s.size) * lift * slope * FUNNEL_REACH[s.funnel] * time;
}
