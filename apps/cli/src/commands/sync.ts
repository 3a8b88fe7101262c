// `revloop sync [connector] [stream]`: run the sync engine with progress on stderr and a summary
// table on stdout. SIGINT/SIGTERM stop it after the current batch, checkpoint saved.
import cliProgress from 'cli-progress';
import { identityReport, renderIdentityReport, resetCheckpoint, resolveIdentities, syncAll, SYNC_GROUP_RECORDS, RevloopError, type IdentityReport, type IdentityRunSummary, type Runtime, type SyncProgress, type SyncRunSummary } from '@revloop/core';
import { loadCliConfig, openRuntime, withInterrupts, type GlobalOptions } from '../context.js';
import { err, out, outJson, seconds, table } from '../output.js';

export interface SyncCommandOptions extends GlobalOptions {
  full?: boolean;
  reset?: boolean;
  progress?: boolean;
}

export interface SyncRow {
  connector: string;
  stream: string;
  status: SyncRunSummary['status'];
  mode: string;
  read: number;
  written: number;
  failed: number;
  deleted: number;
  seconds: number;
  error?: string;
}

export interface SyncReport {
  ok: boolean;
  interrupted: boolean;
  reset: { connector: string; stream: string | null; checkpoints: number }[];
  streams: SyncRow[];
  /** identity resolution after the sync: rows linked across connectors (absent when disabled or interrupted) */
  identity?: IdentityRunSummary;
  /** the resolved entities by the connectors that know them, merges held, people only a personal address names */
  identityReport?: IdentityReport;
}

export async function syncCommand(connector: string | undefined, stream: string | undefined, opts: SyncCommandOptions): Promise<number> {
  const loaded = await loadCliConfig(opts);
  return withInterrupts(async (signal, interrupted) => {
    const runtime = await openRuntime(loaded, signal, { owner: 'sync' });
    try {
      await runtime.store.migrate();
      const report = await runSync(runtime, { connector, stream }, opts, interrupted);
      if (opts.json) outJson(report);
      else out(renderSync(report));
      return report.ok ? 0 : 1;
    } finally {
      await runtime.close();
    }
  });
}

/** Reset (if asked) and sync; used by `sync` and `quickstart`. */
export async function runSync(runtime: Runtime, filter: { connector?: string; stream?: string }, opts: SyncCommandOptions, interrupted: () => string | undefined = () => undefined, hooks: { beforeIdentity?: () => void } = {}): Promise<SyncReport> {
  if (filter.stream && !filter.connector) throw new RevloopError('BAD_ARGUMENT', 'a stream needs its connector', { where: 'arguments', fix: 'revloop sync <connector> <stream>', kind: 'bad_input' });
  const reset: SyncReport['reset'] = [];
  if (opts.reset) {
    const names = filter.connector ? [runtime.connector(filter.connector).name] : [...runtime.registry.connectors.values()].filter((c) => c.enabled).map((c) => c.name);
    for (const name of names) reset.push({ connector: name, stream: filter.stream ?? null, checkpoints: await resetCheckpoint(runtime.store, name, filter.stream) });
    if (!opts.json) for (const r of reset) err(`reset ${r.checkpoints} checkpoint${r.checkpoints === 1 ? '' : 's'} of ${r.connector}${r.stream ? `/${r.stream}` : ''}: the next sync reads everything again`);
  }
  const bar = opts.progress !== false && !opts.json && process.stderr.isTTY
    ? new cliProgress.SingleBar({ stream: process.stderr, format: '{stream} | {read} read | {written} written | {failed} failed | {batches} batches', hideCursor: true, clearOnComplete: false }, cliProgress.Presets.shades_classic)
    : undefined;
  let current = '';
  const onProgress = (p: SyncProgress) => {
    if (!bar) return;
    const name = `${p.connector}/${p.stream}`;
    if (name !== current) {
      if (current) bar.stop();
      current = name;
      bar.start(0, 0, { stream: name, read: 0, written: 0, failed: 0, batches: 0 });
    }
    bar.update(0, { stream: name, read: p.read, written: p.written, failed: p.failed, batches: p.batches });
  };
  let result: Awaited<ReturnType<typeof syncAll>>;
  try {
    // the bar only displays progress: batches a source has ready may share a transaction
    result = await syncAll(runtime, filter, { mode: opts.full ? 'full' : 'incremental', onProgress, groupRecords: SYNC_GROUP_RECORDS });
  } finally {
    bar?.stop();
  }
  const streams: SyncRow[] = [
    ...result.runs.map((r) => ({ connector: r.connector, stream: r.stream, status: r.status, mode: r.mode, read: r.read, written: r.written, failed: r.failed, deleted: r.deleted, seconds: Number(seconds(r.durationMs)), ...(r.error ? { error: r.error } : {}) })),
    ...result.failures.map((f) => ({ connector: f.connector, stream: f.stream, status: 'failed' as const, mode: opts.full ? 'full' : 'incremental', read: 0, written: 0, failed: 0, deleted: 0, seconds: 0, error: f.error.message })),
  ];
  if (!bar && !opts.json) for (const s of streams) err(`${s.connector}/${s.stream}: ${s.status}, ${s.read} read, ${s.written} written${s.error ? ` (${s.error})` : ''}`);
  const wasInterrupted = !!interrupted() || runtime.signal.aborted || streams.some((s) => s.status === 'interrupted');
  // one customer, one record: link what was synced to the entities it belongs to
  const resolving = !wasInterrupted && runtime.loaded.config.identity?.enabled !== false;
  if (resolving) hooks.beforeIdentity?.();
  const identity = resolving ? await resolveIdentities(runtime.store, { now: runtime.clock.now(), config: runtime.loaded.config.identity }) : undefined;
  const report = identity ? await identityReport(runtime.store) : undefined;
  return { ok: !wasInterrupted && streams.every((s) => s.status === 'succeeded'), interrupted: wasInterrupted, reset, streams, ...(identity ? { identity, identityReport: report } : {}) };
}

export function renderSync(report: SyncReport): string {
  if (!report.streams.length) return report.interrupted ? 'sync interrupted before any stream started' : 'nothing to sync (no enabled connector)';
  const lines = [
    table(report.streams, [
      { header: 'stream', value: (s) => `${s.connector}/${s.stream}` },
      { header: 'status', value: (s) => s.status },
      { header: 'read', value: (s) => s.read },
      { header: 'written', value: (s) => s.written },
      { header: 'failed', value: (s) => s.failed },
      { header: 'deleted', value: (s) => s.deleted },
      { header: 'seconds', value: (s) => s.seconds.toFixed(2), align: 'right' },
    ]),
  ];
  for (const s of report.streams) if (s.error) lines.push(`${s.connector}/${s.stream} failed: ${s.error}`);
  if (report.identity) lines.push(renderIdentity(report.identity));
  if (report.identityReport) lines.push(...renderIdentityReport(report.identityReport).map((l) => `  ${l}`));
  if (report.interrupted) lines.push('interrupted: the checkpoint of the last stored batch is kept; run `revloop sync` again to resume');
  return lines.join('\n');
}

/** one line: how many customers and people the synced rows are, and what changed */
export function renderIdentity(r: IdentityRunSummary): string {
  const part = (label: string, t: IdentityRunSummary['accounts']) => `${t.rows} ${label} rows → ${t.entities} resolved (${t.merges} merges, ${t.splits} splits${t.held ? `, ${t.held} held for review: revloop identity held` : ''})`;
  return `identity: ${part('account', r.accounts)}; ${part('contact', r.contacts)}`;
}
