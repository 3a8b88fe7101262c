// Decisions people can inspect: one line per account decision (the row that says how it ended)
// with its cost over every step and the outcomes joined to it, and everything about one decision
// (its inputs, every step with model and version, the approval, the execution per system, the
// outcomes). Read-only queries over the decision log, shared by the CLI and the web console.
//
// How the log is laid out (engine.ts): an account decision `dec_X` is one row per step, with ids
// `dec_X:<step>` (`dec_X:message#1` for a retry, `dec_X:<step>:error` for a failure); exactly one
// of them, its end row, has a status other than 'decided'. Approvals and outcomes reference the
// end row. A decision's rows are read by an id range (`dec_X:` ≤ id < `dec_X;`) on the primary key.
import type { Runtime } from '../runtime.js';
import { RevloopError } from '../errors.js';
import { decisionEndRows, decisionStatusIs, type DecisionsTable } from '@revloop/store';
import { expireApprovals } from './approvals.js';
import { isCapabilityStep, type WorkflowConfig } from './schema.js';
import { taskNames } from './tasks.js';
import { claimOf, withoutClaim } from './execution-claim.js';

/** how an account decision can end (the status of its end row) */
export const decisionStatuses = ['executed', 'failed', 'pending_approval', 'rejected', 'expired', 'deferred', 'interrupted', 'in_progress', 'no_action', 'dropped', 'skipped'] as const;
export type DecisionStatus = (typeof decisionStatuses)[number];

const MINUTE = 60_000;
const units: Record<string, number> = { m: MINUTE, h: 60 * MINUTE, d: 24 * 60 * MINUTE, w: 7 * 24 * 60 * MINUTE };

export interface DecisionFilter {
  accountId?: string;
  workflow?: string;
  status?: string;
  /** created at or after (epoch ms) */
  since?: number;
  /** created before (epoch ms) */
  until?: number;
  /** newest first, at most this many (default 50) */
  limit?: number;
}

export interface DecisionOutcome {
  id: string;
  kind: string;
  valueMicros: number | null;
  occurredAt: number;
  opportunityId: string | null;
  source: string | null;
}

export interface DecisionSummary {
  /** the account decision's id: its rows are `<id>:<step>` */
  id: string;
  /** the row that says how it ended (approvals and outcomes reference it) */
  endRowId: string;
  endStep: string;
  at: number;
  updatedAt: number;
  workflow: string;
  accountId: string | null;
  contactId: string | null;
  status: string;
  /** where and how it executes (or would have): set when the decision got that far */
  channel: string | null;
  connector: string | null;
  action: string | null;
  sendAt: number | null;
  decisionClass: string | null;
  approvalState: string;
  /** the sum over its step rows (model calls), micros */
  costMicros: number;
  /** why it ended as it did when not executed: the stop, the brand reasons, the error */
  note: string | null;
  outcomes: DecisionOutcome[];
}

export interface DecisionStepView {
  id: string;
  step: string;
  status: string;
  capability: string | null;
  model: string | null;
  modelVersion: string | null;
  output: unknown;
  costMicros: number;
  latencyMs: number | null;
}

export interface ExecutionResultView {
  ok: boolean;
  result?: unknown;
  error?: string;
  replayed?: boolean;
  [key: string]: unknown;
}

export interface DecisionApprovalView {
  id: string;
  state: string;
  decisionClass: string;
  /** the policy of the current config that holds this class (null when none does any more) */
  policy: string | null;
  requestedAt: number;
  expiresAt: number | null;
  decidedAt: number | null;
  decidedBy: string | null;
  reason: string | null;
}

export interface DecisionDetail extends DecisionSummary {
  inputHash: string | null;
  /** the features the decision was made on (the first step's row) */
  inputs: unknown;
  /** every step row, in workflow order (retries after their first attempt, the end row last) */
  steps: DecisionStepView[];
  /** the execution it planned: channel, connector, action, send time and the filled-in input */
  planned: { channel: string; connector: string; action: string; sendAt: number; input?: unknown } | null;
  /** the result per system (connector instance), as executed */
  execution: Record<string, ExecutionResultView> | null;
  approval: DecisionApprovalView | null;
}

/** `dec_X:step` → `dec_X` (an id without a suffix stays as it is) */
export function decisionBaseId(id: string): string {
  const i = id.indexOf(':');
  return i < 0 ? id : id.slice(0, i);
}

