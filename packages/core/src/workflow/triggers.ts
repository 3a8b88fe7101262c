// Event-driven triggering: an account is (re-)decided when new signals or outcomes arrived since
// its last decision, or when its last decision is older than maxAgeDays — never on a calendar
// for every account. A cooldown keeps one account from being treated again too soon.
import type { Store } from '@revloop/store';
import type { WorkflowConfig } from './schema.js';

const DAY = 86_400_000;

export interface Trigger {
  accountId: string;
  /** the newest signal/outcome that caused it (part of the decision's idempotency key) */
  at: number;
  reason: 'signals' | 'outcome' | 'max-age';
}

export async function accountsToDecide(store: Store, workflowName: string, workflow: WorkflowConfig, now: number): Promise<Trigger[]> {
  const windowStart = now - workflow.featureWindowDays * DAY;
  const lastDecision = new Map<string, number>();
  const lastExecuted = new Map<string, number>();
  const decided = await store.db
    .selectFrom('decisions')
    .select((eb) => ['account_id', 'status', eb.fn.max('created_at').as('last')])
    .where('workflow', '=', workflowName)
    .groupBy(['account_id', 'status'])
    .execute();
  for (const d of decided) {
    const last = Number(d.last);
    lastDecision.set(d.account_id!, Math.max(lastDecision.get(d.account_id!) ?? 0, last));
    if (d.status === 'executed' || d.status === 'pending_approval') lastExecuted.set(d.account_id!, Math.max(lastExecuted.get(d.account_id!) ?? 0, last));
  }

  const triggers = new Map<string, Trigger>();
  const consider = (accountId: string, at: number, reason: Trigger['reason']) => {
    const prev = triggers.get(accountId);
    if (!prev || at > prev.at) triggers.set(accountId, { accountId, at, reason });
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
    for (const s of signals) {
      const last = Number(s.last);
      if (last > (lastDecision.get(s.account_id!) ?? 0) && Number(s.n) >= workflow.trigger.minSignals) consider(s.account_id!, last, 'signals');
    }
  }
  if (workflow.trigger.onOutcomes) {
    const opps = await store.db
      .selectFrom('opportunities')
      .select((eb) => ['account_id', eb.fn.max('updated_at').as('last')])
      .where('account_id', 'is not', null)
      .where('updated_at', '>', windowStart)
      .where('updated_at', '<=', now)
      .groupBy('account_id')
      .execute();
    for (const o of opps) {
      const last = Number(o.last);
      if (last > (lastDecision.get(o.account_id!) ?? 0)) consider(o.account_id!, last, 'outcome');
    }
  }
  if (workflow.trigger.maxAgeDays) {
    const maxAge = workflow.trigger.maxAgeDays * DAY;
    for (const [accountId, last] of lastDecision) if (now - last >= maxAge && !triggers.has(accountId)) consider(accountId, now, 'max-age');
  }

  const cooldown = workflow.cooldownDays * DAY;
  return [...triggers.values()].filter((t) => now - (lastExecuted.get(t.accountId) ?? Number.NEGATIVE_INFINITY) >= cooldown).sort((a, b) => (a.accountId < b.accountId ? -1 : 1));
}
