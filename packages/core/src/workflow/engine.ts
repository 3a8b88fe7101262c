// The workflow engine: for each triggered account, runs the workflow's steps over a shared
// per-account context, routes each capability step to the cheapest capable model under the
// budgets, stops at the approval gate for decision classes a policy names, executes the rest
// through connector actions, and logs every step as a decision record.
//
// Intent before effect: an execution's decision row is written and committed as 'in_progress'
// (with the planned execution: its input and the action's idempotency key) before the vendor is
// called, and updated to executed / failed / interrupted after. A crash in between leaves the
// row in progress; the next run reconciles it (retryInterrupted) instead of deciding the account
// again or losing the write. Rows that execute nothing stay buffered (FLUSH_ROWS). A row in
// progress carries the claim of the process sending it (execution-claim.ts): another process
// resumes it only once that process is gone.
// With a per-run cap, a run ranks before it decides (rank-first.ts): every triggered account gets
// the steps its score reads, only the best get the rest, until the cap is filled.
// crypto.hash: one call, no Hash object (twice as fast for short keys; Node >= 20.12)
import { hash } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { Runtime } from '../runtime.js';
import { RevloopError, errorMessage, isRevloopError } from '../errors.js';
import { actionKeyOf, runAction } from '../actions.js';
import { decisionEndRows, entityDefinitions, type DecisionSettlement, type DecisionsTable } from '@revloop/store';
import { buildFeatures } from './features.js';
import { accountsToDecide, type Trigger } from './triggers.js';
import { route, type Route } from './router.js';
import { BudgetGuard } from './budget.js';
import { assertConfiguredUrls } from '../context/outbound-config.js';
import { dealValues } from './value.js';
import { isCapabilityStep, type WorkflowConfig } from './schema.js';
import { requestApproval, type ApprovalRow } from './approvals.js';
import { AccountDecision, type DecideContext, type ExecutionTarget, type IdsOf, type PlannedExecution, type ReadyExecution, type Status } from './account-decision.js';
import { rankFirstPlan } from './rank-first.js';
import { membersOf } from '../identity/lookup.js';
import { claimValue, holdClaims, isClaimLive, claimOf, releaseClaims, takeExecution } from './execution-claim.js';

/** decision rows kept in memory before they are written in one transaction */
const FLUSH_ROWS = 20_000;

/** How an execution is sent: `resume` when an earlier attempt's outcome is unknown (look at the vendor first). */
export interface ExecuteOptions {
  resume?: boolean;
}

/** What an execution did; `reconciled` when the vendor was looked at before sending again. */
export interface ExecutionResult {
  ok: boolean;
  result?: unknown;
  error?: string;
  replayed?: boolean;
  reconciled?: 'found' | 'partial' | 'not_found';
}

/** How decisions reach the vendors; the default runs connector actions (and reconciles on resume). */
export type Executor = (connector: string, action: string, input: unknown, options?: ExecuteOptions) => Promise<ExecutionResult>;

export interface WorkflowRunOptions {
  /** decide these accounts (default: the triggered ones) */
  triggers?: Trigger[];
  executor?: Executor;
  /** per model call, ms */
  stepTimeoutMs?: number;
  budget?: BudgetGuard;
  onProgress?: (done: number, total: number) => void;
  /** a shutdown: executions not yet answered are recorded 'interrupted' and retried by the next run */
  signal?: AbortSignal;
}

export interface WorkflowRunSummary {
  workflow: string;
  accounts: number;
  executed: number;
  noAction: number;
  dropped: number;
  pendingApproval: number;
  failed: number;
  skipped: number;
  /** decided but not executed this run: over maxExecutionsPerRun (decided again by a later run) */
  deferred: number;
  /** executions a shutdown stopped (retried by the next run) */
  interrupted: number;
  /** executions of earlier runs that a shutdown or a crash had stopped, retried by this one */
  retried: number;
  /** of those retried, the ones a look at the vendor (reconcile) found already written: not sent again */
  reconciled: number;
  /** executions of earlier runs found in progress in another live process (e.g. an approval executing from the CLI): left to it */
  heldElsewhere: number;
  costMicros: number;
  byChannel: Record<string, number>;
  byClass: Record<string, number>;
  errors: { accountId: string; step: string; error: string }[];
}

