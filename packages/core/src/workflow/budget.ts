// Budgets that cannot be overshot: a paid call reserves its worst-case cost first; the call only
// happens when every budget that applies has room for it; the actual cost settles after. Spend
// is written to the cost ledger per workflow, step, plugin and model.
//
// Day and month budgets live in the store (store.budgets): the check and the reservation are one
// transaction against one row per budget period, so that every run and every process sharing the
// store reserves against the same numbers (two runs with a guard each used to spend 2× a budget).
// An actual cost above its reservation is recorded as an overrun (a ledger row of kind 'overrun'
// and the period's overrun_micros); the spend counts in full, so no further call is reserved
// until the period is back within its limit. A reservation left by a process that died is given
// back (reservation-owner.ts). 'run' budgets belong to one run and stay in memory.
import type { BudgetCharge, BudgetLedger, BudgetPeriodState, Store } from '@revloop/store';
import type { RevloopError } from '../errors.js';
import { budgetRefusal } from './budget-refusal.js';
import { isAbandoned, newReservationId, reservationSettled } from './reservation-owner.js';

export { RESERVATION_RELEASE_MS } from './reservation-owner.js';

export interface BudgetRule {
  name: string;
  scope: 'total' | 'workflow' | 'step' | 'plugin' | 'model';
  target?: string;
  limitUsd: number;
  period: 'day' | 'month' | 'run';
}

export interface SpendLabels {
  workflow: string;
  step: string;
  plugin: string;
  model: string;
  decisionId?: string;
}

export interface Reservation {
  micros: number;
  labels: SpendLabels;
  /** the store's reservation id (day and month budgets) */
  id?: string;
  /** the budget periods it was reserved in */
  charges?: BudgetCharge[];
}

interface LedgerRow {
  kind: 'reserve' | 'settle' | 'overrun';
  budget: string | null;
  workflow: string;
  step: string;
  plugin: string;
  model: string;
  decision_id: string | null;
  tokens_in: number | null;
  tokens_out: number | null;
  cost_micros: number;
  created_at: number;
}

const DAY = 86_400_000;

export class BudgetGuard {
  private readonly spent = new Map<string, number>(); // rule name → spend in the period
  private readonly reserved = new Map<string, number>(); // 'run' rules only
  private readonly pending: LedgerRow[] = [];
  private ledger: BudgetLedger | undefined;

  constructor(
    private readonly rules: BudgetRule[],
    private readonly now: () => number,
  ) {}

  /** attach the store's budgets (shared by every run and process); without them, budgets hold per guard only */
  async load(store: Store): Promise<void> {
    this.ledger = store.budgets;
    if (this.ledger) {
      for (const rule of this.storedRules()) this.spent.set(rule.name, this.ledger.period(rule.name, this.periodStart(rule))?.spentMicros ?? 0);
      return;
    }
    for (const rule of this.storedRules()) {
      let q = store.db.selectFrom('cost_ledger').select((eb) => eb.fn.sum<number>('cost_micros').as('total')).where('kind', '=', 'settle').where('created_at', '>=', this.periodStart(rule));
      if (rule.scope !== 'total' && rule.target) q = q.where(rule.scope, '=', rule.target);
      const row = await q.executeTakeFirst();
      this.spent.set(rule.name, Number(row?.total ?? 0));
    }
  }

  private storedRules(): BudgetRule[] {
    return this.rules.filter((r) => r.period !== 'run');
  }

  private periodStart(rule: BudgetRule): number {
    const now = this.now();
    if (rule.period === 'day') return Math.floor(now / DAY) * DAY;
    const d = new Date(now);
    return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
  }

  private applies(rule: BudgetRule, labels: SpendLabels): boolean {
    if (rule.scope === 'total') return true;
    return !rule.target || labels[rule.scope] === rule.target;
  }

  /** rules held in this guard's memory: 'run' budgets, and every budget when the store has none */
  private local(rule: BudgetRule): boolean {
    return rule.period === 'run' || !this.ledger;
  }

  private localRefusal(micros: number, labels: SpendLabels): BudgetRule | undefined {
    return this.rules.find((r) => this.local(r) && this.applies(r, labels) && (this.spent.get(r.name) ?? 0) + (this.reserved.get(r.name) ?? 0) + micros > r.limitUsd * 1e6);
  }

