// `revloop run`: the main job. Runs the closed loop over simulated days on the sandbox market,
// compares it with the rules baseline and the oracle on the same action budget, and writes a
// terminal summary (or --json) and an HTML report with charts.
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import cliProgress from 'cli-progress';
import { acquireStoreOwner, RevloopError, type LoopStep, type RevloopConfig, type RevloopConfigInput } from '@revloop/core';
import { loadScenario, ScenarioError, defaultScenarioPath, type Scenario } from '@revloop/sandbox';
import { z } from 'zod';
import { buildReport, defaultModels, referenceRuns, runClosedLoop, type LoopVia, type RunReport } from '@revloop/evaluation';
import { renderReportHtml } from './report-html.js';
import { renderSummaryText } from './summary-text.js';
import { writePrivateFile } from '../private-file.js';

/** the default path of `revloop run` (see apps/cli/README.md: timings of both paths) */
export const DEFAULT_VIA: LoopVia = 'connectors';
export const viaSchema = z.enum(['connectors', 'direct']);

export function parseVia(value: unknown): LoopVia {
  if (value === undefined) return DEFAULT_VIA;
  const r = viaSchema.safeParse(value);
  if (!r.success) throw new RevloopError('BAD_ARGUMENT', `--via must be "connectors" or "direct", not "${String(value)}"`, { where: '--via', fix: 'pass --via connectors (through the vendor connectors and emulators) or --via direct (in-process, for benchmarks)', kind: 'bad_input' });
  return r.data;
}

export interface RunCommandOptions {
  /** 'connectors' (default): through the vendor connectors and the sandbox's emulators; 'direct': in-process */
  via?: LoopVia;
  days?: number;
  seed?: number;
  scenario?: string;
  json?: boolean;
  /** where the HTML report goes (default reports/run-<seed>.html under cwd) */
  out?: string;
  /** the run's SQLite database (default .revloop/run-seed<seed>.db under cwd); emptied first */
  store?: string;
  actionsPerDay?: number;
  models?: RevloopConfigInput['models'];
  approvals?: RevloopConfigInput['approvals'];
  cwd?: string;
  progress?: boolean;
  /** return the report without printing it (a caller prints it) */
  silent?: boolean;
  /** the loop ended: the reference runs and the report start (quickstart prints its phases) */
  onReport?: () => void;
}

export function loadRunScenario(file: string | undefined, seed: number | undefined, days: number | undefined): Scenario {
  const path = file ?? fileURLToPath(defaultScenarioPath);
  let text: string;
  try {
    // gen:<seed>: a generated market (loadScenario draws it); anything else: a scenario file
    text = /^\s*gen:/.test(path) ? path : readFileSync(path, 'utf8');
  } catch {
    throw new RevloopError('SCENARIO_NOT_FOUND', `scenario file ${path} cannot be read`, { where: '--scenario', fix: 'pass the path of a scenario JSON file, or gen:<seed> for a generated market (see packages/sandbox/docs/scenario.md)', kind: 'bad_input' });
  }
  let scenario: Scenario;
  try {
    scenario = loadScenario(text);
  } catch (e) {
    if (e instanceof ScenarioError) {
      throw new RevloopError('SCENARIO_INVALID', e.message, { where: `${path}: ${e.issues[0]?.path ?? ''}`, fix: 'correct the field named above (packages/sandbox/docs/scenario.md lists every field)', kind: 'bad_input' });
    }
    throw e;
  }
  if (seed !== undefined) scenario = { ...scenario, seed };
  if (days !== undefined) scenario = { ...scenario, days: Math.min(days, scenario.days) };
  return scenario;
}

/** the days a run covers: `requested` (a number or the raw option) checked against the scenario's length, or all of it */
export function runDays(scenario: Scenario, requested: number | string | undefined): number {
  if (requested === undefined) return scenario.days;
  const days = Number(requested);
  if (!Number.isInteger(days) || days < 1 || days > scenario.days) {
    throw new RevloopError('BAD_ARGUMENT', `--days must be a whole number from 1 to ${scenario.days} (the scenario's length), not "${requested}"`, { where: '--days', fix: `pass --days ${scenario.days}, or a scenario with more days`, kind: 'bad_input' });
  }
  return days;
}

