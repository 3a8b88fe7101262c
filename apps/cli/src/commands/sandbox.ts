// `revloop sandbox`: the vendor emulators on 127.0.0.1, fed by the simulated market, until stopped.
// Frozen (default): the market runs --days days, then holds still. --live: the market starts
// --warmup-days simulated days ago and moves on with the wall clock, one simulated day every
// --day-seconds, so that a separate `revloop serve` sees it move (packages/sandbox/docs/live.md).
// --port-base / --refs-file / --config-out let that other process find the emulators. The market's
// seed and scenario: --seed / --scenario, else the config's sandbox section.
import { hubspotPersonaNames, LIVE_DEFAULTS, MAX_WARMUP_DAYS, MIN_MS_PER_DAY, DAY_MS, serveConfigYaml, serveConnectorsFor, startSandbox, type Sandbox, type VendorName } from '@revloop/sandbox';
import { RevloopError } from '@revloop/core';
import { err, out, outJson, time } from '../output.js';
import type { GlobalOptions } from '../context.js';
import { scenarioFromSpec } from '../sandbox-refs.js';
import { MAX_SEED, wholeNumberOption } from '../arguments.js';
import { configMarket } from '../config-market.js';
import { writePrivateFile } from '../private-file.js';

export interface SandboxCommandOptions extends GlobalOptions {
  scenario?: string;
  seed?: string;
  days?: string;
  live?: boolean;
  daySeconds?: string;
  warmupDays?: string;
  portBase?: string;
  refsFile?: string;
  configOut?: string;
}

/** --port-base N: each emulator's port, in this order from N */
const PORT_ORDER: VendorName[] = ['hubspot', 'salesforce', 'linkedin', 'googleAds', 'openai'];

function bad(flag: string, message: string, fix: string): RevloopError {
  return new RevloopError('BAD_ARGUMENT', message, { where: flag, fix, kind: 'bad_input' });
}

function wholeNumber(flag: string, raw: string, min: number, max: number, example: string): number {
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) throw bad(flag, `${flag} must be a whole number from ${min} to ${max}, not "${raw}"`, `pass ${flag} ${example}`);
  return n;
}

interface Plan {
  days: number;
  live?: { msPerDay: number; warmupDays: number };
  ports?: Partial<Record<VendorName, number>>;
}

function planOf(opts: SandboxCommandOptions): Plan {
  if (opts.live && opts.days !== undefined) throw bad('--days', '--days runs a frozen market; a live one runs --warmup-days, then follows the wall clock', 'drop --days, or pass --warmup-days N with --live');
  if (!opts.live) {
    for (const [flag, v] of [['--day-seconds', opts.daySeconds], ['--warmup-days', opts.warmupDays]] as const) {
      if (v !== undefined) throw bad(flag, `${flag} is for a live market`, `add --live, or drop ${flag}`);
    }
  }
  const plan: Plan = { days: opts.days === undefined ? 1 : wholeNumber('--days', opts.days, 1, 100_000, '30') };
  if (opts.live) {
    const seconds = opts.daySeconds === undefined ? LIVE_DEFAULTS.msPerDay / 1000 : Number(opts.daySeconds);
    const msPerDay = Math.round(seconds * 1000);
    if (!Number.isFinite(seconds) || msPerDay < MIN_MS_PER_DAY || msPerDay > DAY_MS) {
      throw bad('--day-seconds', `--day-seconds must be a number of seconds from ${MIN_MS_PER_DAY / 1000} to ${DAY_MS / 1000}, not "${opts.daySeconds}"`, 'pass --day-seconds 30');
    }
    const warmupDays = opts.warmupDays === undefined ? LIVE_DEFAULTS.warmupDays : wholeNumber('--warmup-days', opts.warmupDays, 1, MAX_WARMUP_DAYS, '14');
    plan.live = { msPerDay, warmupDays };
  }
  if (opts.portBase !== undefined) {
    const base = wholeNumber('--port-base', opts.portBase, 1024, 65535 - PORT_ORDER.length + 1, '47100');
    plan.ports = Object.fromEntries(PORT_ORDER.map((v, k) => [v, base + k]));
  }
  return plan;
}

/** the document --json prints and --refs-file holds */
function documentOf(sandbox: Sandbox): Record<string, unknown> {
  const live = sandbox.live;
  const msPerDay = live?.msPerDay ?? sandbox.market.clock.msPerDay;
  return {
    live: !!live,
    day: sandbox.market.day,
    accounts: sandbox.scenario.accounts.count,
    seed: sandbox.scenario.seed,
    msPerDay,
    ...(live ? { warmupDays: live.warmupDays, startMs: live.startMs, startedAt: live.startedAt } : { startMs: sandbox.market.clock.startMs }),
    refs: sandbox.refs,
    connectors: serveConnectorsFor(sandbox.refs, msPerDay),
    personas: { hubspot: hubspotPersonaNames },
  };
}

