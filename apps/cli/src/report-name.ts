// Where a quickstart keeps its report: one file per run, named by its start time (UTC) and seed,
// so that running it again never overwrites the report of an earlier run.
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** `reports/quickstart-2026-12-07T17-42-05Z-seed7.html` under `cwd` (a -2, -3… suffix if taken) */
export function timestampedReportPath(cwd: string, startedAt: Date, seed: number, prefix = 'quickstart'): string {
  const stamp = startedAt.toISOString().replace(/\.\d+Z$/, 'Z').replace(/:/g, '-');
  const base = resolve(cwd, join('reports', `${prefix}-${stamp}-seed${seed}`));
  for (let n = 1; ; n++) {
    const path = `${base}${n === 1 ? '' : `-${n}`}.html`;
    if (!existsSync(path)) return path;
  }
}
