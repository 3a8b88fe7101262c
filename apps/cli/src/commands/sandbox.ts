// `revloop sandbox`: the vendor emulators on 127.0.0.1, fed by the simulated market, until stopped.
import { startSandbox } from '@revloop/sandbox';
import { RevloopError } from '@revloop/core';
import { out, outJson } from '../output.js';
import type { GlobalOptions } from '../context.js';

export async function sandboxCommand(opts: GlobalOptions & { scenario?: string; seed?: string; days?: string }): Promise<number> {
  const days = opts.days === undefined ? 1 : Number(opts.days);
  if (!Number.isInteger(days) || days < 1) throw new RevloopError('BAD_ARGUMENT', `--days must be a whole number of at least 1, not "${opts.days}"`, { where: '--days', fix: 'pass --days 1', kind: 'bad_input' });
  const sandbox = await startSandbox({ scenario: opts.scenario, seed: opts.seed === undefined ? undefined : Number(opts.seed) });
  for (let d = 0; d < days; d++) sandbox.advanceDay();
  if (opts.json) outJson({ day: sandbox.market.day, accounts: sandbox.scenario.accounts.count, refs: sandbox.refs });
  else {
    out(`sandbox market: ${sandbox.scenario.accounts.count} accounts, simulated day ${sandbox.market.day} (seed ${sandbox.scenario.seed})`);
    for (const [k, v] of Object.entries(sandbox.refs)) out(`  ${k.padEnd(26)} ${v}`);
    out('Ctrl-C to stop');
  }
  await new Promise<void>((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
  await sandbox.stop();
  return 0;
}
