export { runClosedLoop, type ClosedLoopOptions, type ClosedLoopResult, type DayRecord } from './loop/closed-loop.js';
export { referenceRuns } from './run/baselines.js';
export { buildReport, type RunReport } from './run/report-data.js';
export { renderReportHtml } from './run/report-html.js';
export { defaultModels } from './run/default-models.js';
export { loadRunScenario } from './run/run-command.js';
