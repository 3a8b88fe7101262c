// The closed loop over simulated days: the market moves a day, then core's loop cycle runs on the
// simulated clock — the same job graph `revloop serve` runs on the wall clock: what the market
// produced lands in the unified model, outcomes teach the models, the workflow decides for the
// accounts whose signals or outcomes changed, and the decisions act back on the market.
// Returns a day-by-day record.
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import {
  createRuntime, decideApproval, listApprovals, parseConfig, runLoopCycle, SimulatedClock,
  type Executor, type LearnSummary, type LoopCycleResult, type LoopStep, type RevloopConfigInput, type Runtime, type WorkflowRunSummary,
} from '@revloop/core';
import type { Market, Scenario } from '@revloop/sandbox';
import { defaultWorkflow } from './workflow-config.js';
import type { IngestDay, LoopSource, LoopVia } from './loop-source.js';
import { directSource } from './direct-source.js';
import { connectorSource } from './connector-source.js';
import { expectedResponsesSoFar } from '../market-truth.js';

export interface DayRecord {
  day: number;
  date: string;
  revenue: number; // cumulative closed-won revenue
  spend: number; // cumulative marketing spend (ad campaigns + treatments)
  treatmentSpend: number;
  pipelineOpen: number;
  closedWon: number;
  opportunities: number;
  /** cumulative treatments the market took, and the sum of their hidden answer chances (reports; revloop never sees it) */
  treatments: number;
  expectedResponses: number;
  decisions: Pick<WorkflowRunSummary, 'accounts' | 'executed' | 'noAction' | 'dropped' | 'pendingApproval' | 'failed' | 'deferred' | 'interrupted' | 'retried'>;
  byChannel: Record<string, number>;
  byClass: Record<string, number>;
  approvals: { approved: number; rejected: number };
  learning: { examples: number; attributed: number; metrics: Record<string, Record<string, number>> };
  modelCostMicros: number;
  /** what the day's ingest wrote (connector path: per connector/stream) and how long it took */
  ingest: { written: number; ms: number; failures: IngestDay['failures'] };
  /** the day's workflow run (decisions and their executions), ms */
  decideMs: number;
  /** ms per step of the day's loop cycle (sync, resolve, learn, decide, upload) */
  steps: LoopCycleResult['ms'];
}

export interface ClosedLoopOptions {
  scenario: Scenario;
  days?: number;
  /** folder for the SQLite file */
  dir: string;
  /** the SQLite file (default: revloop.db in `dir`) */
  dbFile?: string;
  /** executions per day (the same action budget the baseline and oracle get) */
  actionsPerDay?: number;
  /** model plugins (default: local models + brand guard) */
  models: RevloopConfigInput['models'];
  approvals?: RevloopConfigInput['approvals'];
  budgets?: RevloopConfigInput['budgets'];
  /** the simulated reviewer: approves what waits for a person the next day (default), or never */
  reviewer?: 'approve' | 'none';
  onDay?: (record: DayRecord) => void;
  /** each step of a day's loop cycle as it starts (a progress bar shows it) */
  onStep?: (step: LoopStep) => void;
  /** direct path only: apply treatments directly (default) or through revloop's action runner */
  execution?: 'direct' | 'actions';
  /**
   * 'direct' (default here, benchmarks): market events copied into the store, decisions treat the
   * market in-process. 'connectors': the sandbox's vendor emulators, synced and written through the
   * HubSpot, Salesforce, LinkedIn Ads and Google Ads connectors.
   */
  via?: LoopVia;
}

export interface ClosedLoopResult {
  via: LoopVia;
  days: DayRecord[];
  final: { revenue: number; spend: number; cac: number; closed_won: number; treatments: number; opportunities: number };
  /** account decisions per second inside the workflow engine (ingest and market excluded) */
  decisionsPerSecond: number;
  decisionsTotal: number;
  market: Market;
  /** wall-clock seconds of the whole loop (market, ingest, decisions) */
  seconds: number;
}

export function loopConfig(options: Pick<ClosedLoopOptions, 'dir' | 'dbFile' | 'models' | 'approvals' | 'budgets' | 'actionsPerDay'>, source: Pick<LoopSource, 'connectors' | 'executeTargets' | 'conversions'>): RevloopConfigInput {
  return {
    store: { kind: 'sqlite', path: options.dbFile ?? join(options.dir, 'revloop.db') },
    // the run prints its own progress and summary; a JSON log line in between is noise to a person
    // (e.g. the sandbox LinkedIn token kept in memory without REVLOOP_STATE_KEY): errors only
    log: { level: 'error' },
    connectors: source.connectors,
    models: options.models,
    approvals: options.approvals ?? { policies: [], regulatedIndustries: [] },
    budgets: options.budgets ?? [],
    workflows: { default: { ...defaultWorkflow(source.executeTargets, { maxExecutionsPerRun: options.actionsPerDay ?? 10 }), conversions: source.conversions ?? [] } },
  };
}

export async function openLoopSource(options: Pick<ClosedLoopOptions, 'scenario' | 'via' | 'execution'>): Promise<LoopSource> {
  return (options.via ?? 'direct') === 'connectors' ? connectorSource(options.scenario) : directSource(options.scenario, options.execution);
}