export function defaultExecutor(runtime: Runtime): Executor {
  return async (connector, action, input, options) => {
    const r = await runAction(runtime, connector, action, input, { resume: options?.resume });
    return { ok: true, result: r.result, replayed: r.replayed, ...(r.reconciled ? { reconciled: r.reconciled } : {}) };
  };
}

/**
 * A decision's idempotency key and its id lead with the trigger's time, not the account: a run's
 * rows then go to the right-hand edge of both unique indexes, a few pages per commit, where
 * account-first keys dirtied a page per decided account (and each dirty page is written to the
 * WAL and checkpointed). Measured over 60 days of 6,000 rows: 64 -> 30 us per row.
 */
function decisionBaseKey(workflow: string, trigger: Trigger): string {
  return `${workflow}:${String(trigger.at).padStart(13, '0')}:${trigger.accountId}`;
}

function decisionId(trigger: Trigger, baseKey: string): string {
  return `dec_${trigger.at.toString(36).padStart(9, '0')}${hash('sha1', baseKey, 'base64url').slice(0, 13)}`;
}

export async function runWorkflow(runtime: Runtime, name: string, options: WorkflowRunOptions = {}): Promise<WorkflowRunSummary> {
  const workflow = runtime.loaded.config.workflows[name] as WorkflowConfig | undefined;
  if (!workflow) {
    throw new RevloopError('WORKFLOW_UNKNOWN', `no workflow named "${name}"`, { where: `workflows.${name}`, fix: `use one of: ${Object.keys(runtime.loaded.config.workflows).join(', ') || '(none)'}`, kind: 'bad_input' });
  }
  const now = runtime.clock.now();
  const executor = options.executor ?? defaultExecutor(runtime);
  const stopping = () => runtime.signal.aborted || !!options.signal?.aborted;
  // executions a shutdown stopped: retried first, with the input (and idempotency key) they had
  const retried = await retryInterrupted(runtime, name, workflow, executor, stopping);
  const triggers = options.triggers ?? (await accountsToDecide(runtime.store, name, workflow, now));
  const budget = options.budget ?? new BudgetGuard(runtime.loaded.config.budgets, () => runtime.clock.now());
  if (!options.budget) await budget.load(runtime.store);
  const timeoutMs = options.stepTimeoutMs ?? 10_000;

  const routes = new Map<string, Route>();
  for (const step of workflow.steps) if (isCapabilityStep(step)) routes.set(step.name, route(runtime.registry, step.capability, step.task, step.minQuality, `workflows.${name}.steps.${step.name}`));
  // a model plugin's SDK sends to the URLs in its config: checked before the first call
  for (const instance of new Set([...routes.values()].map((r) => r.instance))) await assertConfiguredUrls(runtime, instance);

  const summary: WorkflowRunSummary = { workflow, accounts: triggers.length, executed: 0, noAction: 0, dropped: 0, pendingApproval: 0, failed: 0, skipped: 0, deferred: 0, interrupted: 0, retried: 0, reconciled: 0, heldElsewhere: 0, costMicros: 0, byChannel: {}, byClass: {}, errors: [] } as unknown as WorkflowRunSummary;
  summary.workflow = name;
  summary.retried = retried.executed + retried.failed;
  summary.reconciled = retried.reconciled;
  summary.heldElsewhere = retried.heldElsewhere;
  summary.executed += retried.executed;
  summary.failed += retried.failed;
  const rows: DecisionsTable[] = [];
  const values = await dealValues(runtime.store);
  const approvals: ApprovalRow[] = [];
  const ready: ReadyExecution[] = [];
  const CHUNK = 250;
  const cap = Math.max(0, (workflow.maxExecutionsPerRun ?? Number.POSITIVE_INFINITY) - summary.retried);
  const context: DecideContext = { runtime, name, workflow, routes, budget, timeoutMs, values, summary };
  // with a cap: the steps the ranking reads first, for every account; the rest for the best only
  const rankFirst = rankFirstPlan(workflow);
  const ranked: { d: AccountDecision; score: number; target: ExecutionTarget }[] = [];
  const count = (status: Status | 'continue', d: AccountDecision) => {
    d.flushTo(rows);
    if (status === 'ready') return;
    else if (status === 'no_action') summary.noAction++;
    else if (status === 'dropped') summary.dropped++;
    else if (status === 'pending_approval') summary.pendingApproval++;
    else if (status === 'failed') summary.failed++;
    else summary.skipped++;
  };
  const flushIfFull = async () => {
    if (rows.length < FLUSH_ROWS) return;
    await flushDecisions(runtime, rows, approvals);
    await budget.flush(runtime.store);
  };

  const unregistered = new Set<string>();
  const firstStep = workflow.steps[0]!.name;
  for (let i = 0; i < triggers.length; i += CHUNK) {
    const chunk = triggers.slice(i, i + CHUNK);
    const features = await buildFeatures(runtime.store, chunk.map((t) => t.accountId), now, workflow.featureWindowDays, name, runtime.signalKinds, runtime.customFields);
    for (const f of features.values()) for (const kind of Object.keys(f.otherCounts ?? {})) if (!runtime.signalKinds.has(kind)) unregistered.add(kind);
    // a decision's first row: its first step's, or (deferred by a rank-first run) its execute step's
    const keysOf = (t: Trigger) => [`${decisionBaseKey(name, t)}:${firstStep}`, ...(rankFirst ? [`${decisionBaseKey(name, t)}:${rankFirst.execute.name}`] : [])];
    const existing = new Set((await runtime.store.db.selectFrom('decisions').select('idempotency_key').where('idempotency_key', 'in', chunk.flatMap(keysOf)).execute()).map((r) => r.idempotency_key));
    for (const trigger of chunk) {
      const baseKey = decisionBaseKey(name, trigger);
      if (keysOf(trigger).some((k) => existing.has(k))) {
        summary.skipped++; // this trigger was decided before: a retried run never decides twice
        continue;
      }
      const d = new AccountDecision(context, features.get(trigger.accountId)!, baseKey, decisionId(trigger, baseKey));
      if (!rankFirst) {
        const status = await d.run(workflow.steps, ready, rows);
        count(status === 'continue' ? d.endWithoutExecution() : status, d);
        continue;
      }
      const status = await d.run(rankFirst.rank, ready, rows);
      if (status !== 'continue') count(status, d);
      else {
        const target = d.target(rankFirst.execute);
        if (target) ranked.push({ d, score: d.score(), target });
        else count(d.noTarget(rankFirst.execute), d);
      }
    }
    await flushIfFull();
    options.onProgress?.(Math.min(i + CHUNK, triggers.length), triggers.length);
  }
  if (rankFirst) {
    // the best first (the order the ready decisions are executed in): decided in full until the
    // cap is filled; the rest end deferred, as they would over the cap, with one row each
    ranked.sort((a, b) => b.score - a.score || (a.d.accountId < b.d.accountId ? -1 : 1));
    for (const { d, target } of ranked) {
      if (ready.length >= cap) {
        d.deferTo(rows, rankFirst.execute, target);
        summary.deferred++;
      } else {
        const status = await d.run(rankFirst.rest, ready, rows);
        count(status === 'continue' ? d.endWithoutExecution() : status, d);
      }
      await flushIfFull();
    }
  }
  if (unregistered.size)
    runtime.log.warn({ workflow: name, kinds: [...unregistered].sort() }, 'signal kinds no connector or config registered reach no model: register each with a category (a connector\'s signalKinds, or signalKinds in the config)');

  // execute the most promising decisions first, up to the per-run cap; the rest are deferred
  ready.sort((a, b) => b.score - a.score || (a.accountId < b.accountId ? -1 : 1));
  // the identity map is read for the decisions that will run, not for every one decided
  const idsOf = await externalIdsOf(runtime, ready.slice(0, cap).flatMap((r) => r.entities));
  // first every decision's end row: the executions among them as intents ('in_progress', with the
  // planned input and the action's idempotency key), committed with every buffered row in one
  // transaction before any vendor is called. A crash during the sends leaves each unsent or
  // unanswered execution in progress, and the next run resumes it (retryInterrupted): none is
  // lost, none is decided again, none is sent without a look at the vendor first.
  const toSend: { r: ReadyExecution; planned: PlannedExecution; id: string }[] = [];
  for (let i = 0; i < ready.length; i++) {
    const r = ready[i]!;
    if (i >= cap) {
      // what it would have done, without the message: a deferred decision is decided anew later
      r.record({ status: 'deferred', decision_class: r.decisionClass, output: JSON.stringify(r.target) });
      summary.deferred++;
      continue;
    }
    const planned = r.plan(idsOf);
    if (r.gated) {
      // waits for a person (it calls no vendor, so a shutdown does not stop it)
      const id = r.record({ status: 'pending_approval', approval_state: 'pending', decision_class: r.gated, output: JSON.stringify(planned) });
      await requestApproval(runtime, [r.gated], id, approvals);
      summary.pendingApproval++;
      continue;
    }
    // the record runAction keeps for this write (undefined for a target only a custom executor knows)
    const actionKey = actionKeyOf(runtime, planned.connector, planned.action, planned.input);
    if (actionKey) planned.idempotencyKey = actionKey;
    if (stopping()) {
      // shutting down: not sent; the next run sends it (see retryInterrupted)
      r.record({ status: 'interrupted', decision_class: r.decisionClass, output: JSON.stringify(planned), execution: JSON.stringify({ [planned.connector]: { ok: false, error: 'not sent: revloop was stopping' } }) });
      summary.interrupted++;
      continue;
    }
    toSend.push({ r, planned, id: r.record({ status: 'in_progress', decision_class: r.decisionClass, output: JSON.stringify(planned), execution: claimValue() }) });
  }
  holdClaims(toSend.map((t) => t.id));
  try {
    await flushDecisions(runtime, rows, approvals);
  } catch (e) {
    releaseClaims(toSend.map((t) => t.id));
    throw e;
  }

  // then the effects; their end states are written SETTLE_ROWS at a time (or each second), one
  // transaction each: a commit per execution cost a third of the decision throughput. Safe: a
  // crash before a batch is written leaves its rows in progress, and the next run finds runAction's
  // 'done' record for each (replayed, nothing sent) or reconciles.
  const settled = new SettleBuffer(runtime);
  const settle = (id: string, status: string, execution: unknown) => settled.add(id, status, execution);
  try {
    for (const { r, planned, id } of toSend) {
      if (stopping()) {
        await settle(id, 'interrupted', { [planned.connector]: { ok: false, error: 'not sent: revloop was stopping' } });
        summary.interrupted++;
        continue;
      }
      const result = await executePlanned(executor, planned);
      if (!result.ok && stopping()) {
        // the shutdown cut the call short: sent again (after a look, when it may have landed) next run
        await settle(id, 'interrupted', { [planned.connector]: result });
        summary.interrupted++;
        continue;
      }
      await settle(id, result.ok ? 'executed' : 'failed', { [planned.connector]: result });
      summary.byChannel[planned.channel] = (summary.byChannel[planned.channel] ?? 0) + 1;
      if (result.ok) summary.executed++;
      else {
        summary.failed++;
        if (summary.errors.length < 100) summary.errors.push({ accountId: r.accountId, step: r.stepName, error: result.error ?? 'failed' });
      }
    }
    await settled.flush();
  } finally {
    // a row still in progress after a failure here is this process's no longer: the next run takes it
    releaseClaims(toSend.map((t) => t.id));
  }
  await flushDecisions(runtime, rows, approvals);
  await budget.flush(runtime.store);
  return summary;
}

