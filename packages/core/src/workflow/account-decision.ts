// One account's decision: the workflow's steps over a shared per-account context (each capability
// step routed to a model under the budgets, the gate, the execute step's target), and the decision
// rows that log it. The engine runs the steps in one go, or — when the run ranks before it decides
// (rank-first.ts) — first the steps its ranking reads, then, for the accounts within the run's
// execution cap only, the rest.
//
// Rows are kept here until the account's decision ends and built then: a decision ranked below the
// cap keeps one row (deferred), and its features are serialised only when a row needs them.
import { hash } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { Runtime } from '../runtime.js';
import { errorMessage, isRevloopError } from '../errors.js';
import type { DecisionsTable } from '@revloop/store';
import type { Route } from './router.js';
import type { BudgetGuard } from './budget.js';
import { rankScore, type DealValues } from './value.js';
import { fillTemplate } from './template.js';
import { isCapabilityStep, isExecuteStep, isGateStep, type CapabilityStep, type ExecuteStep, type WorkflowConfig, type WorkflowStep } from './schema.js';
import type { AccountFeatures, BrandOutput, Channel, ChannelOutput, ContactBrief, ContentOutput, IntentOutput, MessageOutput } from './tasks.js';
import { decisionClassesOf, gatedClass } from './approvals.js';

const HOUR = 3_600_000;

export type Status = 'ready' | 'no_action' | 'dropped' | 'pending_approval' | 'failed' | 'skipped';

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

/** A decision that passed every step and the gate, waiting for its turn to execute. */
export interface ReadyExecution {
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
  /** writes the decision's end row into the run's buffer; returns its id */
  record: (patch: Partial<DecisionsTable>) => string;
}

/** what the steps of one run share (the same for every account) */
export interface DecideContext {
  runtime: Runtime;
  name: string;
  workflow: WorkflowConfig;
  routes: Map<string, Route>;
  budget: BudgetGuard;
  timeoutMs: number;
  values: DealValues;
  /** the run's counters: cost, decision classes, errors */
  summary: { costMicros: number; byClass: Record<string, number>; errors: { accountId: string; step: string; error: string }[] };
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

export class AccountDecision {
  readonly contact: ContactBrief | undefined;
  readonly byTask: Record<string, unknown> = {};
  private readonly outputs: Record<string, unknown> = {};
  /** the rows recorded so far, built (with the features) when the decision ends */
  private readonly pending: { step: string; patch: Partial<DecisionsTable> }[] = [];
  private gated: string | undefined;
  private json: { features: string; hash: string } | undefined;
  private readonly now: number;

  constructor(
    private readonly ctx: DecideContext,
    readonly features: AccountFeatures,
    /** the decision's idempotency key without the step */
    private readonly baseKey: string,
    /** one id per account decision; each step's record id is that id and the step's name */
    private readonly idBase: string,
  ) {
    this.contact = chooseContact(features);
    this.now = ctx.runtime.clock.now();
  }

  get accountId(): string {
    return this.features.accountId;
  }

  /**
   * The stored copy names the account's contacts by id and persona: their emails and titles stay
   * in the contacts table, the one place a deletion request must reach (they were also two thirds
   * of every decision's features). No replacer (it would run for every key): JSON.stringify writes
   * Infinity (no signal yet) as null. Built once, when the first row is.
   */
  private featureJson(): { features: string; hash: string } {
    if (!this.json) {
      const features = JSON.stringify({ ...this.features, contacts: this.features.contacts.map((c) => ({ id: c.id, email: null, persona: c.persona, title: null })) });
      this.json = { features, hash: hash('sha1', features, 'hex').slice(0, 16) };
    }
    return this.json;
  }

  private idOf(stepName: string): string {
    return `${this.idBase}:${stepName}`;
  }

  /** a row of this decision, written when the decision ends */
  private record(stepName: string, patch: Partial<DecisionsTable>): void {
    this.pending.push({ step: stepName, patch });
  }

