// The `revloop` command line: commander wiring, exit codes and error printing.
//   0 ok · 1 failure (a check or sync failed, interrupted) · 2 bad input (config, arguments)
import { Command, CommanderError, Option } from 'commander';
import type { GlobalOptions } from './context.js';
import { unknownCommandError } from './unknown-command.js';

// commands (and @revloop/core behind them) load on use: --help and usage errors answer at once
const context = () => import('./context.js');
const output = () => import('./output.js');

export const VERSION = '0.1.0';

const examples = (lines: string[]) => `\nExamples:\n${lines.map((l) => `  $ ${l}`).join('\n')}\n`;

/** `revloop run` applies the config's approval policies when a config is there (none: the run's default) */
async function configApprovals(opts: GlobalOptions): Promise<Record<string, unknown> | undefined> {
  const { findConfigFile } = await import('@revloop/core');
  if (!opts.config && !findConfigFile(process.cwd())) return undefined;
  const { loadCliConfig } = await context();
  const cwd = process.cwd();
  try {
    return (await loadCliConfig(opts)).config.approvals;
  } finally {
    process.chdir(cwd); // the run's paths (--out, --store) stay relative to where it was started
  }
}

export function buildProgram(setExit: (code: number) => void): Command {
  const program = new Command('revloop')
    .description('revloop: a closed-loop marketing AI hub (signals → decisions → execution → outcomes → learning)')
    .version(VERSION)
    .option('-c, --config <file>', 'config file (default: revloop.config.{ts,mts,js,mjs,yaml,yml,json} in the current folder)')
    .option('--json', 'print one JSON document on stdout (for scripts)')
    .option('--store <file>', 'a SQLite store to use instead of the config\'s (e.g. the one a `revloop run` kept)')
    .option('-v, --verbose', 'show log lines down to debug on stderr (default: warnings and errors only)')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride()
    .addHelpText('after', `${examples(['revloop quickstart', 'revloop init && revloop check', 'revloop sync sample contacts --reset', 'revloop status --json', 'revloop serve --port 8787'])}\nExit codes: 0 ok, 1 failure (a check or sync failed, interrupted), 2 bad input (config, arguments).\n`);

  const run = (fn: (opts: GlobalOptions & Record<string, unknown>, cmd: Command) => Promise<number>) =>
    async (...args: unknown[]) => {
      const cmd = args[args.length - 1] as Command;
      const opts = cmd.optsWithGlobals() as GlobalOptions & Record<string, unknown>;
      try {
        setExit(await fn(opts, cmd));
      } catch (e) {
        const [{ state }, { err, errorReport, outJson }] = await Promise.all([context(), output()]);
        const r = errorReport(e, state.configFile);
        if (opts.json) outJson(r.json);
        else err(r.text);
        setExit(r.code);
      }
    };

  program
    .command('init')
    .description('write a starter revloop.config.ts (and the sample data it reads) into the current folder')
    .option('-f, --force', 'overwrite an existing config')
    .addOption(new Option('--format <format>', 'config file format').choices(['ts', 'yaml']).default('ts'))
    .addHelpText('after', examples(['revloop init', 'revloop init --format yaml', 'revloop init --force']))
    .action(run(async (opts) => {
      const [{ initProject }, { out, outJson }, { pathHint, revloopInvocation }] = await Promise.all([import('./commands/init.js'), output(), import('./invocation.js')]);
      const r = initProject(process.cwd(), { force: opts.force as boolean, format: opts.format as string });
      const revloop = revloopInvocation();
      const hint = pathHint(revloop);
      if (opts.json) outJson(r);
      else out(`wrote ${r.written.join('\n      ')}${r.kept.length ? `\nkept  ${r.kept.join('\n      ')}` : ''}\nnext: ${revloop} check && ${revloop} sync${hint ? `\n${hint}` : ''}`);
      return 0;
    }));

  program
    .command('check')
    .description('validate the config, then run every enabled connector\'s check (creates no database: without one, the checks run on a temporary store)')
    .option('--live', 'also confirm with read-only vendor calls what would fail: API versions, scopes, allow-lists, limits (docs/going-live.md)')
    .addHelpText('after', `${examples(['revloop check', 'revloop check --live', 'revloop check --config ./prod/revloop.config.ts --json'])}\nExit: 0 all checks ok, 1 a check failed, 2 the config is invalid.\n`)
    .action(run(async (opts) => (await import('./commands/check.js')).checkCommand(opts)));

  program
    .command('migrate')
    .description('create or upgrade the database (store migrations); prints the ones applied')
    .addHelpText('after', examples(['revloop migrate', 'revloop migrate --json']))
    .action(run(async (opts) => (await import('./commands/migrate.js')).migrateCommand(opts)));

  program
    .command('sync')
    .description('sync enabled connectors (or one connector / one stream) into the unified model')
    .argument('[connector]', 'connector name from the config (default: every enabled one)')
    .argument('[stream]', 'one stream of that connector (default: all its streams)')
    .option('--full', 'full refresh: read everything, ignoring the checkpoint (which is then overwritten)')
    .option('--reset', 'clear the checkpoint(s) first, so that the next read starts from the beginning')
    .option('--no-progress', 'no progress bar on stderr')
    .addHelpText('after', `${examples(['revloop sync', 'revloop sync sample', 'revloop sync sample contacts --reset', 'revloop sync --full --json'])}\nCtrl-C or SIGTERM stops after the current batch; its checkpoint is kept and the next sync resumes.\nExit: 0 every stream succeeded, 1 a stream failed or the sync was interrupted, 2 bad input.\n`)
    .action(run(async (opts, cmd) => (await import('./commands/sync.js')).syncCommand(cmd.args[0], cmd.args[1], opts)));

  program
    .command('status')
    .description('last sync runs, checkpoints and row counts of the unified model')
    .option('--limit <n>', 'how many runs to show', '20')
    .addHelpText('after', examples(['revloop status', 'revloop status --json', 'revloop status --limit 5']))
    .action(run(async (opts) => (await import('./commands/status.js')).statusCommand(opts)));

  program
    .command('serve')
    .description('long-running: migrations, cron schedules from the config, /healthz and webhook endpoints')
    .option('-p, --port <port>', 'port (default: server.port of the config, 8787; 0 picks a free one)')
    .option('--host <host>', 'interface to listen on (default: server.host of the config, 127.0.0.1)')
    .addHelpText('after', `${examples(['revloop serve', 'revloop serve --port 0', 'revloop serve --host 0.0.0.0 --port 8080'])}\nPrints "revloop serving on http://HOST:PORT". SIGTERM/SIGINT stop it cleanly (exit 0).\n`)
    .action(run(async (opts) => (await import('./commands/serve.js')).serveCommand(opts)));

  program
    .command('quickstart')
    .description('the main job: a starter config if there is none, migrate, check, sync everything, then the closed loop (`revloop run`) on the config\'s sandbox market (sandbox.seed) with a report of its own (reports/quickstart-<time>-seed<seed>.html)')
    .option('--days <n>', 'simulated days of the closed loop (default: the scenario\'s, 90)')
    .option('--no-progress', 'no progress bar on stderr')
    .addHelpText('after', examples(['revloop quickstart', 'revloop quickstart --days 30', 'pnpm start            # the same, from a clone of the repository']))
    .action(run(async (opts) => (await import('./commands/quickstart.js')).quickstartCommand(opts)));

  program
    .command('run')
    .description('the closed loop on the sandbox market over simulated days, against the rules baseline and the oracle; writes an HTML report')
    .option('--days <n>', 'simulated days (default: the scenario\'s length)')
    .option('--seed <n>', 'market seed (default: the scenario\'s)')
    .option('--scenario <spec>', 'a scenario JSON file, or gen:<seed> for a generated market (default: the sandbox\'s)')
    .option('--actions-per-day <n>', 'executions per day (the same action budget for every policy)', '10')
    .option('--out <file>', 'HTML report path (default: reports/run-seed<seed>.html)')
    .option('--via <path>', 'connectors: the market through the HubSpot, Salesforce, LinkedIn Ads and Google Ads connectors and their emulators; direct: in-process, no vendor APIs (benchmarks)', 'connectors')
    .option('--no-progress', 'no progress bar on stderr')
    .addHelpText('after', `${examples(['revloop run', 'revloop run --days 30 --seed 7 --json', 'revloop run --via direct --days 90', 'revloop run --out reports/today.html', 'revloop --store .revloop/run-seed7.db decisions list'])}\nThe run keeps its database (emptied first) in --store, default .revloop/run-seed<seed>.db: status, decisions and\napprovals read it with --store. Approval policies come from the config when there is one (approvals.policies),\nelse decisions about the scenario's regulated industries wait for a person (the simulated reviewer approves them the next day).\n`)
    .action(run(async (opts) => {
      const [{ runCommand, loadRunScenario, runDays }, { wholeNumberOption, MAX_SEED }] = await Promise.all([import('./run/run-command.js'), import('./arguments.js')]);
      const seed = wholeNumberOption('--seed', opts.seed, { min: 0, max: MAX_SEED, example: 7 });
      const actionsPerDay = wholeNumberOption('--actions-per-day', opts.actionsPerDay, { min: 0, example: 10 });
      // --days: from 1 to the scenario's length (the message says both)
      const days = opts.days === undefined ? undefined : runDays(loadRunScenario(opts.scenario as string | undefined, seed, undefined), opts.days as string);
      await runCommand({
        days,
        seed,
        scenario: opts.scenario as string | undefined,
        actionsPerDay,
        out: opts.out as string | undefined,
        store: opts.store as string | undefined,
        approvals: await configApprovals(opts),
        via: (await import('./run/run-command.js')).parseVia(opts.via),
        json: opts.json,
        progress: opts.progress as boolean,
      });
      return 0;
    }));

  const approvals = program
    .command('approvals')
    .description('decisions that wait for a person (approval policies): list, show, approve, reject')
    .addHelpText('after', examples(['revloop approvals list --state pending', 'revloop approvals show apr_abc', 'revloop approvals approve apr_abc --by "dana@acme" --reason "copy reviewed"']));
  approvals
    .command('list')
    .description('approvals, oldest first (pending ones past their time become expired)')
    .option('--state <state>', 'pending, approved, rejected or expired')
    .action(run(async (opts) => (await import('./commands/approvals.js')).approvalsListCommand(opts)));
  approvals
    .command('show')
    .description('one approval as the person decides it: the message (subject, body), channel, send time, recipient and vendor ids, the connector action and its input, and the class and policy that hold it')
    .argument('<id>')
    .action(run(async (opts, cmd) => (await import('./commands/approvals.js')).approvalsShowCommand(cmd.args[0]!, opts)));
  for (const verdict of ['approve', 'reject'] as const) {
    approvals
      .command(verdict)
      .description(verdict === 'approve' ? 'approve: the decision executes now; prints its result (exit 1 when the execution fails)' : 'reject: the decision never executes')
      .argument('<id>')
      .requiredOption('--by <name>', 'who decides (recorded)')
      .requiredOption('--reason <text>', 'why (recorded)')
      .addHelpText('after', `${examples([`revloop approvals ${verdict} apr_abc --by "dana@acme" --reason "${verdict === 'approve' ? 'copy reviewed' : 'claims not cleared by legal'}"`])}\nExit: 0 decided${verdict === 'approve' ? ' and executed' : ''}, ${verdict === 'approve' ? "1 approved but the execution failed (the error is printed; --json has it under execution), " : ''}2 bad input (unknown id, not pending, no --by).\n`)
      .action(run(async (opts, cmd) => (await import('./commands/approvals.js')).approvalsDecideCommand(cmd.args[0]!, verdict, opts)));
  }

  const decisions = program
    .command('decisions')
    .description('the decision log: one line per account decision, or everything about one (inputs, steps, models, approval, execution, outcomes)')
    .addHelpText('after', examples(['revloop decisions list --status executed --since 7d', 'revloop decisions list --account acct_hubspot_123 --json', 'revloop decisions show dec_0lq2m3abcXyZ12345678']));
  decisions
    .command('list')
    .description('account decisions, newest first: time, workflow, account, status, channel/action, class, approval, cost over its steps, outcome')
    .option('--account <id>', 'one account (its resolved id, as the list shows it)')
    .option('--workflow <name>', 'one workflow of the config')
    .option('--status <status>', 'executed, failed, pending_approval, rejected, expired, deferred, interrupted, no_action, dropped or skipped')
    .option('--since <when>', 'decided at or after: an ISO date (2024-05-01, 2024-05-01T09:00:00Z) or a duration back from now (30m, 24h, 7d, 2w)')
    .option('--until <when>', 'decided before: an ISO date, or a duration back from now')
    .option('--limit <n>', 'how many decisions to show', '50')
    .addHelpText('after', `${examples(['revloop decisions list', 'revloop decisions list --status failed --since 24h', 'revloop decisions list --account acct_hubspot_123 --workflow default --limit 10', 'revloop decisions list --since 2024-05-01 --until 2024-05-08 --json'])}\nExit: 0 ok, 2 bad input (an unknown --status, a --since or --until that is no date or duration, a bad --limit).\n`)
    .action(run(async (opts) => (await import('./commands/decisions.js')).decisionsListCommand(opts)));
  decisions
    .command('show')
    .description('one decision: its inputs (features), every step with model, version, output, cost and latency, the approval, the planned and executed action per system, the outcomes joined to it')
    .argument('<id>', 'the decision id from `revloop decisions list` (with or without a :step suffix)')
    .addHelpText('after', `${examples(['revloop decisions show dec_0lq2m3abcXyZ12345678', 'revloop decisions show dec_0lq2m3abcXyZ12345678:execute --json'])}\nExit: 0 ok, 2 no decision has that id.\n`)
    .action(run(async (opts, cmd) => (await import('./commands/decisions.js')).decisionsShowCommand(cmd.args[0]!, opts)));

  const models = program
    .command('models')
    .description('the models behind the decisions: evaluate other channel policies on the logged decisions (off-policy)');
  models
    .command('evaluate')
    .description('estimate what other channel policies would have earned on a logged window: answer rate by inverse propensity (IPS) and doubly robust (DR) estimates, each with a 95% interval, and which differ from the logged policy')
    .option('--workflow <name>', 'the workflow whose decisions to read (default: the only one)')
    .option('--since <when>', 'decisions made from (ISO date or duration back from now: 30d)')
    .option('--until <when>', 'decisions made before (ISO date or duration)')
    .option('--days <n>', 'the last n days of the log (instead of --since)')
    .option('--candidates <list>', 'comma-separated: logged, email, linkedin, google, sales_task, rules, greedy, final-greedy (default: all)')
    .option('--resamples <n>', 'bootstrap resamples for the intervals', '400')
    .option('--seed <n>', 'seeds the bootstrap (the same log gives the same intervals)', '1')
    .option('--engagement-days <n>', 'days after a send in which an answer counts (default: the workflow\'s engagementWindowDays, else 1 as in `revloop run`)')
    .option('--settings <json>', 'a candidate that is the workflow\'s channel model with these settings (a JSON object merged into its config), replayed over the window; repeat for several', (value: string, list: string[] = []) => [...list, value])
    .addHelpText('after', `${examples(['revloop models evaluate', 'revloop models evaluate --days 30 --candidates logged,email,greedy', 'revloop --store .revloop/run-seed7.db models evaluate --workflow default --json', `revloop models evaluate --candidates logged --settings '{"priorStrength":5}' --settings '{"forgetHalfLifeDays":7}'`])}\nReads each channel choice's logged propensity; decisions logged without one cannot be weighed. What the numbers mean: docs/off-policy.md\nExit: 0 ok, 2 bad input (an unknown candidate or workflow, a bad bound, settings the channel model refuses or cannot replay, a window without propensities or with too few decisions).\n`)
    .action(run(async (opts) => (await import('./commands/models.js')).modelsEvaluateCommand(opts)));

  const identity = program
    .command('identity')
    .description('one customer, one record: what identity resolution made of every connector\'s accounts and contacts, its merges and splits, and the merges held for a person')
    .addHelpText('after', examples(['revloop identity status', 'revloop identity status --resolve', 'revloop identity held', 'revloop identity approve held:account:acct_a:acct_b', 'revloop identity undo merge:account:acct_hubspot_1:1767225600000']));
  identity
    .command('status')
    .description('rows per connector → resolved accounts and contacts, and how many are known to more than one connector')
    .option('--resolve', 'resolve what changed since the last resolution first')
    .option('--full', 'resolve every row again (after changing the identity rules in the config)')
    .addHelpText('after', `${examples(['revloop identity status', 'revloop identity status --full --json'])}\nExit: 0 ok.\n`)
    .action(run(async (opts) => (await import('./commands/identity.js')).identityStatusCommand(opts)));
  identity
    .command('events')
    .description('merges, splits and held merges, newest first, with the rows they moved')
    .option('--kind <kind>', 'merge, split or held')
    .option('--limit <n>', 'how many to show', '50')
    .addHelpText('after', `${examples(['revloop identity events', 'revloop identity events --kind split --json'])}\nExit: 0 ok, 2 bad input (an unknown --kind, a bad --limit).\n`)
    .action(run(async (opts) => (await import('./commands/identity.js')).identityEventsCommand(opts)));
  identity
    .command('held')
    .description('merges waiting for a person: accounts that each hold different open opportunities in different CRMs')
    .option('--limit <n>', 'how many to show', '50')
    .action(run(async (opts) => (await import('./commands/identity.js')).identityEventsCommand(opts, true)));
  for (const [action, what] of [['approve', 'apply a held merge: the accounts are one customer from now on'], ['reject', 'keep the accounts of a held merge apart from now on'], ['undo', 'undo a merge or a split; the rules will not redo it']] as const) {
    identity
      .command(action)
      .description(what)
      .argument('<event-id>', 'the id from `revloop identity held` or `revloop identity events`')
      .option('--by <name>', 'who decided (default: $USER)')
      .addHelpText('after', 'Exit: 0 ok, 2 no such event, or not one this can apply to.\n')
      .action(run(async (opts, cmd) => (await import('./commands/identity.js')).identityDecideCommand(action, cmd.args[0]!, opts)));
  }

  program
    .command('sandbox')
    .description('start the vendor emulators (HubSpot, Salesforce, LinkedIn, Google Ads, OpenAI) on 127.0.0.1 and print their URLs until Ctrl-C')
    .option('--scenario <spec>', 'a scenario JSON file, or gen:<seed> for a generated market (default: the config\'s sandbox.scenario, else the sandbox\'s)')
    .option('--seed <n>', 'market seed (default: the config\'s sandbox.seed, else the scenario\'s)')
    .option('--days <n>', 'simulated days to run before serving (default: 1)')
    .option('--live', 'a market that moves while serving: one simulated day every --day-seconds, timestamps on the wall clock')
    .option('--day-seconds <s>', 'with --live: wall-clock seconds per simulated day (default: 30)')
    .option('--warmup-days <n>', 'with --live: simulated days of history, ending now (default: 14)')
    .option('--port-base <n>', 'fixed ports: hubspot N, salesforce N+1, linkedin N+2, google ads N+3, openai N+4 (default: any free ports)')
    .option('--refs-file <path>', 'write the JSON document (refs, connectors, time scale) to this file once serving')
    .option('--config-out <path>', 'write a YAML revloop config with the connectors pointed at these emulators')
    .addHelpText('after', `${examples(['revloop sandbox', 'revloop sandbox --seed 7 --days 30 --json', 'revloop sandbox --live --day-seconds 20 --config-out sandbox.yaml', 'revloop sandbox --live --port-base 47100 --refs-file .revloop/sandbox.json --json'])}\nStops on Ctrl-C or SIGTERM (exit 0). Live mode: packages/sandbox/docs/live.md\n`)
    .action(run(async (opts) => (await import('./commands/sandbox.js')).sandboxCommand(opts)));

  program
    .command('new')
    .description('scaffold a new plugin package')
    .command('connector <name>')
    .description('write connectors/<name>: a REST connector on the plugin kit (secret API key, cursor paging, rate limit) with a conformance test that passes as generated')
    .option('--dir <folder>', 'the workspace to write into (default: the pnpm workspace above the current folder)')
    .addHelpText('after', examples(['revloop new connector acme-crm', 'revloop new connector acme-crm --dir ./my-workspace']))
    .action(run(async (opts, cmd) => {
      const [{ newConnector }, { out, outJson }] = await Promise.all([import('./commands/new-connector.js'), output()]);
      const r = newConnector(cmd.args[0]!, { root: opts.dir as string | undefined });
      if (opts.json) outJson(r);
      else out(`wrote ${r.dir}\n  ${r.files.map((f) => f.slice(r.dir.length + 1)).join('\n  ')}\nnext:\n  ${r.next.join('\n  ')}`);
      return 0;
    }));

  return program;
}

/** Parse and run; resolves to the exit code. */
export async function main(argv: string[]): Promise<number> {
  let code = 0;
  const program = buildProgram((c) => (code = c));
  // `revloop costs --help` would print the main help and exit 0: an unknown command is bad input
  const unknown = await unknownCommandError(program, argv.slice(2));
  if (unknown) {
    process.stderr.write(`${unknown}\n`);
    return 2;
  }
  try {
    await program.parseAsync(argv);
  } catch (e) {
    if (e instanceof CommanderError) {
      // help and version exit 0; every usage error (unknown command/option, missing argument) is bad input
      return e.exitCode === 0 || e.code === 'commander.helpDisplayed' || e.code === 'commander.version' ? 0 : 2;
    }
    const [{ state }, { err, errorReport }] = await Promise.all([context(), output()]);
    const r = errorReport(e, state.configFile);
    err(r.text);
    return r.code;
  }
  return code;
}
