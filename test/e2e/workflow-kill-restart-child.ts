// The production loop in a process of its own, for workflow-kill-restart.test.ts to SIGKILL: one
// cycle of core's runLoopCycle — what each `revloop serve` run schedule runs (sync every connector
// → resolve identities → learn → decide and execute the default workflow → upload conversions) —
// against the sandbox emulators the test process serves, on a SQLite file that outlives the kills.
// Sales tasks go to HubSpot, or to Salesforce when the job says so.
// Like serve it takes the store's owner lock first (a killed child leaves it behind: stale, taken
// over). The clock is the market's time, the same at every restart.
// Prints `ready` once the store is open, then `done <JSON summary>` when the cycle has ended.
import { acquireStoreOwner, createRuntime, parseConfig, runLoopCycle, SimulatedClock } from '@revloop/core';
import { defaultModels, loopConfig, vendorConnectors, vendorConversions, vendorExecuteTargets } from '@revloop/evaluation';

export interface KillRestartJob {
  dir: string;
  dbFile: string;
  /** the sandbox's references: emulator URLs and credentials */
  refs: Record<string, string>;
  /** the market's time: the cycle's clock */
  now: number;
  scenario: { seed: number; topics: string[] };
  actionsPerRun: number;
  /** where sales tasks go: HubSpot (the e2e default workflow) or Salesforce (its create_tasks) */
  salesTasks: 'hubspot' | 'salesforce';
}

const job = JSON.parse(process.argv[2]!) as KillRestartJob;
const executeTargets = vendorExecuteTargets();
if (job.salesTasks === 'salesforce') {
  executeTargets.sales_task = {
    action: 'salesforce.create_tasks',
    input: { tasks: [{ key: '{{decisionKey}}', whoId: '{{contact.ids.salesforce}}', whatId: '{{account.ids.salesforce}}', subject: '{{message.subject}}', description: '{{message.body}}' }] },
  };
}
const loaded = parseConfig(
  loopConfig(
    { dir: job.dir, dbFile: job.dbFile, models: defaultModels(job.scenario), actionsPerDay: job.actionsPerRun },
    { connectors: vendorConnectors(job.refs), executeTargets, conversions: vendorConversions() },
  ),
  { env: {}, baseDir: job.dir },
);
const owner = await acquireStoreOwner(loaded.config, 'serve');
const runtime = await createRuntime(loaded, { clock: new SimulatedClock(job.now) });
await runtime.store.migrate();
process.stdout.write('ready\n');
const cycle = await runLoopCycle(runtime);
const run = cycle.runs.default!;
const summary = {
  failures: cycle.ingest.failures.map((f) => `${f.stream}: ${f.error}`),
  executed: run.executed,
  failed: run.failed,
  retried: run.retried,
  reconciled: run.reconciled,
  heldElsewhere: run.heldElsewhere,
  deferred: run.deferred,
  errors: run.errors.slice(0, 5),
};
await runtime.close();
owner?.release();
process.stdout.write(`done ${JSON.stringify(summary)}\n`);
