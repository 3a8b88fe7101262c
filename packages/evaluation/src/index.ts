// @revloop/evaluation: the closed-loop evaluation harness that `revloop run`, `pnpm bench` and the
// tests share — the loop over simulated days (direct or through the vendor connectors), the
// reference runs it is compared with (rules baseline, oracle, no action), the report data, and
// the paired bootstrap statistics.
export { loopConfig, openLoopSource, runClosedLoop, startClosedLoop, type ClosedLoopOptions, type ClosedLoopResult, type ClosedLoopSession, type DayRecord } from './loop/closed-loop.js';
export type { LoopVia, LoopSource, IngestDay } from './loop/loop-source.js';
export { VENDOR_STREAMS } from './loop/vendor-sync.js';
export { SANDBOX_HUBSPOT_PERSONAS, VENDOR, vendorConnectors } from './loop/vendor-connectors.js';
export { vendorConversions, vendorExecuteTargets } from './loop/vendor-targets.js';
export { defaultBrandPolicy, defaultWorkflow } from './loop/workflow-config.js';
export { defaultModels } from './loop/default-models.js';
export { referenceRuns, type ReferenceRun, type ReferenceRuns } from './reference/baselines.js';
export { expectedResponsesSoFar } from './market-truth.js';
export { compareLoop, policyTotals, verdictOf, MEASURES, POLICIES, RUN_BOOTSTRAP, type Comparison, type MeasureKey, type PolicyName, type Verdict, type BootstrapSettings } from './report/comparison.js';
export { horizonOf, typicalSalesCycleDays, type Horizon } from './report/horizon.js';
export { rollingAnswerRate, ANSWER_RATE_WINDOW_DAYS } from './report/answer-rate.js';
export { buildReport, type RunReport } from './report-data.js';
export { bootstrapCI, bootstrapSumsCI, incrementalShare, meanDefined, parseSeeds, quantile, ratioOfMeans, seededRandom, type BootstrapOptions } from './stats/bootstrap.js';