/** A closed loop driven one simulated day at a time (tests; `runClosedLoop` runs it to the end). */
export interface ClosedLoopSession {
  source: LoopSource;
  runtime: Runtime;
  clock: SimulatedClock;
  /** simulate the next day: market, ingest, learning, approvals, decisions and their execution */
  step(): Promise<DayRecord>;
  /** account decisions and the time spent deciding them so far */
  decided(): { decisions: number; ms: number };
  close(): Promise<void>;
}

export async function startClosedLoop(options: Omit<ClosedLoopOptions, 'days' | 'onDay'>): Promise<ClosedLoopSession> {
  const source = await openLoopSource(options);
  const { market, executor } = source;
  let runtime: Runtime;
  const clock = new SimulatedClock(market.now());
  try {
    runtime = await createRuntime(parseConfig(loopConfig(options, source), { env: {}, baseDir: options.dir }), { clock });
    await runtime.store.migrate();
  } catch (e) {
    await source.stop();
    throw e;
  }
  let day = 0;
  let decideMs = 0;
  let decided = 0;
  return {
    source,
    runtime,
    clock,
    decided: () => ({ decisions: decided, ms: decideMs }),
    async step() {
      market.advanceDay();
      clock.set(Math.max(clock.now(), market.now()));
      let approvals = { approved: 0, rejected: 0 };
      const cycle = await runLoopCycle(runtime, {
        ingest: source.ingest ?? undefined,
        executor,
        onStep: options.onStep,
        beforeDecide: async () => {
          approvals = await review(runtime, options.reviewer ?? 'approve', executor);
        },
      });
      const ingested = cycle.ingest;
      const learned = cycle.learned.default!;
      const summary = cycle.runs.default!;
      const dayMs = cycle.ms.decide;
      decideMs += dayMs;
      decided += summary.accounts - summary.skipped;
      const s = market.stats();
      return {
        day: day++,
        date: new Date(market.now() - 1).toISOString().slice(0, 10),
        revenue: s.revenueClosedWon,
        spend: s.totalSpend,
        treatmentSpend: s.totalSpend - s.adSpend.linkedin - s.adSpend.google,
        pipelineOpen: s.pipelineOpen,
        closedWon: s.closedWon,
        opportunities: s.opportunitiesCreated,
        treatments: Object.values(s.treatments).reduce((a, b) => a + b, 0),
        expectedResponses: expectedResponsesSoFar(market),
        decisions: { accounts: summary.accounts, executed: summary.executed, noAction: summary.noAction, dropped: summary.dropped, pendingApproval: summary.pendingApproval, failed: summary.failed, deferred: summary.deferred, interrupted: summary.interrupted, retried: summary.retried },
        byChannel: summary.byChannel,
        byClass: summary.byClass,
        approvals,
        learning: { examples: learned.examples, attributed: learned.attributed, metrics: metricsOf(learned) },
        modelCostMicros: summary.costMicros,
        ingest: { written: Object.values(ingested.written).reduce((a, b) => a + b, 0), ms: ingested.ms, failures: ingested.failures },
        decideMs: dayMs,
        steps: cycle.ms,
      };
    },
    async close() {
      try {
        await runtime.close();
      } finally {
        await source.stop();
      }
    },
  };
}

export async function runClosedLoop(options: ClosedLoopOptions): Promise<ClosedLoopResult> {
  const started = performance.now();
  const loop = await startClosedLoop(options);
  const days = options.days ?? options.scenario.days;
  const records: DayRecord[] = [];
  try {
    for (let day = 0; day < days; day++) {
      const record = await loop.step();
      records.push(record);
      options.onDay?.(record);
    }
  } finally {
    await loop.close();
  }
  const market = loop.source.market;
  const s = market.stats();
  const treatments = Object.values(s.treatments).reduce((a, b) => a + b, 0);
  const { decisions, ms } = loop.decided();
  return {
    via: loop.source.via,
    days: records,
    final: { revenue: s.revenueClosedWon, spend: s.totalSpend, cac: s.closedWon ? s.totalSpend / s.closedWon : Number.POSITIVE_INFINITY, closed_won: s.closedWon, treatments, opportunities: s.opportunitiesCreated },
    decisionsPerSecond: ms > 0 ? (decisions / ms) * 1000 : 0,
    decisionsTotal: decisions,
    market,
    seconds: (performance.now() - started) / 1000,
  };
}

function metricsOf(learned: LearnSummary): Record<string, Record<string, number>> {
  return Object.fromEntries(learned.updates.map((u) => [`${u.model}/${u.task}`, u.metrics]));
}

/** The simulated reviewer approves what waited since yesterday (or does nothing). */
async function review(runtime: Runtime, reviewer: 'approve' | 'none', executor: Executor | undefined): Promise<{ approved: number; rejected: number }> {
  if (reviewer === 'none') return { approved: 0, rejected: 0 };
  let approved = 0;
  for (const a of await listApprovals(runtime, 'pending')) {
    await decideApproval(runtime, a.id, 'approve', 'sandbox-reviewer', 'simulated RevOps review', executor);
    approved++;
  }
  return { approved, rejected: 0 };
}