/** where a run keeps its database when no --store names one: beside the other stores, one per seed */
export function defaultRunStore(cwd: string, seed: number): string {
  return resolve(cwd, '.revloop', `run-seed${seed}.db`);
}

/** a run's market starts again on the scenario's first day: its store starts empty */
function freshStore(path: string): void {
  mkdirSync(dirname(path), { recursive: true });
  for (const suffix of ['', '-wal', '-shm']) rmSync(`${path}${suffix}`, { force: true });
}

export async function runCommand(options: RunCommandOptions): Promise<{ report: RunReport; htmlPath: string; storePath: string }> {
  const scenario = loadRunScenario(options.scenario, options.seed, undefined);
  const days = runDays(scenario, options.days);
  const actionsPerDay = options.actionsPerDay ?? 10;
  const via = parseVia(options.via);
  const cwd = options.cwd ?? process.cwd();
  const storePath = options.store ? resolve(cwd, options.store) : defaultRunStore(cwd, scenario.seed);
  // one owner per store, as for serve and sync: a second run on the same file is refused
  const owner = await acquireStoreOwner({ store: { kind: 'sqlite', path: storePath } } as RevloopConfig, 'run');
  freshStore(storePath);
  // the bar shows the step of the day's cycle running now (sync, resolve, learn, decide, upload)
  const bar = options.progress !== false && !options.json && process.stderr.isTTY ? new cliProgress.SingleBar({ format: `simulating via ${via} {bar} day {value}/{total} · {step} · ETA {eta_formatted} · revenue \${revenue}`, stream: process.stderr }, cliProgress.Presets.shades_classic) : undefined;
  bar?.start(days, 0, { revenue: 0, step: 'starting' });
  try {
    const loop = await runClosedLoop({
      scenario,
      days,
      dir: dirname(storePath),
      dbFile: storePath,
      via,
      actionsPerDay,
      models: options.models ?? defaultModels(scenario),
      approvals: options.approvals ?? defaultRunApprovals(scenario),
      onStep: bar ? (step) => bar.update({ step: stepLabel[step] }) : undefined,
      onDay: (d) => {
        bar?.update(d.day + 1, { revenue: Math.round(d.revenue).toLocaleString('en-US') });
        if (!bar && !options.json && options.progress !== false && (d.day + 1) % 15 === 0) process.stderr.write(`day ${d.day + 1}/${days} (via ${via}): closed-won $${Math.round(d.revenue).toLocaleString('en-US')}\n`);
      },
    });
    bar?.stop();
    options.onReport?.();
    const refs = referenceRuns(scenario, days, actionsPerDay);
    const report = buildReport(loop, refs, scenario, days);
    const htmlPath = resolve(cwd, options.out ?? join('reports', `run-seed${scenario.seed}.html`));
    writePrivateFile(htmlPath, renderReportHtml(report));
    if (options.silent) return { report, htmlPath, storePath };
    if (options.json) process.stdout.write(`${JSON.stringify({ ...report, report_path: htmlPath, store_path: storePath })}\n`);
    else process.stdout.write(`${renderSummaryText(report, htmlPath, storePath)}\n`);
    return { report, htmlPath, storePath };
  } finally {
    bar?.stop();
    owner?.release();
  }
}

/** what the bar says a day's cycle is doing */
const stepLabel: Record<LoopStep, string> = { sync: 'syncing', resolve: 'resolving identities', learn: 'learning', decide: 'deciding', upload: 'uploading conversions' };

/** without a config: decisions about accounts in the scenario's regulated industries wait for a person */
export function defaultRunApprovals(scenario: Scenario): NonNullable<RevloopConfigInput['approvals']> {
  return { policies: [{ name: 'regulated', decisionClasses: ['regulated-industry', 'offer'], expiresAfterHours: 72 }], regulatedIndustries: regulatedOf(scenario) };
}

function regulatedOf(scenario: Scenario): string[] {
  const industries = (scenario as unknown as { industries?: { name: string; regulated?: boolean }[] }).industries ?? [];
  return industries.filter((i) => i.regulated).map((i) => i.name);
}
