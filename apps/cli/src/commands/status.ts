// `revloop status`: last runs, checkpoints and row counts.
import { statusReport, type StatusReport } from '@revloop/core';
import { loadCliConfig, openRuntime, type GlobalOptions } from '../context.js';
import { out, outJson, table, time } from '../output.js';

export interface StatusOptions extends GlobalOptions {
  limit?: string;
}

export async function statusCommand(opts: StatusOptions): Promise<number> {
  const loaded = await loadCliConfig(opts);
  const runtime = await openRuntime(loaded);
  try {
    await runtime.store.migrate();
    const limit = opts.limit === undefined ? 20 : Number(opts.limit);
    const report = await statusReport(runtime.store, Number.isInteger(limit) && limit > 0 ? limit : 20);
    if (opts.json) outJson(report);
    else out(renderStatus(report));
    return 0;
  } finally {
    await runtime.close();
  }
}

export function renderStatus(report: StatusReport): string {
  const sections: string[] = [];
  sections.push('last runs');
  sections.push(report.runs.length ? table(report.runs, [
    { header: 'started', value: (r) => time(r.startedAt) },
    { header: 'stream', value: (r) => `${r.connector}/${r.stream}` },
    { header: 'mode', value: (r) => r.mode },
    { header: 'status', value: (r) => r.status },
    { header: 'read', value: (r) => r.read },
    { header: 'written', value: (r) => r.written },
    { header: 'failed', value: (r) => r.failed },
    { header: 'deleted', value: (r) => r.deleted },
    { header: 'seconds', value: (r) => (r.finishedAt === null ? '-' : ((r.finishedAt - r.startedAt) / 1000).toFixed(2)), align: 'right' },
    { header: 'error', value: (r) => (r.error ? r.error.slice(0, 80) : '') },
  ]) : '  (no sync has run yet: `revloop sync`)');
  sections.push('', 'checkpoints');
  sections.push(report.checkpoints.length ? table(report.checkpoints, [
    { header: 'stream', value: (c) => `${c.connector}/${c.stream}` },
    { header: 'updated', value: (c) => time(c.updatedAt) },
    { header: 'checkpoint', value: (c) => JSON.stringify(c.checkpoint) },
  ]) : '  (none)');
  sections.push('', 'rows');
  sections.push(table(Object.entries(report.rows), [
    { header: 'table', value: ([t]) => t },
    { header: 'rows', value: ([, n]) => n },
  ]));
  return sections.join('\n');
}
