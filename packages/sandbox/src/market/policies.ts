// Two reference policies and a harness that runs one against a fresh market, so that revloop's
// results can be placed between "traditional if-then automation" and "knows the hidden truth".
import { simEpochMs } from './clock.js';
import type { FunnelState } from './account-state.js';
import type { AccountOutcomes } from './account-outcomes.js';
import type { ChoiceQuality, FunnelBreakdown, SizeBreakdown } from './ground-truth.js';
import { createMarket, type Market, type MarketStats } from './market.js';
import type { Scenario } from './scenario-schema.js';
import type { CompanySize, MarketEvent, SimSignal, SimTreatment, TreatmentChannel } from './types.js';

export interface PolicyContext {
  market: Market;
  /** the day just simulated */
  day: number;
  /** the signals the market emitted that day (what a vendor would have seen) */
  signals: readonly SimSignal[];
  /** at most this many treatments are applied per day */
  budget: number;
}

/** decides the next day's treatments; the harness applies at most `budget` of them */
export type Policy = (ctx: PolicyContext) => SimTreatment[];

export interface PolicyResult {
  revenue: number;
  /** all spend: ad campaigns plus treatments */
  spend: number;
  treatmentSpend: number;
  closedWon: number;
  opportunities: number;
  treatments: number;
  /** spend per closed-won deal (Infinity with none) */
  cac: number;
  /** mean hidden answer chance of the treatments applied (0 with none) */
  answerChance: number;
  /** how good its channel, hour, topic and contact choices were (GroundTruth.choiceQuality) */
  choices: ChoiceQuality;
  /** treatments, answer chance, opportunities and revenue per company size (GroundTruth.bySize) */
  bySize: Record<CompanySize, SizeBreakdown>;
  /** treatments and answer chance per funnel state of the treated account (GroundTruth.byFunnel) */
  byFunnel: Record<FunnelState, FunnelBreakdown>;
  /** per account: treatments, answer chances, pipeline and revenue (GroundTruth.byAccount) */
  accounts: AccountOutcomes;
  stats: MarketStats;
}

export interface SimulateOptions {
  days?: number;
  actionsPerDay?: number;
  /** treatments on these channels are dropped (counterfactual runs) */
  withoutChannels?: readonly TreatmentChannel[];
  /** called after each simulated day (for day-by-day reports) */
  onDay?: (day: number, stats: MarketStats) => void;
}

/**
 * Traditional automation: a demo or pricing visit → a fixed email to that contact at 9am next day
 * (on the visited topic); a form fill → a sales task. One touch per contact per week.
 */
export function rulesBaselinePolicy(options: { sendHour?: number; cooldownDays?: number } = {}): Policy {
  const sendHour = options.sendHour ?? 9;
  const cooldown = options.cooldownDays ?? 7;
  const lastTouched = new Map<string, number>();
  return ({ market, day, signals, budget }) => {
    const out: SimTreatment[] = [];
    const start = market.now() - (day + 1) * market.clock.msPerDay;
    for (const s of signals) {
      if (out.length >= budget) break;
      if (!s.contactId) continue;
      const rule: TreatmentChannel | undefined =
        s.type === 'demo_visit' || s.type === 'pricing_visit' ? 'email' : s.type === 'form_fill' ? 'sales_task' : undefined;
      if (!rule) continue;
      const last = lastTouched.get(s.contactId);
      if (last !== undefined && day - last < cooldown) continue;
      lastTouched.set(s.contactId, day);
      const hour = rule === 'email' ? sendHour : 10;
      out.push({ accountId: s.accountId, contactId: s.contactId, channel: rule, topic: s.topic, sendHour: hour, at: simEpochMs(start, day + 1, hour, 0, market.clock.msPerDay) });
    }
    return out;
  };
}

/** Knows the hidden response parameters: each day, the `budget` best actions by expected value. */
export function oraclePolicy(): Policy {
  return ({ market, day, budget }) => {
    const truth = market.groundTruth();
    const start = market.now() - (day + 1) * market.clock.msPerDay;
    const candidates = [];
    for (let i = 0; i < market.scenario.accounts.count; i++) {
      const best = truth.bestAction(`acc_${String(i + 1).padStart(6, '0')}`);
      if (best && best.expectedValue > 0) candidates.push(best);
    }
    candidates.sort((a, b) => b.expectedValue - a.expectedValue || (a.accountId < b.accountId ? -1 : 1));
    return candidates.slice(0, budget).map((b) => ({
      accountId: b.accountId,
      contactId: b.contactId,
      channel: b.channel,
      topic: b.topic,
      sendHour: b.sendHour,
      at: simEpochMs(start, day + 1, b.sendHour, 0, market.clock.msPerDay),
    }));
  };
}

/** the mean hidden answer chance of every treatment the market took (0 with none) */
export function meanAnswerChance(market: Market): number {
  let expected = 0;
  let treatments = 0;
  for (const t of Object.values(market.groundTruth().channelContribution())) {
    expected += t.expectedResponses;
    treatments += t.treatments;
  }
  return treatments ? expected / treatments : 0;
}

/** A policy that never acts (the market's own dynamics). */
export const noActionPolicy: Policy = () => [];

export function simulatePolicy(scenario: Scenario, policy: Policy, options: SimulateOptions = {}): PolicyResult {
  const days = Math.min(options.days ?? scenario.days, scenario.days);
  const budget = options.actionsPerDay ?? 10;
  const dropped = new Set(options.withoutChannels ?? []);
  const market = createMarket(scenario);
  let signals: SimSignal[] = [];
  market.subscribe({
    apply(e: MarketEvent) {
      if (e.kind === 'signal') signals.push(e.signal);
    },
  });
  for (let d = 0; d < days; d++) {
    signals = [];
    market.advanceDay();
    const treatments = policy({ market, day: d, signals, budget }).slice(0, budget);
    for (const t of treatments) if (!dropped.has(t.channel)) market.treat(t);
    options.onDay?.(d, market.stats());
  }
  const stats = market.stats();
  const treatmentSpend = stats.totalSpend - stats.adSpend.linkedin - stats.adSpend.google;
  const truth = market.groundTruth();
  return {
    answerChance: meanAnswerChance(market),
    choices: truth.choiceQuality(),
    bySize: truth.bySize(),
    byFunnel: truth.byFunnel(),
    accounts: truth.byAccount(),
    revenue: stats.revenueClosedWon,
    spend: stats.totalSpend,
    treatmentSpend,
    closedWon: stats.closedWon,
    opportunities: stats.opportunitiesCreated,
    treatments: stats.treatments.email + stats.treatments.linkedin + stats.treatments.google + stats.treatments.sales_task,
    cac: stats.closedWon ? stats.totalSpend / stats.closedWon : Infinity,
    stats,
  };
}

/**
 * Each channel's true incremental revenue under a policy: the policy's revenue minus the revenue of
 * the same run (same seed, common random numbers) with that channel's treatments dropped.
 */
export function trueChannelContribution(scenario: Scenario, policy: () => Policy, options: SimulateOptions = {}): Record<TreatmentChannel, number> {
  const full = simulatePolicy(scenario, policy(), options).revenue;
  const out = { email: 0, linkedin: 0, google: 0, sales_task: 0 };
  for (const c of Object.keys(out) as TreatmentChannel[]) {
    out[c] = full - simulatePolicy(scenario, policy(), { ...options, withoutChannels: [c] }).revenue;
  }
  return out;
}
