// Scenario numbers flattened into arrays once, so the per-account daily step reads no nested
// objects or strings.
import { segmentValues } from './response-overrides.js';
import { SIGNAL_TYPES, SIZES, type Scenario } from './scenario-schema.js';

export interface StepParams {
  signalBase: Float64Array;
  signalPerIntent: Float64Array;
  signalPoints: Float64Array;
  /** per industry, multiplies the intent target (drift events change it) */
  industryFactor: Float64Array;
  stageDays: Float64Array;
  cycleMultiplier: Float64Array;
  dealMedian: Float64Array;
  dealSpread: Float64Array;
  fatigueDecay: number;
  /** per segment (industry × size): daily fatigue decay (response.overrides may set its half-life) */
  segmentFatigueDecay: Float64Array;
  /** per segment: stage durations' multiplier (the size's cycleMultiplier × an override's cycleScale) */
  segmentCycle: Float64Array;
  /** out-of-market accounts' intent and surge-rate factor (intent.outOfMarketFactor, default 0.2) */
  outOfMarketFactor: number;
  scenario: Scenario;
}

export function createStepParams(scenario: Scenario): StepParams {
  const sig = scenario.signals;
  const f = scenario.funnel;
  return {
    signalBase: Float64Array.from(SIGNAL_TYPES.map((t) => sig[t].base)),
    signalPerIntent: Float64Array.from(SIGNAL_TYPES.map((t) => sig[t].perIntent)),
    signalPoints: Float64Array.from(SIGNAL_TYPES.map((t) => sig[t].points)),
    industryFactor: new Float64Array(scenario.industries.length).fill(1),
    stageDays: Float64Array.from([f.stageDays.qualification, f.stageDays.discovery, f.stageDays.proposal, f.stageDays.negotiation]),
    cycleMultiplier: Float64Array.from(SIZES.map((s) => f.cycleMultiplier[s])),
    dealMedian: Float64Array.from(SIZES.map((s) => f.dealSize[s].median)),
    dealSpread: Float64Array.from(SIZES.map((s) => f.dealSize[s].spread)),
    fatigueDecay: Math.pow(0.5, 1 / scenario.response.fatigueHalfLifeDays),
    segmentFatigueDecay: segmentValues(scenario, () => scenario.response.fatigueHalfLifeDays, 'fatigueHalfLifeDays').map((h) => Math.pow(0.5, 1 / h)),
    segmentCycle: segmentValues(scenario, () => 1, 'cycleScale').map((scale, s) => f.cycleMultiplier[SIZES[s % SIZES.length]] * scale),
    outOfMarketFactor: scenario.intent.outOfMarketFactor ?? 0.2,
    scenario,
  };
}

export function winRate(params: StepParams, intent: number): number {
  const w = params.scenario.funnel.winRate;
  return w.atZeroIntent + (w.atFullIntent - w.atZeroIntent) * intent;
}

/** expected deal size (lognormal mean) of a company size */
export function expectedDealSize(params: StepParams, size: number): number {
  const s = params.dealSpread[size];
  return params.dealMedian[size] * Math.exp((s * s) / 2);
}
