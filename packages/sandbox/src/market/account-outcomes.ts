// Per account, what a policy did to the market and what it won (hidden truth: benchmarks and run
// reports only). Why per account: policies compared on the same market (common random numbers)
// differ account by account, and resampling accounts gives each comparison its interval.

/** one column per figure, indexed like the scenario's accounts (acc_000001 is index 0) */
export interface AccountTally {
  /** treatments applied to the account */
  treatments: Float64Array;
  /** the sum of their hidden answer chances (responses without the luck) */
  expectedResponses: Float64Array;
  /** the sum of answer chance × the hidden value of an answer at that moment (ResponseValue) */
  expectedValue: Float64Array;
  /** responses drawn */
  responses: Float64Array;
  /** opportunities created */
  opportunities: Float64Array;
  /** amounts of the opportunities created, $ */
  pipelineCreated: Float64Array;
  /** closed-won $ with each deal's final win draw replaced by its chance (won or lost) */
  expectedRevenue: Float64Array;
  /** closed-won $ */
  revenue: Float64Array;
}

export type AccountFigure = keyof AccountTally;

export const ACCOUNT_FIGURES: readonly AccountFigure[] = ['treatments', 'expectedResponses', 'expectedValue', 'responses', 'opportunities', 'pipelineCreated', 'expectedRevenue', 'revenue'];

export interface AccountOutcomes extends AccountTally {
  accountIds: readonly string[];
}

export function createAccountTally(accounts: number): AccountTally {
  return Object.fromEntries(ACCOUNT_FIGURES.map((f) => [f, new Float64Array(accounts)])) as unknown as AccountTally;
}

/** a copy, so that a report keeps what the market had when it was asked */
export function copyAccountOutcomes(tally: AccountTally, accountIds: readonly string[]): AccountOutcomes {
  const out = Object.fromEntries(ACCOUNT_FIGURES.map((f) => [f, Float64Array.from(tally[f])])) as unknown as AccountTally;
  return { ...out, accountIds };
}
