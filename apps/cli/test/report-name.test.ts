// quickstart's report names: one per run, by start time (UTC, no colons) and seed; a name taken
// already (two runs in one second) gets -2, -3…, never the earlier file.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { timestampedReportPath } from '../src/report-name.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'revloop-report-name-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('timestampedReportPath', () => {
  const at = new Date('2026-12-07T17:42:05.123Z');

  it('names the report by its start time and seed', () => {
    expect(timestampedReportPath(dir, at, 7)).toBe(join(dir, 'reports', 'quickstart-2026-12-07T17-42-05Z-seed7.html'));
  });

  it('never returns the path of an existing report', () => {
    mkdirSync(join(dir, 'reports'));
    const first = timestampedReportPath(dir, at, 7);
    writeFileSync(first, 'earlier');
    const second = timestampedReportPath(dir, at, 7);
    expect(second).toBe(join(dir, 'reports', 'quickstart-2026-12-07T17-42-05Z-seed7-2.html'));
    writeFileSync(second, 'earlier too');
    expect(timestampedReportPath(dir, at, 7)).toMatch(/-seed7-3\.html$/);
  });
});