/** The status filter, checked: bad input names the option and the allowed values. */
export function parseDecisionStatus(text: string, option = '--status'): DecisionStatus {
  if ((decisionStatuses as readonly string[]).includes(text)) return text as DecisionStatus;
  throw new RevloopError('BAD_ARGUMENT', `${option} must be one of ${decisionStatuses.join(', ')}, not "${text}"`, { where: option, fix: `pass ${option} executed`, kind: 'bad_input' });
}

/**
 * A time bound: an ISO date or date-time (2024-05-01, 2024-05-01T09:00:00Z) or a duration back
 * from `now` (30m, 24h, 7d, 2w). Bad input names the option and the forms it takes.
 */
export function parseTimeBound(text: string, now: number, option = '--since'): number {
  const t = text.trim();
  const duration = /^(\d+(?:\.\d+)?)(m|h|d|w)$/.exec(t);
  if (duration) return now - Number(duration[1]) * units[duration[2]!]!;
  if (/^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/.test(t)) {
    const at = Date.parse(t);
    if (!Number.isNaN(at)) return at;
  }
  throw new RevloopError('BAD_ARGUMENT', `${option} must be an ISO date (2024-05-01, 2024-05-01T09:00:00Z) or a duration back from now (30m, 24h, 7d, 2w), not "${text}"`, {
    where: option,
    fix: `pass ${option} 24h or ${option} 2024-05-01`,
    kind: 'bad_input',
  });
}

type Row = Pick<DecisionsTable, 'id' | 'workflow' | 'step' | 'account_id' | 'contact_id' | 'decision_class' | 'output' | 'cost_micros' | 'approval_state' | 'execution' | 'status' | 'created_at' | 'updated_at'>;
const summaryColumns = ['id', 'workflow', 'step', 'account_id', 'contact_id', 'decision_class', 'output', 'cost_micros', 'approval_state', 'execution', 'status', 'created_at', 'updated_at'] as const;

/** Account decisions, newest first. Pending approvals past their time are expired first. */
export async function listDecisions(runtime: Runtime, filter: DecisionFilter = {}): Promise<DecisionSummary[]> {
  if (filter.status !== undefined) parseDecisionStatus(filter.status, 'status');
  await expireApprovals(runtime);
  let q = runtime.store.db.selectFrom('decisions').select([...summaryColumns]).where(decisionEndRows);
  if (filter.accountId !== undefined) q = q.where('account_id', '=', filter.accountId);
  if (filter.workflow !== undefined) q = q.where('workflow', '=', filter.workflow);
  // with an account, its index (decisions_account_end) reads least: keep the status off the other one
  if (filter.status !== undefined) q = filter.accountId !== undefined ? q.where(decisionStatusIs(filter.status)) : q.where('status', '=', filter.status);
  if (filter.since !== undefined) q = q.where('created_at', '>=', filter.since);
  if (filter.until !== undefined) q = q.where('created_at', '<', filter.until);
  const ends = await q.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(filter.limit ?? 50).execute();
  if (!ends.length) return [];
  const costs = await stepCosts(runtime, ends.map((e) => decisionBaseId(e.id)));
  const outcomes = await outcomesOf(runtime, ends.map((e) => e.id));
  return ends.map((e) => summaryOf(e, costs.get(decisionBaseId(e.id)) ?? 0, outcomes.get(e.id) ?? []));
}

