// The chaos suite of issue #27 (exactly-once execution): see describe.ts.
export { describeActionChaos } from './describe.js';
export { startHttpLink } from './http-link.js';
export { okRecordKeys } from './tally.js';
export { CHAOS_FAULTS, type ActionChaosOptions, type ChaosActionCase, type ChaosWorld, type ChaosEndpoint, type ChaosLink, type ChaosLinkOptions, type ChaosFault, type ChaosTally } from './types.js';
