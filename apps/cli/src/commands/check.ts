// `revloop check`: validate the config, then run every enabled connector's check. It creates no
// database: a config whose SQLite file does not exist yet is checked on a temporary store.
import { existsSync } from 'node:fs';
import { checkConnectors, type ConnectorCheck, type LoadedConfig } from '@revloop/core';
import { loadCliConfig, openRuntime, type GlobalOptions } from '../context.js';
import { out, outJson, table } from '../output.js';

/** the SQLite file of the config when it does not exist yet: check must not create it */
function missingSqliteStore(loaded: LoadedConfig): string | undefined {
  const store = loaded.config.store;
  return store.kind === 'sqlite' && store.path !== ':memory:' && !existsSync(store.path) ? store.path : undefined;
}

export async function checkCommand(opts: GlobalOptions): Promise<number> {
  const loaded = await loadCliConfig(opts);
  // no database yet: the checks run on a temporary in-memory store (a check's plugin state, such as
  // a refreshed OAuth token, is dropped with it); an existing store keeps that state
  const missing = missingSqliteStore(loaded);
  if (missing) loaded.config.store = { kind: 'sqlite', path: ':memory:' };
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
  else out(`${renderChecks(loaded.file, checks)}${missing ? `\nstore ${missing}: not created yet (\`revloop migrate\` or \`revloop sync\` creates it)` : ''}`);
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