/**
 * writes through a temporary file (a process waiting for the file never reads half of it), 0600:
 * the refs and the config hold the emulators' credentials
 */
function writeAtomically(path: string, text: string): string {
  return writePrivateFile(path, text);
}

function dayLine(sandbox: Sandbox): string {
  const s = sandbox.market.stats();
  return `sandbox day ${s.day} (${time(sandbox.market.now())}): ${s.signals} signals, ${s.opportunitiesCreated} opportunities created, ${s.closedWon} closed-won, ${s.closedLost} closed-lost`;
}

function printText(sandbox: Sandbox, yaml: string, written: string[]): void {
  const live = sandbox.live;
  out(`sandbox market${live ? ' (live)' : ''}: ${sandbox.scenario.accounts.count} accounts, simulated day ${sandbox.market.day} (seed ${sandbox.scenario.seed})`);
  if (live) out(`  time: 1 simulated day = ${live.msPerDay / 1000} s of wall time; day 0 began ${time(live.startMs)} (${live.warmupDays} warm-up days); now ${time(live.now())}`);
  for (const [k, v] of Object.entries(sandbox.refs)) out(`  ${k.padEnd(26)} ${v}`);
  out('\nconnectors for a `revloop serve` config (YAML):\n');
  out(yaml);
  for (const w of written) out(`wrote ${w}`);
  out('Ctrl-C to stop');
}

export async function sandboxCommand(opts: SandboxCommandOptions): Promise<number> {
  const plan = planOf(opts);
  // --seed / --scenario, else the config's sandbox section (as quickstart and the $sandbox references use it)
  const market = opts.seed !== undefined && opts.scenario !== undefined ? {} : await configMarket(opts);
  const seed = opts.seed === undefined ? market.seed : wholeNumberOption('--seed', opts.seed, { min: 0, max: MAX_SEED, example: 7 });
  const scenarioSpec = opts.scenario === undefined ? market.scenario && { spec: market.scenario, where: `sandbox.scenario (${market.file})` } : { spec: opts.scenario, where: '--scenario' };
  // the Google Ads emulator loads Google's protos: nothing here may probe the cloud metadata server
  process.env.METADATA_SERVER_DETECTION ??= 'none';
  // listen first: a signal during the start still ends in a clean stop
  let wake: (why: 'signal' | 'failed') => void = () => {};
  const until = new Promise<'signal' | 'failed'>((r) => (wake = r));
  const onSignal = () => wake('signal');
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  let failure: unknown;
  let sandbox: Sandbox | undefined;
  try {
    try {
      sandbox = await startSandbox({
        // a scenario file's path or gen:<seed>; a bad one exits 2 naming --scenario
        scenario: scenarioSpec ? scenarioFromSpec(scenarioSpec.spec, scenarioSpec.where) : undefined,
        seed,
        ...(plan.ports ? { ports: plan.ports } : {}),
        ...(plan.live
          ? {
              live: {
                ...plan.live,
                onDay: () => void (sandbox && err(dayLine(sandbox))),
                onError: (e: unknown) => {
                  failure = e;
                  wake('failed');
                },
              },
            }
          : {}),
      });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'EADDRINUSE' || /EADDRINUSE|No address added/.test(String((e as Error).message))) {
        throw new RevloopError('SANDBOX_PORT_IN_USE', `a port from --port-base ${opts.portBase} on is in use: ${(e as Error).message}`, { where: '--port-base', fix: `pass another --port-base (the sandbox takes ${PORT_ORDER.length} ports from it)`, kind: 'bad_input' });
      }
      throw e;
    }
    if (!plan.live) for (let d = 0; d < plan.days; d++) sandbox.advanceDay();
    const doc = documentOf(sandbox);
    const msPerDay = doc.msPerDay as number;
    const yaml = serveConfigYaml(sandbox.refs, msPerDay, [`written by revloop sandbox${plan.live ? ' --live' : ''} (seed ${sandbox.scenario.seed}); valid while it runs`]);
    const written: string[] = [];
    if (opts.refsFile) written.push(writeAtomically(opts.refsFile, `${JSON.stringify(doc, null, 2)}\n`));
    if (opts.configOut) written.push(writeAtomically(opts.configOut, yaml));
    if (opts.json) outJson(doc);
    else printText(sandbox, yaml, written);
    const why = await until;
    if (why === 'failed') throw failure;
    return 0;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await sandbox?.stop();
  }
}
