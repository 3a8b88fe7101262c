// `revloop check`: validate the config, then run every enabled connector's check.
import { checkConnectors, type ConnectorCheck } from '@revloop/core';
import { loadCliConfig, openRuntime, type GlobalOptions } from '../context.js';
import { out, outJson, table } from '../output.js';

export async function checkCommand(opts: GlobalOptions): Promise<number> {
  const loaded = await loadCliConfig(opts);
  const runtime = await openRuntime(loaded);
  let checks: ConnectorCheck[];
  try {
    // plugins may keep state (a refreshed OAuth token): the tables exist once the config is valid
    await runtime.store.migrate();
    checks = await checkConnectors(runtime);
  } finally {
    await runtime.close();
  }
  const ok = checks.every((c) => c.ok);
  if (opts.json) outJson({ ok, config: loaded.file, connectors: checks });
  else out(renderChecks(loaded.file, checks));
  return ok ? 0 : 1;
}

export function renderChecks(file: string, checks: ConnectorCheck[]): string {
  const lines = [`config ${file}: valid`];
  if (!checks.length) lines.push('no enabled connectors (add one under `connectors` in the config)');
  else lines.push(table(checks, [
    { header: 'connector', value: (c) => c.connector },
    { header: 'check', value: (c) => (c.ok ? 'ok' : 'FAILED') },
    { header: 'ms', value: (c) => Math.round(c.durationMs) },
    { header: 'message', value: (c) => c.message },
  ]));
  const failed = checks.filter((c) => !c.ok).length;
  if (failed) lines.push(`${failed} connector check${failed > 1 ? 's' : ''} failed`);
  return lines.join('\n');
}
