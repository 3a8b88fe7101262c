// The simulated B2B market: scenario file, simulator, ground truth (benchmarks/reports only) and
// reference policies.
export * from './types.js';
export { scenarioSchema, PERSONAS, SIZES, CHANNELS, SIGNAL_TYPES, DRIFT_KINDS, type Scenario, type ScenarioInput, type DriftEvent, type ResponseOverride, type SegmentTarget } from './scenario-schema.js';
export { loadScenario, defaultScenario, formatPath, ScenarioError, type ScenarioIssue } from './load-scenario.js';
export { loadScenarioSpec, isGeneratedSpec, ScenarioNotFoundError } from './scenario-spec.js';
export { generateScenario } from './generator.js';
export { DEFAULT_RANGES, RANGE_BOUNDS, type GeneratorRanges, type Range } from './generator-ranges.js';
export { createMarket, SimMarket, type Market, type MarketOptions, type MarketStats, type ChannelTally, type ChoiceTally, type TreatmentOutcome, type AppliedDrift } from './market.js';
export { createGroundTruth, labelOracleFor, type GroundTruth, type BestAction, type ChoiceQuality, type SizeBreakdown, type FunnelBreakdown, type IntentLabel, type LabelOracle } from './ground-truth.js';
export { FUNNEL_STATES, type FunnelState } from './account-state.js';
export { ACCOUNT_FIGURES, type AccountFigure, type AccountOutcomes, type AccountTally } from './account-outcomes.js';
export {
  rulesBaselinePolicy,
  oraclePolicy,
  noActionPolicy,
  meanAnswerChance,
  simulatePolicy,
  trueChannelContribution,
  type Policy,
  type PolicyContext,
  type PolicyResult,
  type SimulateOptions,
} from './policies.js';
export { DAY_MS, HOUR_MS, MIN_MS_PER_DAY, simEpochMs, simDate, startEpochMs, dayOf, hourOf, checkMsPerDay, createSimClock, type SimClock } from './clock.js';
export { Rng, deriveSeed } from './random.js';