/** executions' end states written in one transaction per this many (or per SETTLE_MS) */
const SETTLE_ROWS = 500;
const SETTLE_MS = 1_000;

/** The end states of answered executions, waiting to be written together (see runWorkflow). */
class SettleBuffer {
  private pending: DecisionSettlement[] = [];
  private since = performance.now();
  constructor(private readonly runtime: Runtime) {}

  async add(id: string, status: string, execution: unknown): Promise<void> {
    this.pending.push({ id, status, execution: JSON.stringify(execution), updated_at: this.runtime.clock.now() });
    if (this.pending.length >= SETTLE_ROWS || performance.now() - this.since >= SETTLE_MS) await this.flush();
  }

  async flush(): Promise<void> {
    this.since = performance.now();
    if (!this.pending.length) return;
    const batch = this.pending.splice(0, this.pending.length);
    const store = this.runtime.store;
    if (store.settleDecisions) await store.settleDecisions(batch);
    else {
      await store.db.transaction().execute(async (tx) => {
        for (const p of batch) await tx.updateTable('decisions').set({ status: p.status, execution: p.execution, updated_at: p.updated_at }).where('id', '=', p.id).execute();
      });
    }
    // the results replaced the claims
    releaseClaims(batch.map((p) => p.id));
  }
}

/**
 * Executions that a shutdown stopped (status 'interrupted', their planned input stored) are sent
 * again with the same input: the connector action's idempotency key is derived from it, so a write
 * that did reach the vendor is replayed from its idempotency record, not made twice. Executions a
 * crash left between intent and effect (status 'in_progress') are resumed: the executor looks at
 * the vendor first (runAction's reconcile) and sends only what is not there. Looked at within the
 * feature window only: an older one is no longer worth sending. Each is taken first (its claim,
 * execution-claim.ts): one that a live process is executing (an approval sent from the CLI, another
 * run) is left to it, and of two processes resuming the same row only one sends it.
 */
