// `revloop models evaluate`: what other channel policies would have earned on the decisions a
// workflow logged — off-policy estimates (IPS, doubly robust) with 95% intervals, from each
// choice's logged propensity. The estimators live in @revloop/core (evaluation/).
import { evaluateOffPolicy, parseOffPolicyCandidates, parseReplaySettings, parseTimeBound, replaySettingsCandidate, RevloopError, type CandidateResult, type OffPolicyReport, type ReplayFallback, type Runtime } from '@revloop/core';
import { withRuntime, type GlobalOptions } from '../context.js';
import { out, outJson, table, time } from '../output.js';

const DAY = 86_400_000;

export interface ModelsEvaluateOptions extends GlobalOptions {
  workflow?: string;
  since?: string;
  until?: string;
  days?: string;
  candidates?: string;
  resamples?: string;
  seed?: string;
  engagementDays?: string;
  /** JSON objects: the channel model with these settings, replayed (one candidate each) */
  settings?: string[];
}

function wholeNumber(text: string | undefined, option: string, min: number, example: string): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!Number.isInteger(n) || n < min) throw new RevloopError('BAD_ARGUMENT', `${option} must be a whole number of at least ${min}, not "${text}"`, { where: option, fix: `pass ${option} ${example}`, kind: 'bad_input' });
  return n;
}

export async function modelsEvaluateCommand(opts: ModelsEvaluateOptions): Promise<number> {
  // bad arguments are refused before the config is loaded and the store opened
  const candidates = parseOffPolicyCandidates(opts.candidates);
  const settings = (opts.settings ?? []).map((text) => parseReplaySettings(text));
  const days = wholeNumber(opts.days, '--days', 1, '30');
  const resamples = wholeNumber(opts.resamples, '--resamples', 50, '400');
  const seed = wholeNumber(opts.seed, '--seed', 0, '1');
  const engagement = wholeNumber(opts.engagementDays, '--engagement-days', 1, '3');
  if (days !== undefined && opts.since !== undefined) throw new RevloopError('BAD_ARGUMENT', '--days and --since both set where the window starts', { where: '--days, --since', fix: 'pass one of them', kind: 'bad_input' });
  if (opts.since !== undefined) parseTimeBound(opts.since, 0, '--since');
  if (opts.until !== undefined) parseTimeBound(opts.until, 0, '--until');
  return withRuntime(opts, async (runtime) => {
    const workflow = await workflowOf(runtime, opts.workflow);
    const now = runtime.clock.now();
    const until = opts.until === undefined ? Number.MAX_SAFE_INTEGER : parseTimeBound(opts.until, now, '--until');
    let since = opts.since === undefined ? 0 : parseTimeBound(opts.since, now, '--since');
    // --days: the last days of the log (a sandbox run's decisions are on its simulated dates)
    if (days !== undefined) since = (await newestChoice(runtime, workflow, until)) - days * DAY;
    const engagementWindowDays = engagementDays(runtime, workflow, engagement);
    const fallback = settings.length ? await runModelsFallback() : undefined;
    const replayed = settings.map((s) => replaySettingsCandidate(runtime, workflow, s, fallback));
    const report = await evaluateOffPolicy(runtime.store, { workflow, since, until, engagementWindowDays, candidates: [...candidates, ...replayed], resamples, seed });
    if (opts.json) outJson(report);
    else out(renderEvaluation(report));
    return 0;
  });
}

/**
 * The channel model to replay when the config enables none: the local models, as `revloop run`
 * decides with them (a run's store is often read from a folder whose config has no models).
 */
async function runModelsFallback(): Promise<ReplayFallback> {
  const { default: localModels, localModelsConfigSchema } = await import('@revloop/plugin-local-models');
  const capability = localModels.capabilities.find((c) => c.capability === 'predict' && c.task === 'channel-time')!;
  return { name: `${localModels.name} (as \`revloop run\` decides; the config enables no channel model)`, capability, config: localModelsConfigSchema.parse({}) };
}

/**
 * The workflow to read: --workflow, else the only one that logged channel choices (a `revloop run`
 * store holds the run's workflow, which the config beside it may not name).
 */
async function workflowOf(runtime: Runtime, name: string | undefined): Promise<string> {
  const configured = Object.keys(runtime.loaded.config.workflows);
  const logged = (await runtime.store.db.selectFrom('decisions').select('workflow').distinct().where('capability', '=', 'predict/channel-time').execute()).map((r) => r.workflow);
  const known = [...new Set([...logged, ...configured])];
  if (name !== undefined) {
    if (known.includes(name)) return name;
    throw new RevloopError('UNKNOWN_WORKFLOW', `no workflow named "${name}" in the config or the decision log`, { where: '--workflow', fix: known.length ? `pass one of: ${known.join(', ')}` : 'run a workflow first (revloop run, revloop serve): there are no decisions to evaluate', kind: 'bad_input' });
  }
  if (logged.length === 1) return logged[0]!;
  if (!logged.length && configured.length === 1) return configured[0]!;
  throw new RevloopError('BAD_ARGUMENT', known.length ? `${known.length} workflows (${known.join(', ')}): say which to evaluate` : 'no workflow logged a channel choice: there are no decisions to evaluate', { where: '--workflow', fix: known.length ? `pass --workflow ${known[0]}` : 'run a workflow first (revloop run, revloop serve)', kind: 'bad_input' });
}

