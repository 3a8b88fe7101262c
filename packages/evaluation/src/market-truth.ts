// What the market's hidden truth says about a run so far (reports and benchmarks only: never
// handed to revloop's runtime).
import type { Market } from '@revloop/sandbox';

/** the hidden answer chances of every treatment the market took so far, summed */
export function expectedResponsesSoFar(market: Market): number {
  let sum = 0;
  for (const t of Object.values(market.groundTruth().channelContribution())) sum += t.expectedResponses;
  return sum;
}