async function retryInterrupted(runtime: Runtime, name: string, workflow: WorkflowConfig, executor: Executor, stopping: () => boolean): Promise<{ executed: number; failed: number; reconciled: number; heldElsewhere: number }> {
  const since = runtime.clock.now() - workflow.featureWindowDays * 86_400_000;
  // older than the window: no longer worth sending; settled so that none stays unfinished forever
  // (one a live process is sending right now excepted: its answer settles it)
  const stale = await runtime.store.db
    .selectFrom('decisions')
    .select(['id', 'execution'])
    .where('workflow', '=', name)
    .where('status', 'in', ['interrupted', 'in_progress'])
    .where(decisionEndRows)
    .where('created_at', '<=', since)
    .execute();
  const settleStale = stale.filter((r) => !isLive(r)).map((r) => r.id);
  const tooOld = JSON.stringify({ revloop: { ok: false, error: `not sent again: older than featureWindowDays (${workflow.featureWindowDays}); if it was in progress, look at the vendor whether it landed` } });
  for (let i = 0; i < settleStale.length; i += 500) {
    await runtime.store.db
      .updateTable('decisions')
      .set({ status: 'failed', execution: tooOld, updated_at: runtime.clock.now() })
      .where('id', 'in', settleStale.slice(i, i + 500))
      .where('status', 'in', ['interrupted', 'in_progress'])
      .execute();
  }
  const rows = await runtime.store.db
    .selectFrom('decisions')
    .select(['id', 'output', 'status', 'execution'])
    .where('workflow', '=', name)
    .where('status', 'in', ['interrupted', 'in_progress'])
    .where(decisionEndRows) // reaches the partial index decisions_workflow_end (a bound status alone does not)
    .where('created_at', '>', since)
    .orderBy('created_at')
    .execute();
  const done = { executed: 0, failed: 0, reconciled: 0, heldElsewhere: 0 };
  for (const row of rows) {
    if (stopping()) break;
    let planned: PlannedExecution;
    try {
      planned = JSON.parse(row.output ?? 'null') as PlannedExecution;
    } catch {
      continue;
    }
    if (!planned?.connector) continue;
    if (!(await takeExecution(runtime, row))) {
      done.heldElsewhere++;
      continue;
    }
    let result: ExecutionResult;
    try {
      result = await executePlanned(executor, planned, { resume: row.status === 'in_progress' });
      if (!result.ok && stopping()) {
        // cut short by the shutdown: the row stays as it was (in progress: looked at first next time)
        await runtime.store.db.updateTable('decisions').set({ execution: row.execution }).where('id', '=', row.id).execute();
        break;
      }
      await runtime.store.db
        .updateTable('decisions')
        .set({ status: result.ok ? 'executed' : 'failed', execution: JSON.stringify({ [planned.connector]: { ...result, retried: true } }), updated_at: runtime.clock.now() })
        .where('id', '=', row.id)
        .execute();
    } finally {
      releaseClaims([row.id]);
    }
    if (result.ok) done.executed++;
    else done.failed++;
    if (result.reconciled === 'found') done.reconciled++;
  }
  return done;
}