  /** the full row of one step (the first step's row carries the features) */
  private row(stepName: string, patch: Partial<DecisionsTable>, withFeatures = stepName === this.ctx.workflow.steps[0]!.name): DecisionsTable {
    const json = this.featureJson();
    return {
      id: this.idOf(stepName),
      workflow: this.ctx.name,
      step: stepName,
      account_id: this.features.accountId,
      contact_id: this.contact?.id ?? null,
      capability: null,
      decision_class: null,
      model: null,
      model_version: null,
      input_hash: json.hash,
      features: withFeatures ? json.features : null,
      output: null,
      cost_micros: 0,
      latency_ms: null,
      approval_state: 'not_required',
      execution: null,
      status: 'decided',
      idempotency_key: `${this.baseKey}:${stepName}`,
      created_at: this.now,
      updated_at: this.now,
      ...patch,
    };
  }

  /** moves the rows recorded so far into the run's buffer */
  flushTo(rows: DecisionsTable[]): void {
    for (const p of this.pending) rows.push(this.row(p.step, p.patch));
    this.pending.length = 0;
  }

  /**
   * Ranked below the run's cap: the decision ends deferred without the steps it did not need to
   * be ranked. It keeps one row, what it would have done (channel, action, time), with the input
   * hash but not the features — unless a ranking step cost something: those rows stay (the cost
   * ledger names them), the first one with the features.
   */
  deferTo(rows: DecisionsTable[], step: ExecuteStep, target: ExecutionTarget): void {
    const paid = this.pending.some((p) => Number(p.patch.cost_micros ?? 0) > 0);
    if (paid) this.flushTo(rows);
    this.pending.length = 0;
    const classes = decisionClassesOf(this.ctx.runtime, this.features, undefined);
    rows.push(this.row(step.name, { status: 'deferred', decision_class: classes.join(',') || null, output: JSON.stringify(target) }, false));
  }

  /** the execution target of the execute step for the channel chosen so far (undefined: none for it) */
  target(step: ExecuteStep): ExecutionTarget | undefined {
    const choice = this.byTask['channel-time'] as ChannelOutput | undefined;
    const channel = choice?.channel ?? 'email';
    const target = step.execute[channel];
    if (!target) return undefined;
    const [connector, action] = target.action.split('.') as [string, string];
    const day = Math.floor(this.now / 86_400_000) * 86_400_000;
    return { channel, connector, action, sendAt: day + (choice?.sendHour ?? 9) * HOUR };
  }

  /** the run's ranking of this decision (workflow.rankBy) from the outputs so far */
  score(): number {
    return rankScore(this.ctx.workflow.rankBy, this.features, this.byTask.intent as IntentOutput | undefined, this.byTask['channel-time'] as ChannelOutput | undefined, this.ctx.values);
  }

  /** the end row for a decision that cannot execute on the chosen channel */
  noTarget(step: ExecuteStep): 'skipped' {
    this.record(step.name, { status: 'skipped', output: JSON.stringify({ reason: `no execution target for channel ${(this.byTask['channel-time'] as ChannelOutput | undefined)?.channel}` }) });
    return 'skipped';
  }

  private async invoke(step: CapabilityStep, input: unknown, attempt = 0): Promise<unknown> {
    const { runtime, routes, budget, timeoutMs, summary, name } = this.ctx;
    const r = routes.get(step.name)!;
    const stepName = attempt ? `${step.name}#${attempt}` : step.name;
    const labels = { workflow: name, step: step.name, plugin: r.instance.name, model: `${r.instance.definition.name}/${r.capability.task}`, decisionId: this.idOf(stepName) };
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
    this.record(stepName, {
      capability: `${step.capability}/${step.task}`,
      model: r.instance.name,
      model_version: result.modelVersion ?? r.instance.definition.version,
      output: JSON.stringify(result.output),
      cost_micros: cost,
      latency_ms: performance.now() - t0,
    });
    return result.output;
  }

  private inputFor(step: CapabilityStep, attempt: number, feedback?: string[]): unknown {
    const { features, contact, byTask } = this;
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
        return { features, contact, outputs: this.outputs, params: step.with ?? {} };
    }
  }

