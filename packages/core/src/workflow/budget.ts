// Budgets that cannot be overshot: a paid call reserves its worst-case cost first; the call only
// happens when every budget that applies has room for it; the actual cost settles after. Spend
// is written to the cost ledger per workflow, step, plugin and model.
import type { Store } from '@revloop/store';
import { RevloopError } from '../errors.js';

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

interface LedgerRow {
  kind: 'reserve' | 'settle';
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
  private readonly spent = new Map<string, number>(); // rule name → settled micros in the period
  private readonly reserved = new Map<string, number>();
  private readonly pending: LedgerRow[] = [];
  private periodKey = new Map<string, number>();

  constructor(
    private readonly rules: BudgetRule[],
    private readonly now: () => number,
  ) {}

  /** load what was already spent in the current periods from the ledger */
  async load(store: Store): Promise<void> {
    for (const rule of this.rules) {
      if (rule.period === 'run') continue;
      const start = this.periodStart(rule);
      let q = store.db.selectFrom('cost_ledger').select((eb) => eb.fn.sum<number>('cost_micros').as('total')).where('kind', '=', 'settle').where('created_at', '>=', start);
      if (rule.scope !== 'total' && rule.target) q = q.where(rule.scope, '=', rule.target);
      const row = await q.executeTakeFirst();
      this.spent.set(rule.name, Number(row?.total ?? 0));
      this.periodKey.set(rule.name, start);
    }
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

  private rollPeriods(): void {
    for (const rule of this.rules) {
      if (rule.period === 'run') continue;
      const start = this.periodStart(rule);
      if (this.periodKey.get(rule.name) !== start) {
        this.periodKey.set(rule.name, start);
        this.spent.set(rule.name, 0);
      }
    }
  }

  /** true when every applicable budget has room for `micros` more */
  hasRoom(micros: number, labels: SpendLabels): boolean {
    this.rollPeriods();
    return this.rules.every((r) => !this.applies(r, labels) || (this.spent.get(r.name) ?? 0) + (this.reserved.get(r.name) ?? 0) + micros <= r.limitUsd * 1e6);
  }

  reserve(micros: number, labels: SpendLabels): { micros: number; labels: SpendLabels } {
    if (!this.hasRoom(micros, labels)) {
      const rule = this.rules.find((r) => this.applies(r, labels) && (this.spent.get(r.name) ?? 0) + (this.reserved.get(r.name) ?? 0) + micros > r.limitUsd * 1e6)!;
      throw new RevloopError('BUDGET_EXHAUSTED', `budget "${rule.name}" ($${rule.limitUsd} per ${rule.period}) has no room for a $${(micros / 1e6).toFixed(6)} call of ${labels.model}`, {
        where: `budgets.${rule.name}`,
        fix: 'raise the budget, or let the router use a cheaper model (lower the step\'s minQuality)',
      });
    }
    for (const r of this.rules) if (this.applies(r, labels)) this.reserved.set(r.name, (this.reserved.get(r.name) ?? 0) + micros);
    if (micros > 0) this.pending.push(this.row('reserve', micros, labels));
    return { micros, labels };
  }

  settle(reservation: { micros: number; labels: SpendLabels }, actualMicros: number, usage?: { tokensIn?: number; tokensOut?: number }): void {
    const { labels } = reservation;
    for (const r of this.rules) {
      if (!this.applies(r, labels)) continue;
      this.reserved.set(r.name, (this.reserved.get(r.name) ?? 0) - reservation.micros);
      this.spent.set(r.name, (this.spent.get(r.name) ?? 0) + actualMicros);
    }
    if (actualMicros > 0 || reservation.micros > 0) this.pending.push({ ...this.row('settle', actualMicros, labels), tokens_in: usage?.tokensIn ?? null, tokens_out: usage?.tokensOut ?? null });
  }

  spentMicros(ruleName: string): number {
    return this.spent.get(ruleName) ?? 0;
  }

  private row(kind: 'reserve' | 'settle', micros: number, l: SpendLabels): LedgerRow {
    return { kind, budget: null, workflow: l.workflow, step: l.step, plugin: l.plugin, model: l.model, decision_id: l.decisionId ?? null, tokens_in: null, tokens_out: null, cost_micros: micros, created_at: this.now() };
  }

  /** write buffered ledger rows (one insert per batch of decisions) */
  async flush(store: Store): Promise<void> {
    if (this.pending.length) await store.insertRows([{ table: 'cost_ledger', rows: this.pending.splice(0, this.pending.length) }]);
  }
}