/** a row a live process is executing now */
function isLive(row: { id: string; execution: string | null }): boolean {
  const claim = claimOf(row.execution);
  return !!claim && isClaimLive(claim, row.id);
}

/**
 * Writes the buffered decisions, then the approvals that reference them (foreign key), in one
 * transaction. SQLite writes each page a commit dirtied to the WAL once per commit, and the
 * decision indexes are keyed randomly: one commit per FLUSH_ROWS rows, not one per statement.
 */
async function flushDecisions(runtime: Runtime, rows: DecisionsTable[], approvals: ApprovalRow[] = []): Promise<void> {
  if (!rows.length && !approvals.length) return;
  await runtime.store.insertRows([
    { table: 'decisions', rows: rows.splice(0, rows.length) },
    { table: 'approvals', rows: approvals.splice(0, approvals.length) },
  ]);
}

export type { ExecutionTarget, PlannedExecution, IdsOf } from './account-decision.js';

/**
 * One query per 500 accounts and contacts, not one per decision. A resolved entity has a row in
 * several connectors: its ids are those of all its rows (its own row's id wins for a system
 * where it has two, e.g. duplicates inside one CRM).
 */
export async function externalIdsOf(runtime: Runtime, entityIds: string[]): Promise<IdsOf> {
  const contactPrefix = `${entityDefinitions.contact.idPrefix}_`;
  const accounts = await membersOf(runtime.store, 'account', entityIds.filter((id) => !id.startsWith(contactPrefix)));
  const contacts = await membersOf(runtime.store, 'contact', entityIds.filter((id) => id.startsWith(contactPrefix)));
  const entityOf = new Map([...accounts.entityOf, ...contacts.entityOf]);
  const rowIds = [...entityOf.keys()];
  const byEntity = new Map<string, Record<string, string>>();
  const rows: { entity_id: string; system: string; system_id: string }[] = [];
  for (let i = 0; i < rowIds.length; i += 500) rows.push(...(await runtime.store.db.selectFrom('external_ids').select(['entity_id', 'system', 'system_id']).where('entity_id', 'in', rowIds.slice(i, i + 500)).execute()));
  // the entity's own row last: it wins
  const own = (r: { entity_id: string }) => Number(r.entity_id === entityOf.get(r.entity_id));
  rows.sort((a, b) => own(a) - own(b));
  for (const r of rows) {
    const entity = entityOf.get(r.entity_id) ?? r.entity_id;
    const ids = byEntity.get(entity) ?? {};
    ids[r.system] = r.system_id;
    byEntity.set(entity, ids);
  }
  return (entityId) => ({ ...byEntity.get(entityId) });
}

export async function executePlanned(executor: Executor, planned: PlannedExecution, options: ExecuteOptions = {}): Promise<ExecutionResult> {
  try {
    // a custom executor sees the fourth argument only when it means something
    return await (options.resume ? executor(planned.connector, planned.action, planned.input, options) : executor(planned.connector, planned.action, planned.input));
  } catch (e) {
    return { ok: false, error: errorMessage(e) };
  }
}
