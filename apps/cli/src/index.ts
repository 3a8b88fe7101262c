// @revloop/cli as a library: the program (for embedding/tests), the starter config, and the
// closed-loop run pieces.
export { main, buildProgram, VERSION } from './program.js';
export { starterConfig, starterFileName, SAMPLE_DATA_DIR, type StarterFormat } from './starter.js';
export { sampleData } from './sample-data.js';
export { initProject } from './commands/init.js';
export { table, type Column } from './output.js';
export { scheduledJobs } from './commands/serve.js';
export { loopConfig, openLoopSource, runClosedLoop, startClosedLoop, type ClosedLoopOptions, type ClosedLoopResult, type ClosedLoopSession, type DayRecord } from './loop/closed-loop.js';
export type { LoopVia, LoopSource } from './loop/loop-source.js';
export { VENDOR_STREAMS } from './loop/vendor-sync.js';
export { SANDBOX_HUBSPOT_PERSONAS } from './loop/vendor-connectors.js';
export { referenceRuns } from './run/baselines.js';
export { buildReport, type RunReport } from './run/report-data.js';
export { renderReportHtml } from './run/report-html.js';
export { defaultModels } from './run/default-models.js';
export { loadRunScenario } from './run/run-command.js';
