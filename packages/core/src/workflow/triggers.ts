// Event-driven triggering: an account is (re-)decided when new signals or outcomes arrived since
// its last decision, or when its last decision is older than maxAgeDays — never on a calendar
// for every account. A cooldown keeps one account from being treated again too soon.
import { decisionEndRows, type Store } from '@revloop/store';
import type { WorkflowConfig } from './schema.js';
import { latestPerEntity, resolvedIdsOf } from '../identity/lookup.js';

const DAY = 86_400_000;

export interface Trigger {
  accountId: string;
  /** the newest signal/outcome that caused it (part of the decision's idempotency key) */
  at: number;
  reason: 'signals' | 'outcome' | 'max-age' | 'deferred';
}

/**
 * End states that decided nothing for good: over the run's execution cap ('deferred'). Their news
 * still waits for a decision, so the account is decided again in a later run. (An 'interrupted'
 * execution is settled: the next run sends it again as it was, see the engine's retryInterrupted.)
 */
export const unsettledStatuses = ['deferred'] as const;

/** end states that count for the cooldown: treated, waiting for a person, or on its way to the vendor */
const treatedStatuses = ['executed', 'pending_approval', 'in_progress', 'interrupted'] as const;

const CHUNK = 500;

interface LastDecisions {
  /** the newest decision that settled the account (executed, no action, waiting for approval…) */
  decided: Map<string, number>;
  executed: Map<string, number>;
  /** the newest decision that was deferred or interrupted */
  unsettled: Map<string, number>;
}

/**
 * the newest decision (after `since`) and the newest execution or approval request (after
 * `executedSince`) of each given account: one query per chunk of accounts, a time range of
 * decisions_account_end (one row per decision, the one that says how it ended), which covers it
 * and yields it in account order, so the grouping needs no sort. The execution is a CASE, not a
 * `status in (...)` filter: with that, SQLite's planner prefers decisions_workflow_end and
 * reads every execution of the workflow in the window for each chunk (see decisionStatusIs).
 */
async function lastDecisionsOf(store: Store, workflowName: string, accountIds: string[], since: number, executedSince: number): Promise<LastDecisions> {
  const out: LastDecisions = { decided: new Map(), executed: new Map(), unsettled: new Map() };
  for (let i = 0; i < accountIds.length; i += CHUNK) {
    const rows = await store.db
      .selectFrom('decisions')
      .select((eb) => [
        'account_id',
        eb.fn.max(eb.case().when('status', 'not in', [...unsettledStatuses]).then(eb.ref('created_at')).end()).as('last'),
        eb.fn.max(eb.case().when('status', 'in', [...unsettledStatuses]).then(eb.ref('created_at')).end()).as('lastUnsettled'),
        eb.fn.max(eb.case().when(eb.and([eb('status', 'in', [...treatedStatuses]), eb('created_at', '>', executedSince)])).then(eb.ref('created_at')).end()).as('lastExecuted'),
      ])
      .where('account_id', 'in', accountIds.slice(i, i + CHUNK))
      .where('workflow', '=', workflowName)
      .where(decisionEndRows)
      .where('created_at', '>', since)
      .groupBy('account_id')
      .execute();
    for (const d of rows) {
      if (d.last !== null) out.decided.set(d.account_id!, Number(d.last));
      if (d.lastUnsettled !== null) out.unsettled.set(d.account_id!, Number(d.lastUnsettled));
      if (d.lastExecuted !== null) out.executed.set(d.account_id!, Number(d.lastExecuted));
    }
  }
  return out;
}

function add(out: LastDecisions, accountId: string, status: string, last: number): void {
  if ((unsettledStatuses as readonly string[]).includes(status)) return;
  out.decided.set(accountId, Math.max(out.decided.get(accountId) ?? 0, last));
  if ((treatedStatuses as readonly string[]).includes(status)) out.executed.set(accountId, Math.max(out.executed.get(accountId) ?? 0, last));
}