/** Everything about one decision; `id` with or without its `:step` suffix. Unknown id: bad input. */
export async function showDecision(runtime: Runtime, id: string): Promise<DecisionDetail> {
  await expireApprovals(runtime);
  const base = decisionBaseId(id.trim());
  const rows = await runtime.store.db.selectFrom('decisions').selectAll().where('id', '>', `${base}:`).where('id', '<', `${base};`).execute();
  const end = rows.find((r) => r.status !== 'decided');
  if (!rows.length || !end) {
    throw new RevloopError('DECISION_UNKNOWN', `no decision with id ${id}`, { where: id, fix: 'find its id with `revloop decisions list`', kind: 'bad_input' });
  }
  const ids = rows.map((r) => r.id);
  const outcomes = await outcomesOf(runtime, ids);
  const approval = await runtime.store.db.selectFrom('approvals').selectAll().where('decision_id', 'in', ids).orderBy('requested_at', 'desc').executeTakeFirst();
  const order = stepOrder(runtime.loaded.config.workflows[end.workflow] as WorkflowConfig | undefined, rows);
  const steps = [...rows].sort((a, b) => compareSteps(order, a, b));
  const first = rows.find((r) => r.features !== null);
  const summary = summaryOf(end, rows.reduce((s, r) => s + Number(r.cost_micros), 0), [...outcomes.values()].flat());
  return {
    ...summary,
    inputHash: end.input_hash,
    inputs: first ? parseJson(first.features) : null,
    steps: steps.map((r) => ({ id: r.id, step: r.step, status: r.status, capability: r.capability, model: r.model, modelVersion: r.model_version, output: parseJson(r.output), costMicros: Number(r.cost_micros), latencyMs: r.latency_ms === null ? null : Number(r.latency_ms) })),
    planned: plannedOf(end.output),
    // while in progress the column holds the executing process's claim, not an answer
    execution: withoutClaim(parseJson(end.execution) as Record<string, ExecutionResultView> | null) ?? null,
    approval: approval
      ? {
          id: approval.id,
          state: approval.state,
          decisionClass: approval.decision_class,
          policy: policyFor(runtime, approval.decision_class)?.name ?? null,
          requestedAt: Number(approval.requested_at),
          expiresAt: approval.expires_at === null ? null : Number(approval.expires_at),
          decidedAt: approval.decided_at === null ? null : Number(approval.decided_at),
          decidedBy: approval.decided_by,
          reason: approval.reason,
        }
      : null,
  };
}

/** The approval policy of the config that holds a decision class (the first that names it, as the engine picks). */
export function policyFor(runtime: Runtime, decisionClass: string): { name: string; expiresAfterHours: number } | undefined {
  return runtime.loaded.config.approvals.policies.find((p) => p.decisionClasses.includes(decisionClass));
}

function summaryOf(end: Row, costMicros: number, outcomes: DecisionOutcome[]): DecisionSummary {
  const planned = plannedOf(end.output);
  return {
    id: decisionBaseId(end.id),
    endRowId: end.id,
    endStep: end.step,
    at: Number(end.created_at),
    updatedAt: Number(end.updated_at),
    workflow: end.workflow,
    accountId: end.account_id,
    contactId: end.contact_id,
    status: end.status,
    channel: planned?.channel ?? null,
    connector: planned?.connector ?? null,
    action: planned?.action ?? null,
    sendAt: planned?.sendAt ?? null,
    decisionClass: end.decision_class,
    approvalState: end.approval_state,
    costMicros,
    note: noteOf(end),
    outcomes,
  };
}

