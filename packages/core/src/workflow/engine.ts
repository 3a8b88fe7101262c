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
import { dealValues, rankScore, type DealValues } from './value.js';
import { fillTemplate } from './template.js';
import { isCapabilityStep, isExecuteStep, isGateStep, type CapabilityStep, type ExecuteStep, type WorkflowConfig } from './schema.js';
import type { AccountFeatures, BrandOutput, Channel, ChannelOutput, ContactBrief, ContentOutput, IntentOutput, MessageOutput } from './tasks.js';
import { requestApproval, decisionClassesOf, gatedClass, type ApprovalRow } from './approvals.js';
import { membersOf } from '../identity/lookup.js';
import { claimValue, holdClaims, isClaimLive, claimOf, releaseClaims, takeExecution } from './execution-claim.js';

const HOUR = 3_600_000;
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

type Status = 'ready' | 'no_action' | 'dropped' | 'pending_approval' | 'failed' | 'skipped';

/** A decision that passed every step and the gate, waiting for its turn to execute. */
interface ReadyExecution {
  target: ExecutionTarget;
  /** the account and the contact: their ids in the vendors' systems fill in the input */
  entities: [string, string];
  /** the execution with its filled-in input: built only for a decision within the run's cap */
  plan: (idsOf: IdsOf) => PlannedExecution;
  /** the decision class a policy holds for a person's approval, if any */
  gated?: string;
  score: number;
  accountId: string;
  stepName: string;
  decisionClass: string | null;
  record: (patch: Partial<DecisionsTable>) => string;
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

const personaPreference = ['champion', 'economic_buyer', 'technical_evaluator', 'end_user'];
function chooseContact(features: AccountFeatures): ContactBrief | undefined {
  const reachable = features.contacts.filter((c) => c.email);
  for (const p of personaPreference) {
    const c = reachable.find((x) => x.persona === p);
    if (c) return c;
  }
  return reachable[0];
}

function matches(output: unknown, when: Record<string, unknown> | undefined): boolean {
  if (!when || !output || typeof output !== 'object') return false;
  return Object.entries(when).every(([k, v]) => (output as Record<string, unknown>)[k] === v);
}

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    p.finally(() => clearTimeout(timer)),
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what} did not answer within ${ms} ms`)), ms);
      timer.unref?.();
    }),
  ]);
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

  const unregistered = new Set<string>();
  for (let i = 0; i < triggers.length; i += CHUNK) {
    const chunk = triggers.slice(i, i + CHUNK);
    const features = await buildFeatures(runtime.store, chunk.map((t) => t.accountId), now, workflow.featureWindowDays, name, runtime.signalKinds, runtime.customFields);
    for (const f of features.values()) for (const kind of Object.keys(f.otherCounts ?? {})) if (!runtime.signalKinds.has(kind)) unregistered.add(kind);
    const existing = new Set(
      (await runtime.store.db.selectFrom('decisions').select('idempotency_key').where('idempotency_key', 'in', chunk.map((t) => `${decisionBaseKey(name, t)}:${workflow.steps[0]!.name}`)).execute()).map((r) => r.idempotency_key),
    );
    for (const trigger of chunk) {
      const baseKey = decisionBaseKey(name, trigger);
      if (existing.has(`${baseKey}:${workflow.steps[0]!.name}`)) {
        summary.skipped++; // this trigger was decided before: a retried run never decides twice
        continue;
      }
      const f = features.get(trigger.accountId)!;
      const status = await decideAccount(runtime, name, workflow, f, baseKey, decisionId(trigger, baseKey), routes, budget, timeoutMs, rows, approvals, ready, summary, values);
      if (status === 'ready') continue;
      else if (status === 'no_action') summary.noAction++;
      else if (status === 'dropped') summary.dropped++;
      else if (status === 'pending_approval') summary.pendingApproval++;
      else if (status === 'failed') summary.failed++;
      else summary.skipped++;
    }
    if (rows.length >= FLUSH_ROWS) {
      await flushDecisions(runtime, rows, approvals);
      await budget.flush(runtime.store);
    }
    options.onProgress?.(Math.min(i + CHUNK, triggers.length), triggers.length);
  }
  if (unregistered.size)
    runtime.log.warn({ workflow: name, kinds: [...unregistered].sort() }, 'signal kinds no connector or config registered reach no model: register each with a category (a connector\'s signalKinds, or signalKinds in the config)');

  // execute the most promising decisions first, up to the per-run cap; the rest are deferred
  ready.sort((a, b) => b.score - a.score || (a.accountId < b.accountId ? -1 : 1));
  const cap = Math.max(0, (workflow.maxExecutionsPerRun ?? Number.POSITIVE_INFINITY) - summary.retried);
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

async function decideAccount(
  runtime: Runtime,
  name: string,
  workflow: WorkflowConfig,
  features: AccountFeatures,
  baseKey: string,
  idBase: string,
  routes: Map<string, Route>,
  budget: BudgetGuard,
  timeoutMs: number,
  rows: DecisionsTable[],
  approvals: ApprovalRow[],
  ready: ReadyExecution[],
  summary: WorkflowRunSummary,
  values: DealValues,
): Promise<Status> {
  const now = runtime.clock.now();
  const contact = chooseContact(features);
  const byTask: Record<string, unknown> = {};
  const outputs: Record<string, unknown> = {};
  // The stored copy names the account's contacts by id and persona: their emails and titles stay
  // in the contacts table, the one place a deletion request must reach (they were also two thirds
  // of every decision's features). No replacer (it would run for every key): JSON.stringify writes
  // Infinity (no signal yet) as null.
  const featureJson = JSON.stringify({ ...features, contacts: features.contacts.map((c) => ({ id: c.id, email: null, persona: c.persona, title: null })) });
  const inputHash = hash('sha1', featureJson, 'hex').slice(0, 16);
  // one id per account decision; each step's record id is that id and the step's name
  const idOf = (stepName: string) => `${idBase}:${stepName}`;
  const record = (stepName: string, patch: Partial<DecisionsTable>) => {
    const key = `${baseKey}:${stepName}`;
    const id = idOf(stepName);
    rows.push({
      id,
      workflow: name,
      step: stepName,
      account_id: features.accountId,
      contact_id: contact?.id ?? null,
      capability: null,
      decision_class: null,
      model: null,
      model_version: null,
      input_hash: inputHash,
      features: stepName === workflow.steps[0]!.name ? featureJson : null,
      output: null,
      cost_micros: 0,
      latency_ms: null,
      approval_state: 'not_required',
      execution: null,
      status: 'decided',
      idempotency_key: key,
      created_at: now,
      updated_at: now,
      ...patch,
    });
    return id;
  };

  if (!contact) {
    record(workflow.steps[0]!.name, { status: 'skipped', output: JSON.stringify({ reason: 'no contact with an email' }) });
    return 'skipped';
  }

  const invoke = async (step: CapabilityStep, input: unknown, attempt = 0): Promise<unknown> => {
    const r = routes.get(step.name)!;
    const labels = { workflow: name, step: step.name, plugin: r.instance.name, model: `${r.instance.definition.name}/${r.capability.task}`, decisionId: idOf(attempt ? `${step.name}#${attempt}` : step.name) };
    const worst = (r.capability as { maxCostMicros?: number }).maxCostMicros ?? r.capability.costMicros;
    const reservation = budget.reserve(worst, labels);
    const t0 = performance.now();
    let result;
    try {
      result = await withTimeout(r.capability.invoke(runtime.contextFor(r.instance), input), timeoutMs, `${r.instance.name} ${step.capability}/${step.task}`);
    } catch (e) {
      budget.settle(reservation, 0);
      throw e;
    }
    const cost = result.costMicros ?? r.capability.costMicros;
    budget.settle(reservation, cost, result.usage);
    summary.costMicros += cost;
    record(attempt ? `${step.name}#${attempt}` : step.name, {
      capability: `${step.capability}/${step.task}`,
      model: r.instance.name,
      model_version: result.modelVersion ?? r.instance.definition.version,
      output: JSON.stringify(result.output),
      cost_micros: cost,
      latency_ms: performance.now() - t0,
    });
    return result.output;
  };

  const inputFor = (step: CapabilityStep, attempt: number, feedback?: string[]): unknown => {
    const content = byTask.content as ContentOutput | undefined;
    switch (step.task) {
      case 'intent':
        return { features };
      case 'content':
        return { features, intent: byTask.intent as IntentOutput };
      case 'message':
        return { features, contact, topic: content?.topic ?? 'product', variant: content?.variant ?? 'a', attempt, feedback };
      case 'brand':
        return { features, message: byTask.message as MessageOutput };
      case 'channel-time':
        return { features, contact, topic: content?.topic ?? 'product' };
      default:
        return { features, contact, outputs, params: step.with ?? {} };
    }
  };

  let current = 'start';
  let gated: string | undefined;
  try {
    for (let s = 0; s < workflow.steps.length; s++) {
      const step = workflow.steps[s]!;
      current = step.name;
      if (isCapabilityStep(step)) {
        let output = await invoke(step, inputFor(step, 0));
        // evaluate steps may send an earlier step back for another attempt
        if (step.capability === 'evaluate' && step.retryStep) {
          const retry = workflow.steps.find((x) => x.name === step.retryStep) as CapabilityStep | undefined;
          let attempt = 0;
          while (!(output as BrandOutput).pass && retry && attempt < step.maxRetries) {
            attempt++;
            const regenerated = await invoke(retry, inputFor(retry, attempt, (output as BrandOutput).reasons), attempt);
            byTask[retry.task] = regenerated;
            outputs[retry.name] = regenerated;
            output = await invoke(step, inputFor(step, attempt), attempt);
          }
          if (!(output as BrandOutput).pass) {
            record('dropped', { status: 'dropped', output: JSON.stringify({ reasons: (output as BrandOutput).reasons }) });
            return 'dropped';
          }
        }
        byTask[step.task] = output;
        outputs[step.name] = output;
        if (matches(output, step.stopWhen)) {
          record('outcome', { status: 'no_action', output: JSON.stringify({ stoppedAt: step.name }) });
          return 'no_action';
        }
      } else if (isGateStep(step)) {
        // the gate decides who must sign off; the decision still competes for this run's
        // execution budget, and only a decision within it is sent for approval
        const classes = decisionClassesOf(runtime, features, byTask.message as MessageOutput | undefined);
        for (const c of classes) summary.byClass[c] = (summary.byClass[c] ?? 0) + 1;
        gated = gatedClass(runtime, classes);
      } else if (isExecuteStep(step)) {
        const target = executionTarget(runtime, step, byTask);
        if (!target) {
          record(step.name, { status: 'skipped', output: JSON.stringify({ reason: `no execution target for channel ${(byTask['channel-time'] as ChannelOutput | undefined)?.channel}` }) });
          return 'skipped';
        }
        const intent = byTask.intent as IntentOutput | undefined;
        const choice = byTask['channel-time'] as ChannelOutput | undefined;
        ready.push({
          target,
          entities: [features.accountId, contact.id],
          plan: (idsOf) => plan(target, step, features, contact, byTask, baseKey, idsOf),
          gated,
          score: rankScore(workflow.rankBy, features, intent, choice, values),
          accountId: features.accountId,
          stepName: step.name,
          decisionClass: decisionClassesOf(runtime, features, byTask.message as MessageOutput | undefined).join(',') || null,
          record: (patch) => record(step.name, patch),
        });
        return 'ready';
      }
    }
    // a workflow without an execute step ends here: its end row, like every decision's
    record('outcome', { status: 'no_action', output: JSON.stringify({ stoppedAt: 'end' }) });
    return 'no_action';
  } catch (e) {
    const message = runtime.loaded.redactor.text(errorMessage(e));
    record(`${current}:error`, { status: 'failed', output: JSON.stringify({ error: message }) });
    if (summary.errors.length < 100) summary.errors.push({ accountId: features.accountId, step: current, error: message });
    runtime.log.warn({ account: features.accountId, step: current, error: message }, 'decision failed for this account');
    if (isRevloopError(e) && e.code === 'BUDGET_EXHAUSTED') summary.byClass['budget-exhausted'] = (summary.byClass['budget-exhausted'] ?? 0) + 1;
    return 'failed';
  }
}