  /** true when every applicable budget has room for `micros` more (a look only: reserve() decides) */
  hasRoom(micros: number, labels: SpendLabels): boolean {
    if (this.localRefusal(micros, labels)) return false;
    if (!this.ledger) return true;
    return this.storedRules().every((r) => {
      if (!this.applies(r, labels)) return true;
      const p = this.ledger!.period(r.name, this.periodStart(r));
      return !p || p.spentMicros + p.reservedMicros + micros <= r.limitUsd * 1e6;
    });
  }

  reserve(micros: number, labels: SpendLabels): Reservation {
    const local = this.localRefusal(micros, labels);
    if (local) throw this.refusal(local, micros, labels, { spentMicros: this.spent.get(local.name) ?? 0, reservedMicros: this.reserved.get(local.name) ?? 0 });
    const reservation: Reservation = { micros, labels };
    const charges: BudgetCharge[] = this.ledger
      ? this.storedRules()
          .filter((r) => this.applies(r, labels))
          .map((r) => ({ budget: r.name, periodStart: this.periodStart(r), limitMicros: Math.round(r.limitUsd * 1e6), scope: r.scope, target: r.target }))
      : [];
    if (charges.length) {
      const id = newReservationId();
      const answer = this.ledger!.reserve({ id, micros, charges, now: this.now(), releasable: (r) => isAbandoned(r.id) });
      if (!answer.ok) {
        reservationSettled(id);
        const rule = this.rules.find((r) => r.name === answer.refusedBy.budget)!;
        this.spent.set(rule.name, answer.refusedBy.spentMicros);
        throw this.refusal(rule, micros, labels, answer.refusedBy);
      }
      reservation.id = id;
      reservation.charges = charges;
    }
    for (const r of this.rules) if (this.local(r) && this.applies(r, labels)) this.reserved.set(r.name, (this.reserved.get(r.name) ?? 0) + micros);
    if (micros > 0) this.pending.push(this.row('reserve', micros, labels));
    return reservation;
  }

  settle(reservation: Reservation, actualMicros: number, usage?: { tokensIn?: number; tokensOut?: number }): void {
    const { labels } = reservation;
    for (const r of this.rules) {
      if (!this.applies(r, labels)) continue;
      if (this.local(r)) this.reserved.set(r.name, (this.reserved.get(r.name) ?? 0) - reservation.micros);
      this.spent.set(r.name, (this.spent.get(r.name) ?? 0) + actualMicros);
    }
    let periods: BudgetPeriodState[] = [];
    if (reservation.id && this.ledger) {
      const settled = this.ledger.settle({ id: reservation.id, actualMicros, now: this.now(), charges: reservation.charges });
      reservationSettled(reservation.id);
      periods = settled.periods;
      for (const p of periods) this.spent.set(p.budget, p.spentMicros);
    }
    if (actualMicros > 0 || reservation.micros > 0) this.pending.push({ ...this.row('settle', actualMicros, labels), tokens_in: usage?.tokensIn ?? null, tokens_out: usage?.tokensOut ?? null });
    if (actualMicros > reservation.micros) {
      // the call cost more than it reserved: on record, and its spend counts in full
      const budgets = periods.length ? periods.map((p) => p.budget) : this.rules.filter((r) => this.applies(r, labels)).map((r) => r.name);
      this.pending.push({ ...this.row('overrun', actualMicros - reservation.micros, labels), budget: budgets.join(',') || null });
    }
  }

  /** spend in the current period of a budget, as this guard last saw it */
  spentMicros(ruleName: string): number {
    return this.spent.get(ruleName) ?? 0;
  }

  private refusal(rule: BudgetRule, micros: number, labels: SpendLabels, seen: { spentMicros: number; reservedMicros: number }): RevloopError {
    return budgetRefusal(rule, micros, labels.model, seen);
  }

  private row(kind: LedgerRow['kind'], micros: number, l: SpendLabels): LedgerRow {
    return { kind, budget: null, workflow: l.workflow, step: l.step, plugin: l.plugin, model: l.model, decision_id: l.decisionId ?? null, tokens_in: null, tokens_out: null, cost_micros: micros, created_at: this.now() };
  }

  /** write buffered ledger rows (one insert per batch of decisions) */
  async flush(store: Store): Promise<void> {
    if (this.pending.length) await store.insertRows([{ table: 'cost_ledger', rows: this.pending.splice(0, this.pending.length) }]);
  }
}

