// `revloop check`: validate the config, then run every enabled connector's check. It creates no
// database: a config whose SQLite file does not exist yet is checked on a temporary store.
// `--live`: also each connector's read-only live check (version, scopes, allow-lists, limits).
import { existsSync } from 'node:fs';
import { checkConnectors, liveCheckConnectors, type ConnectorCheck, type ConnectorLiveCheck, type LoadedConfig } from '@revloop/core';
import { loadCliConfig, openRuntime, type GlobalOptions } from '../context.js';
import { out, outJson, table } from '../output.js';

/** the SQLite file of the config when it does not exist yet: check must not create it */
function missingSqliteStore(loaded: LoadedConfig): string | undefined {
  const store = loaded.config.store;
  return store.kind === 'sqlite' && store.path !== ':memory:' && !existsSync(store.path) ? store.path : undefined;
}

export async function checkCommand(opts: GlobalOptions & { live?: boolean }): Promise<number> {
  const loaded = await loadCliConfig(opts);
  // no database yet: the checks run on a temporary in-memory store (a check's plugin state, such as
  // a refreshed OAuth token, is dropped with it); an existing store keeps that state
  const missing = missingSqliteStore(loaded);
  if (missing) loaded.config.store = { kind: 'sqlite', path: ':memory:' };
  const runtime = await openRuntime(loaded);
  let checks: ConnectorCheck[] | ConnectorLiveCheck[];
  try {
    // plugins may keep state (a refreshed OAuth token): the tables exist once the config is valid
    await runtime.store.migrate();
    checks = opts.live ? await liveCheckConnectors(runtime) : await checkConnectors(runtime);
  } finally {
    await runtime.close();
  }
  const ok = checks.every((c) => c.ok);
  if (opts.json) outJson({ ok, config: loaded.file, ...(opts.live ? { live: true } : {}), connectors: checks });
  else {
    const text = opts.live ? renderLiveChecks(loaded.file, checks as ConnectorLiveCheck[]) : renderChecks(loaded.file, checks);
    out(`${text}${missing ? `\nstore ${missing}: not created yet (\`revloop migrate\` or \`revloop sync\` creates it)` : ''}`);
  }
  return ok ? 0 : 1;
}

/** one row per finding: what each connector confirmed, and what would fail with its fix */
export function renderLiveChecks(file: string, checks: ConnectorLiveCheck[]): string {
  const lines = [`config ${file}: valid; live checks (read-only calls)`];
  if (!checks.length) lines.push('no enabled connectors (add one under `connectors` in the config)');
  const rows = checks.flatMap((c) => c.findings.map((f) => ({ connector: c.connector, ...f })));
  if (rows.length) {
    lines.push(table(rows, [
      { header: 'connector', value: (r) => r.connector },
      { header: 'check', value: (r) => r.what },
      { header: 'result', value: (r) => (!r.ok ? 'WOULD FAIL' : r.unknown ? 'unknown' : 'ok') },
      { header: 'detail', value: (r) => r.detail },
      { header: 'fix', value: (r) => r.fix ?? '' },
    ]));
  }
  const failing = rows.filter((r) => !r.ok);
  lines.push(failing.length ? `${failing.length} check${failing.length > 1 ? 's' : ''} would fail` : 'nothing found that would fail');
  return lines.join('\n');
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