/** where and when a decision would execute: its channel, the connector action and the send time */
export interface ExecutionTarget {
  channel: string;
  connector: string;
  action: string;
  sendAt: number;
}

export interface PlannedExecution extends ExecutionTarget {
  input: unknown;
  /** the connector action's idempotency key (runAction's record `action:<key>`), when runAction would run it */
  idempotencyKey?: string;
}

/** an entity's ids in each system it came from (the identity map) */
export type IdsOf = (entityId: string) => Record<string, string>;

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

function executionTarget(runtime: Runtime, step: ExecuteStep, byTask: Record<string, unknown>): ExecutionTarget | undefined {
  const choice = byTask['channel-time'] as ChannelOutput | undefined;
  const channel = choice?.channel ?? 'email';
  const target = step.execute[channel];
  if (!target) return undefined;
  const [connector, action] = target.action.split('.') as [string, string];
  const day = Math.floor(runtime.clock.now() / 86_400_000) * 86_400_000;
  return { channel, connector, action, sendAt: day + (choice?.sendHour ?? 9) * HOUR };
}

function plan(target: ExecutionTarget, step: ExecuteStep, features: AccountFeatures, contact: ContactBrief, byTask: Record<string, unknown>, baseKey: string, idsOf: IdsOf): PlannedExecution {
  const choice = byTask['channel-time'] as ChannelOutput | undefined;
  const content = byTask.content as ContentOutput | undefined;
  const message = byTask.message as MessageOutput | undefined;
  const context = {
    decisionKey: baseKey,
    account: { id: features.accountId, industry: features.industry, size: features.size, ids: idsOf(features.accountId), custom: features.custom ?? {} },
    contact: { ...contact, ids: idsOf(contact.id), custom: contact.custom ?? {} },
    topic: content?.topic,
    variant: content?.variant,
    channel: target.channel,
    sendHour: choice?.sendHour ?? 9,
    sendAt: target.sendAt,
    message,
  };
  return { ...target, input: fillTemplate(step.execute[target.channel as Channel]!.input, context) };
}

export async function executePlanned(executor: Executor, planned: PlannedExecution, options: ExecuteOptions = {}): Promise<ExecutionResult> {
  try {
    // a custom executor sees the fourth argument only when it means something
    return await (options.resume ? executor(planned.connector, planned.action, planned.input, options) : executor(planned.connector, planned.action, planned.input));
  } catch (e) {
    return { ok: false, error: errorMessage(e) };
  }
}
