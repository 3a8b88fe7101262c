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
import { renderSync, runSync } from './sync.js';
import { pathHint, revloopInvocation } from '../invocation.js';
import { timestampedReportPath } from '../report-name.js';
import { scenarioFromSpec } from '../sandbox-refs.js';

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
  return withInterrupts(async (signal, interrupted) => {
    const runtime = await openRuntime(loaded, signal, { owner: 'quickstart' });
    try {
      const { applied } = await runtime.store.migrate();
      const checks = await checkConnectors(runtime);
      const checksOk = checks.every((c) => c.ok);
      // a failed check stops here: syncing a connector that cannot reach its source only fails again
      const sync = checksOk ? await runSync(runtime, {}, opts, interrupted) : undefined;
      const status = await statusReport(runtime.store, 5);
      const synced = checksOk && !!sync?.ok;
      // the main job: the closed loop over the simulated market, with its report
      if (synced && !opts.json) err(`\nrunning the closed loop on the sandbox market (${days} simulated days)…`);
      const run = synced ? await runCommand({ json: opts.json, progress: (opts as { progress?: boolean }).progress, days, seed: market.seed, scenario: market.scenario, out: reportPath, silent: true }) : undefined;
      const ok = synced && !!run;
      if (opts.json) {
        outJson({ ok, config: loaded.file, created: created ?? null, store: storeLabel(loaded.config.store), migrations: applied, checks, sync: sync ?? null, rows: status.rows, run: run ? { ...run.report, daily: undefined, report_path: run.htmlPath } : null });
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
