// The hidden per-account state the simulator evolves each day. One plain object per account
// (monomorphic, so V8 keeps it fast); ground-truth rollouts step copies of it.

export const Funnel = {
  none: 0,
  mql: 1,
  sql: 2,
  opportunity: 3,
  won: 4,
  /** lost, or an SQL that did not convert: re-enters the funnel at `funnelUntil` */
  cooldown: 5,
} as const;

/** the funnel states' names, indexed by their `Funnel` value */
export const FUNNEL_STATES = ['none', 'mql', 'sql', 'opportunity', 'won', 'cooldown'] as const;
export type FunnelState = (typeof FUNNEL_STATES)[number];

export interface AccountState {
  index: number;
  industry: number;
  size: number;
  region: number;
  segment: number;
  /** in market (intent.inMarketShare): out of market, intent and surges are × outOfMarketFactor */
  inMarket: boolean;
  /** the level intent reverts to (before industry drift factors) */
  baseIntent: number;
  /** hidden buying intent 0..1 */
  intent: number;
  /** index of the topic the account currently researches */
  interestTopic: number;
  /** lead score from engagement signals (decays daily) */
  score: number;
  /** decayed count of treatments (diminishing returns) */
  fatigue: number;
  funnel: number;
  /** day of the next scheduled funnel transition */
  funnelUntil: number;
  /** opportunity stage 0..3 while funnel = opportunity */
  stage: number;
  /** the deal this account would sign (hidden; fixed at creation) */
  dealAmount: number;
  /** amount of the open or last opportunity */
  amount: number;
  /** a sales task got a response: MQL → SQL on the next day */
  salesAccepted: boolean;
  deleted: boolean;
  contactFirst: number;
  contactCount: number;
  /** the contact who carries the account through the funnel */
  leadContact: number;
  /** index into the market's opportunities, -1 if none open */
  opportunity: number;
  treatments: number;
  /** funnel episodes so far (each SQL starts one): keys the draws that decide an episode */
  episode: number;
}

export function copyAccountState(from: AccountState, to: AccountState): AccountState {
  return Object.assign(to, from);
}