  /**
   * Runs these steps (of the workflow, in its order) and returns how the decision ended, or
   * 'continue' when it passed them all without reaching an execute step. An execute step pushes
   * the decision to `ready` (its end row is written when the run knows whether it executes).
   */
  async run(steps: readonly WorkflowStep[], ready: ReadyExecution[], rows: DecisionsTable[]): Promise<Status | 'continue'> {
    const { runtime, workflow, summary } = this.ctx;
    const contact = this.contact;
    if (!contact) {
      this.record(workflow.steps[0]!.name, { status: 'skipped', output: JSON.stringify({ reason: 'no contact with an email' }) });
      return 'skipped';
    }
    const { byTask, outputs } = this;
    let current = 'start';
    try {
      for (const step of steps) {
        current = step.name;
        if (isCapabilityStep(step)) {
          let output = await this.invoke(step, this.inputFor(step, 0));
          // evaluate steps may send an earlier step back for another attempt
          if (step.capability === 'evaluate' && step.retryStep) {
            const retry = workflow.steps.find((x) => x.name === step.retryStep) as CapabilityStep | undefined;
            let attempt = 0;
            while (!(output as BrandOutput).pass && retry && attempt < step.maxRetries) {
              attempt++;
              const regenerated = await this.invoke(retry, this.inputFor(retry, attempt, (output as BrandOutput).reasons), attempt);
              byTask[retry.task] = regenerated;
              outputs[retry.name] = regenerated;
              output = await this.invoke(step, this.inputFor(step, attempt), attempt);
            }
            if (!(output as BrandOutput).pass) {
              this.record('dropped', { status: 'dropped', output: JSON.stringify({ reasons: (output as BrandOutput).reasons }) });
              return 'dropped';
            }
          }
          byTask[step.task] = output;
          outputs[step.name] = output;
          if (matches(output, step.stopWhen)) {
            this.record('outcome', { status: 'no_action', output: JSON.stringify({ stoppedAt: step.name }) });
            return 'no_action';
          }
        } else if (isGateStep(step)) {
          // the gate decides who must sign off; the decision still competes for this run's
          // execution budget, and only a decision within it is sent for approval
          const classes = decisionClassesOf(runtime, this.features, byTask.message as MessageOutput | undefined);
          for (const c of classes) summary.byClass[c] = (summary.byClass[c] ?? 0) + 1;
          this.gated = gatedClass(runtime, classes);
        } else if (isExecuteStep(step)) {
          const target = this.target(step);
          if (!target) return this.noTarget(step);
          const baseKey = this.baseKey;
          const features = this.features;
          const snapshot = { ...byTask };
          ready.push({
            target,
            entities: [features.accountId, contact.id],
            plan: (idsOf) => plan(target, step, features, contact, snapshot, baseKey, idsOf),
            gated: this.gated,
            score: this.score(),
            accountId: features.accountId,
            stepName: step.name,
            decisionClass: decisionClassesOf(runtime, features, byTask.message as MessageOutput | undefined).join(',') || null,
            record: (patch) => {
              rows.push(this.row(step.name, patch));
              return this.idOf(step.name);
            },
          });
          return 'ready';
        }
      }
      return 'continue';
    } catch (e) {
      const message = runtime.loaded.redactor.text(errorMessage(e));
      this.record(`${current}:error`, { status: 'failed', output: JSON.stringify({ error: message }) });
      if (summary.errors.length < 100) summary.errors.push({ accountId: this.features.accountId, step: current, error: message });
      runtime.log.warn({ account: this.features.accountId, step: current, error: message }, 'decision failed for this account');
      if (isRevloopError(e) && e.code === 'BUDGET_EXHAUSTED') summary.byClass['budget-exhausted'] = (summary.byClass['budget-exhausted'] ?? 0) + 1;
      return 'failed';
    }
  }

  /** a workflow without an execute step ends here: its end row, like every decision's */
  endWithoutExecution(): 'no_action' {
    this.record('outcome', { status: 'no_action', output: JSON.stringify({ stoppedAt: 'end' }) });
    return 'no_action';
  }
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