export async function accountsToDecide(store: Store, workflowName: string, workflow: WorkflowConfig, now: number): Promise<Trigger[]> {
  const windowStart = now - workflow.featureWindowDays * DAY;
  // the newest signal / outcome per account: candidates until compared with their last decision
  const news = new Map<string, { at: number; reason: Trigger['reason'] }>();
  const note = (accountId: string, at: number, reason: Trigger['reason']) => {
    const prev = news.get(accountId);
    if (!prev || at > prev.at) news.set(accountId, { at, reason });
  };
  if (workflow.trigger.onSignals) {
    const signals = await store.db
      .selectFrom('signals')
      .select((eb) => ['account_id', eb.fn.max('occurred_at').as('last'), eb.fn.countAll<number>().as('n')])
      .where('account_id', 'is not', null)
      .where('deleted', '=', 0)
      .where('occurred_at', '>', windowStart)
      .where('occurred_at', '<=', now)
      .groupBy('account_id')
      .execute();
    // signals land on each connector's row of an account: counted per resolved account
    const entityOf = await resolvedIdsOf(store, 'account', signals.map((s) => s.account_id!));
    const perEntity = new Map<string, { n: number; last: number }>();
    for (const s of signals) {
      const id = entityOf.get(s.account_id!)!;
      const e = perEntity.get(id) ?? { n: 0, last: 0 };
      e.n += Number(s.n);
      e.last = Math.max(e.last, Number(s.last));
      perEntity.set(id, e);
    }
    for (const [id, e] of perEntity) if (e.n >= workflow.trigger.minSignals) note(id, e.last, 'signals');
  }
  const signalNews = new Map(news);
  if (workflow.trigger.onOutcomes) {
    const opps = await store.db
      .selectFrom('opportunities')
      .select((eb) => ['account_id', eb.fn.max('updated_at').as('last')])
      .where('account_id', 'is not', null)
      .where('updated_at', '>', windowStart)
      .where('updated_at', '<=', now)
      .groupBy('account_id')
      .execute();
    const entityOf = await resolvedIdsOf(store, 'account', opps.map((o) => o.account_id!));
    for (const o of opps) note(entityOf.get(o.account_id!)!, Number(o.last), 'outcome');
  }

  // News is always newer than windowStart, so a decision older than that cannot outdate it; the
  // cooldown looks back cooldownDays: decisions before those need not be read.
  const cooldown = workflow.cooldownDays * DAY;
  // decisions made for any row of the entity, before a merge too
  const last = await latestPerEntity(store, 'account', news.keys(), (rows) => lastDecisionsOf(store, workflowName, rows, windowStart, now - cooldown - 1));
  if (workflow.trigger.maxAgeDays) {
    // every account decided before can age out: this one needs all of them
    const all = await store.db
      .selectFrom('decisions')
      .select((eb) => ['account_id', 'status', eb.fn.max('created_at').as('last')])
      .where('workflow', '=', workflowName)
      .where(decisionEndRows)
      .groupBy(['account_id', 'status'])
      .execute();
    const entityOf = await resolvedIdsOf(store, 'account', all.map((d) => d.account_id!));
    for (const d of all) add(last, entityOf.get(d.account_id!)!, d.status, Number(d.last));
  }

  const triggers = new Map<string, Trigger>();
  const consider = (accountId: string, at: number, reason: Trigger['reason']) => {
    const prev = triggers.get(accountId);
    if (!prev || at > prev.at) triggers.set(accountId, { accountId, at, reason });
  };
  for (const [accountId, n] of news) {
    const decided = last.decided.get(accountId) ?? 0;
    // a signal-triggered account counts its newest signal; an outcome its newest outcome
    const s = signalNews.get(accountId);
    // news already decided once but deferred or interrupted: decided again now, under a new key
    // (the trigger's time is part of the decision's key; a retried run at the same time still skips)
    const unsettled = last.unsettled.get(accountId);
    // deferred by a run at this very time: a retried run decides nothing twice
    if (unsettled !== undefined && unsettled >= now) continue;
    const again = (at: number) => unsettled !== undefined && unsettled > decided && unsettled >= at;
    if (s && s.at > decided) consider(accountId, again(s.at) ? now : s.at, again(s.at) ? 'deferred' : 'signals');
    if (n.reason === 'outcome' && n.at > decided) consider(accountId, again(n.at) ? now : n.at, again(n.at) ? 'deferred' : 'outcome');
  }
  if (workflow.trigger.maxAgeDays) {
    const maxAge = workflow.trigger.maxAgeDays * DAY;
    for (const [accountId, at] of last.decided) if (now - at >= maxAge && !triggers.has(accountId)) consider(accountId, now, 'max-age');
  }

  return [...triggers.values()].filter((t) => now - (last.executed.get(t.accountId) ?? Number.NEGATIVE_INFINITY) >= cooldown).sort((a, b) => (a.accountId < b.accountId ? -1 : 1));
}
