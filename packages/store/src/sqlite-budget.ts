// BudgetLedger for SQLite: each reservation and settlement is one BEGIN IMMEDIATE transaction of
// cached prepared statements. BEGIN IMMEDIATE takes the database's write lock before the first
// read, so two processes cannot both read "room left" and both reserve it; the second waits
// (busy_timeout) and then reads what the first reserved.
import type BetterSqlite3 from 'better-sqlite3';
import type { BudgetCharge, BudgetLedger, BudgetPeriodState, BudgetReserveRequest, BudgetReserveResult, BudgetSettleRequest, BudgetSettleResult } from './budget-ledger.js';

interface PeriodRow {
  budget: string;
  period_start: number;
  limit_micros: number;
  reserved_micros: number;
  spent_micros: number;
  overrun_micros: number;
}

const scopeColumns = new Set(['workflow', 'step', 'plugin', 'model']);

function state(r: PeriodRow): BudgetPeriodState {
  return { budget: r.budget, periodStart: r.period_start, limitMicros: r.limit_micros, reservedMicros: r.reserved_micros, spentMicros: r.spent_micros, overrunMicros: r.overrun_micros };
}

export function createSqliteBudgetLedger(sqlite: BetterSqlite3.Database): BudgetLedger {
  try {
    return createLedger(sqlite);
  } catch (e) {
    if (!/no such table/.test((e as Error).message)) throw e;
    throw new Error(`the store at ${sqlite.name} has no budget tables (${(e as Error).message}): it was made by an older revloop; run \`revloop migrate\` to add them (migration 006_budget_reservations)`);
  }
}

function createLedger(sqlite: BetterSqlite3.Database): BudgetLedger {
  const select = sqlite.prepare('select * from "budget_periods" where "budget" = ? and "period_start" = ?');
  const insertPeriod = sqlite.prepare('insert into "budget_periods" ("budget", "period_start", "limit_micros", "reserved_micros", "spent_micros", "overrun_micros", "updated_at") values (?, ?, ?, 0, ?, 0, ?) on conflict do nothing');
  const setLimit = sqlite.prepare('update "budget_periods" set "limit_micros" = ? where "budget" = ? and "period_start" = ?');
  const addReserved = sqlite.prepare('update "budget_periods" set "reserved_micros" = "reserved_micros" + ?, "updated_at" = ? where "budget" = ? and "period_start" = ?');
  const addSpent = sqlite.prepare('update "budget_periods" set "spent_micros" = "spent_micros" + ?, "overrun_micros" = "overrun_micros" + ?, "updated_at" = ? where "budget" = ? and "period_start" = ?');
  const insertReservation = sqlite.prepare('insert into "budget_reservations" ("id", "budget", "period_start", "micros", "state", "created_at") values (?, ?, ?, ?, \'open\', ?)');
  const reservationsOf = sqlite.prepare('select "budget", "period_start", "micros", "state" from "budget_reservations" where "id" = ?');
  const deleteReservation = sqlite.prepare('delete from "budget_reservations" where "id" = ?');
  const openOf = sqlite.prepare('select "id", "period_start", "micros", "created_at" from "budget_reservations" where "budget" = ? and "state" = \'open\'');
  const release = sqlite.prepare('update "budget_reservations" set "state" = \'released\' where "id" = ? and "budget" = ?');
  const seeds = new Map<string, BetterSqlite3.Statement>();

  /** settled spend already logged in the period (before this budget's row existed) */
  function seed(c: BudgetCharge): number {
    const column = c.scope !== 'total' && c.target && scopeColumns.has(c.scope) ? c.scope : undefined;
    const key = column ?? '';
    let stmt = seeds.get(key);
    if (!stmt) {
      stmt = sqlite.prepare(`select coalesce(sum("cost_micros"), 0) as "total" from "cost_ledger" where "kind" = 'settle' and "created_at" >= ?${column ? ` and "${column}" = ?` : ''}`);
      seeds.set(key, stmt);
    }
    const row = (column ? stmt.get(c.periodStart, c.target) : stmt.get(c.periodStart)) as { total: number };
    return Number(row.total);
  }

  /** the period's row, created (with the spend already logged in it) on its first reservation */
  function periodRow(c: BudgetCharge, now: number): PeriodRow {
    const row = select.get(c.budget, c.periodStart) as PeriodRow | undefined;
    if (!row) {
      insertPeriod.run(c.budget, c.periodStart, c.limitMicros, seed(c), now);
      return select.get(c.budget, c.periodStart) as PeriodRow;
    }
    if (row.limit_micros !== c.limitMicros) {
      setLimit.run(c.limitMicros, c.budget, c.periodStart);
      row.limit_micros = c.limitMicros;
    }
    return row;
  }

  const reserve = sqlite.transaction((req: BudgetReserveRequest): BudgetReserveResult => {
    const rows: PeriodRow[] = [];
    for (const c of req.charges) {
      if (req.releasable) {
        for (const s of openOf.all(c.budget) as { id: string; period_start: number; micros: number; created_at: number }[]) {
          if (!req.releasable({ id: s.id, createdAt: s.created_at })) continue;
          addReserved.run(-s.micros, req.now, c.budget, s.period_start);
          release.run(s.id, c.budget);
        }
      }
      const row = periodRow(c, req.now);
      if (row.spent_micros + row.reserved_micros + req.micros > row.limit_micros) return { ok: false, refusedBy: state(row) };
      rows.push(row);
    }
    for (const c of req.charges) {
      addReserved.run(req.micros, req.now, c.budget, c.periodStart);
      insertReservation.run(req.id, c.budget, c.periodStart, req.micros, req.now);
    }
    return { ok: true, periods: req.charges.map((c) => state(select.get(c.budget, c.periodStart) as PeriodRow)) };
  });

  const settle = sqlite.transaction((req: BudgetSettleRequest): BudgetSettleResult => {
    let held = reservationsOf.all(req.id) as { budget: string; period_start: number; micros: number; state: string }[];
    // the reservation is gone (a transaction around it rolled back): its cost is charged all the same
    if (!held.length && req.charges) held = req.charges.map((c) => (periodRow(c, req.now), { budget: c.budget, period_start: c.periodStart, micros: 0, state: 'gone' }));
    let overrunMicros = 0;
    const periods: BudgetPeriodState[] = [];
    for (const r of held) {
      const over = r.state === 'gone' ? 0 : Math.max(0, req.actualMicros - r.micros);
      overrunMicros = Math.max(overrunMicros, over);
      if (r.state === 'open') addReserved.run(-r.micros, req.now, r.budget, r.period_start);
      addSpent.run(req.actualMicros, over, req.now, r.budget, r.period_start);
      periods.push(state(select.get(r.budget, r.period_start) as PeriodRow));
    }
    deleteReservation.run(req.id);
    return { periods, overrunMicros };
  });

  return {
    // BEGIN IMMEDIATE: the write lock before the first read
    reserve: (req) => reserve.immediate(req),
    settle: (req) => settle.immediate(req),
    period(budget, periodStart) {
      const row = select.get(budget, periodStart) as PeriodRow | undefined;
      return row ? state(row) : undefined;
    },
  };
}
