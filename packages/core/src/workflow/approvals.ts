// Human in the loop: approval policies name decision classes (regulated industries, offers…)
// that wait for a person. Such a decision is stored with its planned execution and runs only
// when approved; a rejected or expired one never runs.
import type { Runtime } from '../runtime.js';
import { RevloopError } from '../errors.js';
import type { AccountFeatures, MessageOutput } from './tasks.js';
import { defaultExecutor, executePlanned, type Executor, type PlannedExecution } from './engine.js';
import { claimValue, holdClaims, releaseClaims } from './execution-claim.js';

const HOUR = 3_600_000;

/** The classes a decision falls in: derived from the account and the message. */
export function decisionClassesOf(runtime: Runtime, features: AccountFeatures, message: MessageOutput | undefined): string[] {
  const classes: string[] = [];
  const regulated = runtime.loaded.config.approvals.regulatedIndustries;
  if (features.industry && regulated.includes(features.industry)) classes.push('regulated-industry');
  if (message?.offer) classes.push('offer');
  return classes;
}

/** The first of the classes an approval policy names (the decision then waits for a person). */
export function gatedClass(runtime: Runtime, classes: string[]): string | undefined {
  for (const policy of runtime.loaded.config.approvals.policies) {
    const hit = classes.find((c) => policy.decisionClasses.includes(c));
    if (hit) return hit;
  }
  return undefined;
}

/** Creates a pending approval when a policy names one of the classes; returns it, or undefined. */
export async function requestApproval(runtime: Runtime, classes: string[], decisionId: string, pendingApprovals: ApprovalRow[]): Promise<{ id: string; decisionClass: string } | undefined> {
  for (const policy of runtime.loaded.config.approvals.policies) {
    const hit = classes.find((c) => policy.decisionClasses.includes(c));
    if (!hit) continue;
    const now = runtime.clock.now();
    const id = `apr_${decisionId.slice(4)}`;
    pendingApprovals.push({ id, decision_id: decisionId, decision_class: hit, state: 'pending', requested_at: now, expires_at: now + policy.expiresAfterHours * HOUR, decided_at: null, decided_by: null, reason: null });
    return { id, decisionClass: hit };
  }
  return undefined;
}

/** An approval row waiting to be written: approvals reference decisions (foreign key), so they
 * are written right after the batch of decisions they belong to. */
export interface ApprovalRow {
  id: string;
  decision_id: string;
  decision_class: string;
  state: string;
  requested_at: number;
  expires_at: number | null;
  decided_at: number | null;
  decided_by: string | null;
  reason: string | null;
}

export interface ApprovalView {
  id: string;
  decisionId: string;
  decisionClass: string;
  state: string;
  accountId: string | null;
  requestedAt: number;
  expiresAt: number | null;
  decidedAt: number | null;
  decidedBy: string | null;
  reason: string | null;
  planned: PlannedExecution | null;
}

export async function listApprovals(runtime: Runtime, state?: string, id?: string): Promise<ApprovalView[]> {
  await expireApprovals(runtime);
  let q = runtime.store.db
    .selectFrom('approvals')
    .innerJoin('decisions', 'decisions.id', 'approvals.decision_id')
    .select(['approvals.id', 'approvals.decision_id', 'approvals.decision_class', 'approvals.state', 'approvals.requested_at', 'approvals.expires_at', 'approvals.decided_at', 'approvals.decided_by', 'approvals.reason', 'decisions.account_id', 'decisions.output'])
    .orderBy('approvals.requested_at');
  if (state) q = q.where('approvals.state', '=', state);
  if (id) q = q.where('approvals.id', '=', id);
  const rows = await q.execute();
  return rows.map((r) => ({
    id: r.id,
    decisionId: r.decision_id,
    decisionClass: r.decision_class,
    state: r.state,
    accountId: r.account_id,
    requestedAt: Number(r.requested_at),
    expiresAt: r.expires_at === null ? null : Number(r.expires_at),
    decidedAt: r.decided_at === null ? null : Number(r.decided_at),
    decidedBy: r.decided_by,
    reason: r.reason,
    planned: r.output ? (JSON.parse(r.output) as PlannedExecution) : null,
  }));
}