/** the workflow's engagement window: --engagement-days, else the config's, else the closed-loop run's (1 day) */
function engagementDays(runtime: Runtime, workflow: string, option: number | undefined): number {
  return option ?? runtime.loaded.config.workflows[workflow]?.engagementWindowDays ?? 1;
}

async function newestChoice(runtime: Runtime, workflow: string, until: number): Promise<number> {
  const row = await runtime.store.db.selectFrom('decisions').select((eb) => eb.fn.max<number>('created_at').as('at')).where('workflow', '=', workflow).where('capability', '=', 'predict/channel-time').where('created_at', '<', until).executeTakeFirst();
  return row?.at === null || row?.at === undefined ? runtime.clock.now() : Number(row.at) + 1;
}

const pct = (x: number): string => (Number.isFinite(x) ? `${(x * 100).toFixed(1)}%` : '-');
const span = (i: { estimate: number; low: number; high: number }): string => `${pct(i.estimate)} [${pct(i.low)}, ${pct(i.high)}]`;
const signed = (x: number): string => (Number.isFinite(x) ? `${x >= 0 ? '+' : ''}${(x * 100).toFixed(1)}` : '-');

export function renderEvaluation(r: OffPolicyReport): string {
  const w = r.window;
  const lines = [
    `workflow ${r.workflow}: answer rate of channel policies, estimated from ${r.decisions} logged decisions (${r.accounts} accounts)`,
    `decisions made ${r.since > 0 ? `from ${time(r.since)}` : 'from the first logged'} ${r.until < Number.MAX_SAFE_INTEGER ? `to ${time(r.until)}` : 'to the last'}; answers known up to ${time(w.dataEnd)}`,
    `logged answer rate ${pct(r.loggedAnswerRate)}; intervals: 95%, bootstrap over accounts (${r.resamples} resamples)`,
    '',
    table(r.candidates, [
      { header: 'candidate', value: (c) => c.name },
      { header: 'IPS [95%]', value: (c) => span(c.ips) },
      { header: 'DR [95%]', value: (c) => span(c.dr) },
      { header: 'DR − logged (pts)', value: (c) => (c.name === 'logged' ? '-' : `${signed(c.difference.estimate)} [${signed(c.difference.low)}, ${signed(c.difference.high)}]`) },
      { header: 'decisions', value: (c) => c.decisions, align: 'right' },
      { header: 'matching', value: (c) => Math.round(c.matches), align: 'right' },
      { header: 'eff. n', value: (c) => Math.round(c.effectiveSampleSize), align: 'right' },
      { header: 'policy', value: (c) => c.description },
    ]),
    '',
    verdict(r.candidates),
  ];
  const left = [w.withoutPropensity ? `${w.withoutPropensity} without a propensity` : '', w.notExecuted ? `${w.notExecuted} not executed` : '', w.awaitingAnswer ? `${w.awaitingAnswer} whose answer window is still open` : ''].filter(Boolean);
  if (left.length) lines.push(`left out of ${w.channelChoices} channel choices: ${left.join(', ')}`);
  lines.push('what the numbers mean: docs/off-policy.md');
  return lines.join('\n');
}

function verdict(results: CandidateResult[]): string {
  const others = results.filter((c) => c.name !== 'logged');
  const better = others.filter((c) => c.distinguishable && c.difference.estimate > 0).map((c) => c.name);
  const worse = others.filter((c) => c.distinguishable && c.difference.estimate < 0).map((c) => c.name);
  const unclear = others.filter((c) => !c.distinguishable).map((c) => c.name);
  const lines: string[] = [];
  if (better.length) lines.push(`better than the logged policy (interval above 0): ${better.join(', ')}`);
  const optimistic = others.filter((c) => c.optimistic).map((c) => c.name);
  if (optimistic.length) lines.push(`  (${optimistic.join(', ')}: scored on the answers it learned from, so it leans high — confirm on a later window)`);
  if (worse.length) lines.push(`worse than the logged policy (interval below 0): ${worse.join(', ')}`);
  if (unclear.length) lines.push(`not distinguishable from the logged policy (interval spans 0): ${unclear.join(', ')}`);
  return lines.join('\n');
}
