// `revloop quickstart`: the main job for a first run. Writes the starter config when the folder
// has none, then migrates, checks every connector and syncs everything, then runs the closed loop
// on the config's sandbox market (sandbox.seed / sandbox.scenario) with a report of its own per run.
import { checkConnectors, findConfigFile, statusReport } from '@revloop/core';
import { loadCliConfig, openRuntime, withInterrupts, type GlobalOptions } from '../context.js';
import { err, out, outJson } from '../output.js';
import { initProject } from './init.js';
import { loadRunScenario, runCommand, runDays } from '../run/run-command.js';
import { renderSummaryText } from '../run/summary-text.js';
import { renderChecks } from './check.js';
import { storeLabel } from './migrate.js';
import { renderSync, runSync, type SyncReport } from './sync.js';
import { pathHint, revloopInvocation } from '../invocation.js';
import { timestampedReportPath } from '../report-name.js';
import { scenarioFromSpec } from '../sandbox-refs.js';
import { quickstartPhases } from '../quickstart-phases.js';

export async function quickstartCommand(opts: GlobalOptions): Promise<number> {
  const startedAt = new Date(); // names this run's report (wall clock: a file name, not logic)
  const cwd = process.cwd();
  const requestedDays = (opts as { days?: string }).days;
  // bad input exits 2 before anything is written (the run itself comes after init, migrate and sync)
  runDays(loadRunScenario(undefined, undefined, undefined), requestedDays);
  let created: string | undefined;
  if (!opts.config && !findConfigFile(cwd)) {
    const init = initProject(cwd, {});
    created = init.config;
    if (!opts.json) err(`wrote ${init.written.join(', ')}`);
  }
  const loaded = await loadCliConfig(opts);
  // the market of the config's sandbox section (seed, scenario), as `revloop sandbox` and the $sandbox references use
  const market = { seed: loaded.config.sandbox?.seed, scenario: loaded.config.sandbox?.scenario };
  const scenario = market.scenario === undefined ? loadRunScenario(undefined, market.seed, undefined) : { ...scenarioFromSpec(market.scenario, 'sandbox.scenario'), ...(market.seed === undefined ? {} : { seed: market.seed }) };
  const days = runDays(scenario, requestedDays);
  // beside the config, as the run's store (loadCliConfig changed into the config's folder)
  const reportPath = timestampedReportPath(process.cwd(), startedAt, scenario.seed);
  // each phase on stderr as it starts and ends (none with --json: its document has the timings)
  const phases = quickstartPhases(opts.json ? undefined : err);
  return withInterrupts(async (signal, interrupted) => {
    phases.start('emulators', loaded.config.sandbox?.enabled === false ? 'opening the store' : undefined);
    const runtime = await openRuntime(loaded, signal, { owner: 'quickstart' });
    phases.end('emulators');
    try {
      phases.start('check');
      const { applied } = await runtime.store.migrate();
      const checks = await checkConnectors(runtime);
      const checksOk = checks.every((c) => c.ok);
      phases.end('check', `${checks.filter((c) => c.ok).length} of ${checks.length} connectors ok`);
      // a failed check stops here: syncing a connector that cannot reach its source only fails again
      if (checksOk) phases.start('sync');
      const sync = checksOk
        ? await runSync(runtime, {}, opts, interrupted, {
            beforeIdentity: () => {
              phases.end('sync');
              phases.start('identity');
            },
          })
        : undefined;
      phases.end('sync', sync ? syncedRows(sync) : undefined); // no identity step: the sync ends here
      phases.end('identity', sync?.identity ? `${sync.identity.accounts.entities} accounts, ${sync.identity.contacts.entities} contacts` : undefined);
      const status = await statusReport(runtime.store, 5);
      const synced = checksOk && !!sync?.ok;
      // the main job: the closed loop over the simulated market, with its report
      if (synced) phases.start('run', `running the closed loop on the sandbox market (${days} simulated days, its own emulators and store)`);
      const run = synced
        ? await runCommand({
            json: opts.json,
            progress: (opts as { progress?: boolean }).progress,
            days,
            seed: market.seed,
            scenario: market.scenario,
            out: reportPath,
            silent: true,
            onReport: () => {
              phases.end('run');
              phases.start('report');
            },
          })
        : undefined;
      phases.end('report', run ? run.htmlPath : undefined);
      const ok = synced && !!run;
      if (opts.json) {
        outJson({ ok, config: loaded.file, created: created ?? null, store: storeLabel(loaded.config.store), migrations: applied, checks, sync: sync ?? null, rows: status.rows, run: run ? { ...run.report, daily: undefined, report_path: run.htmlPath } : null, phases_ms: roundedTimings(phases.timings()) });
      } else {
        const lines = [
          created ? `revloop quickstart: wrote a starter config ${created}` : `revloop quickstart with ${loaded.file}`,
          `store: ${storeLabel(loaded.config.store)} (${applied.length ? `${applied.length} migration${applied.length === 1 ? '' : 's'} applied` : 'up to date'})`,
          '',
          renderChecks(loaded.file, checks),
        ];
        if (sync) lines.push('', renderSync(sync));
        const counted = Object.entries(status.rows).filter(([, n]) => n > 0);
        lines.push('', `unified model: ${counted.map(([t, n]) => `${n} ${t}`).join(', ') || 'empty'}`);
        if (run) lines.push('', renderSummaryText(run.report, run.htmlPath));
        lines.push('', phases.summary());
        const revloop = revloopInvocation();
        lines.push('', ok ? 'next steps:' : `fix the failures above, then run \`${revloop} quickstart\` again. Other commands:`);
        const steps: [string, string][] = [
          ['status', 'last runs, checkpoints, row counts'],
          ['sync', 'incremental sync (reads only what changed)'],
          ['serve', 'schedules + /healthz + webhooks (edit `schedules` in the config)'],
          [`run --seed ${scenario.seed + 1}`, 'the closed loop again, on another market'],
        ];
        const width = Math.max(...steps.map(([c]) => `${revloop} ${c}`.length)) + 2;
        lines.push(...steps.map(([c, what]) => `  ${`${revloop} ${c}`.padEnd(width)} ${what}`), `  edit ${loaded.file} to add connectors, budgets and approval policies`);
        const hint = pathHint(revloop);
        if (hint) lines.push(`  ${hint}`);
        out(lines.join('\n'));
      }
      return ok ? 0 : 1;
    } finally {
      await runtime.close();
    }
  });
}

/** what a sync wrote, in one phrase */
function syncedRows(sync: SyncReport): string {
  const written = sync.streams.reduce((n, s) => n + s.written, 0);
  return `${sync.streams.length} streams, ${written.toLocaleString('en-US')} rows written`;
}

function roundedTimings(timings: Record<string, number | undefined>): Record<string, number> {
  return Object.fromEntries(Object.entries(timings).map(([phase, ms]) => [phase, Math.round(ms ?? 0)]));
}