function parseJson(text: string | null): unknown {
  if (text === null) return null;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function plannedOf(output: string | null): DecisionDetail['planned'] {
  const o = parseJson(output) as DecisionDetail['planned'] | null;
  return o && typeof o === 'object' && typeof o.connector === 'string' && typeof o.action === 'string' ? o : null;
}

/** why a decision ended as it did, in a few words (null when it executed) */
function noteOf(end: Row): string | null {
  const out = parseJson(end.output) as { stoppedAt?: string; reasons?: string[]; reason?: string; error?: string } | null;
  const claim = claimOf(end.execution);
  if (claim && end.status === 'in_progress') return `being executed by pid ${claim.pid} on ${claim.host} since ${new Date(claim.at).toISOString()}`;
  const exec = withoutClaim(parseJson(end.execution) as Record<string, ExecutionResultView> | null);
  const failed = exec ? Object.entries(exec).filter(([, r]) => r && r.ok === false) : [];
  if (failed.length) return failed.map(([system, r]) => `${system}: ${r.error ?? 'failed'}`).join('; ');
  if (!out || typeof out !== 'object') return null;
  if (out.error) return out.error;
  if (out.stoppedAt) return `stopped at ${out.stoppedAt}`;
  if (out.reasons) return out.reasons.join('; ');
  if (out.reason) return out.reason;
  return null;
}

/** the sum of cost_micros over each decision's rows: one query per 100 decisions (id ranges on the primary key) */
async function stepCosts(runtime: Runtime, bases: string[]): Promise<Map<string, number>> {
  const costs = new Map<string, number>();
  const unique = [...new Set(bases)];
  for (let i = 0; i < unique.length; i += 100) {
    const chunk = unique.slice(i, i + 100);
    const rows = await runtime.store.db
      .selectFrom('decisions')
      .select(['id', 'cost_micros'])
      .where((eb) => eb.or(chunk.map((b) => eb.and([eb('id', '>', `${b}:`), eb('id', '<', `${b};`)]))))
      .execute();
    for (const r of rows) {
      const b = decisionBaseId(r.id);
      costs.set(b, (costs.get(b) ?? 0) + Number(r.cost_micros));
    }
  }
  return costs;
}

/**
 * outcomes joined to these decision rows (outcomes.decision_id). No index holds decision_id, and
 * the outcome's account is not a safe key (a merge moves it): the outcomes table is scanned once
 * per 500 rows asked, which is one or two scans of a table of a few rows per opportunity.
 */
async function outcomesOf(runtime: Runtime, rowIds: string[]): Promise<Map<string, DecisionOutcome[]>> {
  const byRow = new Map<string, DecisionOutcome[]>();
  for (let i = 0; i < rowIds.length; i += 500) {
    const q = runtime.store.db.selectFrom('outcomes').selectAll().where('decision_id', 'in', rowIds.slice(i, i + 500));
    for (const o of await q.orderBy('occurred_at').execute()) {
      const list = byRow.get(o.decision_id!) ?? [];
      list.push({ id: o.id, kind: o.kind, valueMicros: o.value_micros === null ? null : Number(o.value_micros), occurredAt: Number(o.occurred_at), opportunityId: o.opportunity_id, source: o.source });
      byRow.set(o.decision_id!, list);
    }
  }
  return byRow;
}

/** the default workflow's tasks in the order they run: the order of a workflow no longer in the config */
const standardTasks: string[] = [taskNames.intent, taskNames.content, taskNames.message, taskNames.brand, taskNames.channel];

/**
 * The order steps ran in (the rows of one decision share their time), from the workflow: a step's
 * rank, where the steps an evaluate step sends back for another attempt rank with it, so that
 * message, brand, message#1, brand#1 read in the order they happened. Rows the workflow does not
 * name (dropped, outcome) come last. A workflow the config no longer has: its capability steps in
 * the default workflow's order of tasks, the message retried with the brand check.
 */
function stepOrder(configured: WorkflowConfig | undefined, rows: { step: string; capability: string | null }[]): Map<string, { rank: number; index: number }> {
  const order = new Map<string, { rank: number; index: number }>();
  const workflow = configured ?? inferredWorkflow(rows);
  workflow.steps.forEach((s, index) => order.set(s.name, { rank: index, index }));
  workflow.steps.forEach((s, index) => {
    if (!isCapabilityStep(s) || !s.retryStep) return;
    const from = workflow.steps.findIndex((x) => x.name === s.retryStep);
    for (let k = Math.max(0, from); k <= index; k++) order.set(workflow.steps[k]!.name, { rank: index, index: k });
  });
  return order;
}

function inferredWorkflow(rows: { step: string; capability: string | null }[]): Pick<WorkflowConfig, 'steps'> {
  const byTask = new Map<string, { name: string; capability: string }>();
  for (const r of rows) {
    const [capability, task] = (r.capability ?? '').split('/');
    if (capability && task && standardTasks.includes(task) && !r.step.includes('#') && !r.step.includes(':')) byTask.set(task, { name: r.step, capability });
  }
  const message = byTask.get(taskNames.message)?.name;
  const steps = standardTasks.filter((t) => byTask.has(t)).map((task) => ({ ...byTask.get(task)!, task, ...(task === taskNames.brand && message ? { retryStep: message } : {}) }));
  return { steps: steps as unknown as WorkflowConfig['steps'] };
}

function compareSteps(order: Map<string, { rank: number; index: number }>, a: { step: string; status: string; id: string }, b: { step: string; status: string; id: string }): number {
  const key = (r: { step: string; status: string }) => {
    const [name = '', suffix] = r.step.split(':');
    const [base = '', attempt = '0'] = name.split('#');
    const o = order.get(base);
    // an error row follows its step; an end row that is not a step of the workflow comes last
    return [o ? o.rank : Number.MAX_SAFE_INTEGER, Number(attempt) || 0, o ? o.index : Number.MAX_SAFE_INTEGER, suffix ? 1 : 0];
  };
  const ka = key(a);
  const kb = key(b);
  for (let i = 0; i < ka.length; i++) if (ka[i] !== kb[i]) return ka[i]! - kb[i]!;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}
