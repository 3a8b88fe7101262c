// Kill moments and fault draws repeat with the seed: core's one seeded generator.
export { seededRandom } from '@revloop/core';