/** Pending approvals past their time become expired (and their decisions never run). */
export async function expireApprovals(runtime: Runtime): Promise<number> {
  const now = runtime.clock.now();
  const expired = await runtime.store.db.selectFrom('approvals').select('decision_id').where('state', '=', 'pending').where('expires_at', '<=', now).execute();
  if (!expired.length) return 0;
  await runtime.store.db.transaction().execute(async (tx) => {
    await tx.updateTable('approvals').set({ state: 'expired', decided_at: now }).where('state', '=', 'pending').where('expires_at', '<=', now).execute();
    await tx.updateTable('decisions').set({ status: 'expired', approval_state: 'expired', updated_at: now }).where('id', 'in', expired.map((e) => e.decision_id)).execute();
  });
  return expired.length;
}

/** What an approved decision's execution did: the connector action and its result or error. */
export interface ApprovalExecution {
  connector: string;
  action: string;
  ok: boolean;
  result?: unknown;
  error?: string;
  replayed?: boolean;
}

/** The decided approval, and (when approved) the execution it ran: null when nothing ran. */
export interface ApprovalDecision extends ApprovalView {
  execution: ApprovalExecution | null;
}

function notPending(id: string, why: string): RevloopError {
  return new RevloopError('APPROVAL_NOT_PENDING', `approval ${id} is not pending: ${why}`, { fix: 'only pending approvals can be decided: see `revloop approvals list --state pending`', kind: 'bad_input' });
}

export async function decideApproval(
  runtime: Runtime,
  id: string,
  verdict: 'approve' | 'reject',
  who: string,
  why: string,
  executor: Executor = defaultExecutor(runtime),
): Promise<ApprovalDecision> {
  if (!who.trim()) throw new RevloopError('APPROVAL_WHO_MISSING', 'an approval needs the name of the person who decides', { fix: 'pass --by "<your name>"', kind: 'bad_input' });
  const [approval] = await listApprovals(runtime, undefined, id);
  if (!approval) throw new RevloopError('APPROVAL_UNKNOWN', `no approval with id ${id}`, { fix: 'list them with `revloop approvals list`', kind: 'bad_input' });
  if (approval.state !== 'pending') throw notPending(id, `it is ${approval.state}`);
  const now = runtime.clock.now();
  let execution: ApprovalExecution | null = null;
  const planned = verdict === 'approve' ? approval.planned : null;
  // the verdict, and for an approved execution its intent and this process's claim, in one
  // transaction that takes the rows only if they are still waiting: of two deciders one wins, and
  // a `serve` run that finds the decision in progress leaves it to this process (execution-claim.ts)
  if (planned) holdClaims([approval.decisionId]);
  try {
    await runtime.store.db.transaction().execute(async (tx) => {
      const decided = await tx.updateTable('approvals').set({ state: verdict === 'approve' ? 'approved' : 'rejected', decided_at: now, decided_by: who, reason: why }).where('id', '=', id).where('state', '=', 'pending').executeTakeFirst();
      if (Number(decided.numUpdatedRows) !== 1) throw notPending(id, 'decided by someone else meanwhile');
      if (verdict === 'reject') {
        await tx.updateTable('decisions').set({ status: 'rejected', approval_state: 'rejected', updated_at: now }).where('id', '=', approval.decisionId).execute();
      } else if (planned) {
        const taken = await tx.updateTable('decisions').set({ status: 'in_progress', approval_state: 'approved', execution: claimValue(), updated_at: now }).where('id', '=', approval.decisionId).where('status', '=', 'pending_approval').executeTakeFirst();
        if (Number(taken.numUpdatedRows) !== 1) throw notPending(id, 'its decision is no longer waiting for approval');
      }
    });
    if (planned) {
      // intent before effect: the decision is in progress (committed) before the vendor is called;
      // a crash now leaves it for the next workflow run, which reconciles it before sending
      const result = await executePlanned(executor, planned);
      execution = { connector: planned.connector, action: planned.action, ...result };
      await runtime.store.db
        .updateTable('decisions')
        .set({ status: result.ok ? 'executed' : 'failed', approval_state: 'approved', execution: JSON.stringify({ [planned.connector]: result }), updated_at: now })
        .where('id', '=', approval.decisionId)
        .execute();
    }
  } finally {
    if (planned) releaseClaims([approval.decisionId]);
  }
  return { ...(await listApprovals(runtime, undefined, id))[0]!, execution };
}
