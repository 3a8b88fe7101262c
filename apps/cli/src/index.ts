// @revloop/cli as a library: the program (for embedding/tests) and the starter config.
export { main, buildProgram, VERSION } from './program.js';
export { starterConfig, starterFileName, SAMPLE_DATA_DIR, type StarterFormat } from './starter.js';
export { sampleData } from './sample-data.js';
export { initProject } from './commands/init.js';
export { table, type Column } from './output.js';
