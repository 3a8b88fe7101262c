// @revloop/cli as a library: the program (for embedding/tests), the starter config and the run
// command's pieces (the closed-loop harness itself is @revloop/evaluation).
export { main, buildProgram, VERSION } from './program.js';
export { starterConfig, starterFileName, SAMPLE_DATA_DIR, type StarterFormat } from './starter.js';
export { sampleData } from './sample-data.js';
export { initProject } from './commands/init.js';
export { table, type Column } from './output.js';
export { scheduledJobs } from './commands/serve.js';
export { loadRunScenario } from './run/run-command.js';
export { renderReportHtml } from './run/report-html.js';
