// Budgets enforced in the store: the check and the reservation are one transaction against one
// row per budget period, so that concurrent runs and processes cannot together spend more than a
// budget. Core's BudgetGuard decides which budgets and periods a call is charged to; the store
// only keeps the numbers honest.

/** one budget period a call is charged to */
export interface BudgetCharge {
  /** the budget rule's name */
  budget: string;
  periodStart: number;
  limitMicros: number;
  /**
   * what the rule counts, used once: when the period's row is created, its spend starts from the
   * settled rows of cost_ledger in the period (spend logged before budgets lived in the store)
   */
  scope: 'total' | 'workflow' | 'step' | 'plugin' | 'model';
  target?: string;
}

export interface BudgetReserveRequest {
  /** unique per call */
  id: string;
  micros: number;
  charges: BudgetCharge[];
  now: number;
  /** open reservations of the charged budgets for which this is true are released first (their process is gone) */
  releasable?: (reservation: { id: string; createdAt: number }) => boolean;
}

export interface BudgetSettleRequest {
  id: string;
  actualMicros: number;
  now: number;
  charges?: BudgetCharge[];
}

export interface BudgetPeriodState {
  budget: string;
  periodStart: number;
  limitMicros: number;
  reservedMicros: number;
  spentMicros: number;
  overrunMicros: number;
}

export type BudgetReserveResult = { ok: true; periods: BudgetPeriodState[] } | { ok: false; refusedBy: BudgetPeriodState };

export interface BudgetSettleResult {
  /** the periods after the settlement */
  periods: BudgetPeriodState[];
  /** the actual cost above the reservation, 0 when within it */
  overrunMicros: number;
}

/**
 * Synchronous on SQLite (better-sqlite3 runs a transaction without yielding: the engine's calls
 * stay synchronous). A Postgres store implements the same two transactions (INSERT ... ON
 * CONFLICT DO NOTHING of the period rows, then SELECT ... FOR UPDATE of them in key order) and
 * needs the asynchronous form of BudgetGuard's calls.
 */
export interface BudgetLedger {
  /** reserves `micros` in every charged period, or in none when one of them has no room */
  reserve(request: BudgetReserveRequest): BudgetReserveResult;
  /**
   * gives the reservation back and records the actual cost (and any overrun); `charges` (those of
   * the reservation) are charged the cost when the reservation is gone (rolled back with a
   * transaction around it): a cost is never left uncounted
   */
  settle(request: BudgetSettleRequest): BudgetSettleResult;
  /** the current numbers of one budget period (undefined before its first reservation) */
  period(budget: string, periodStart: number): BudgetPeriodState | undefined;
}
