// The CLI's first hour (#25): what a new user meets in an empty folder. Each test runs
// apps/cli/src/bin.ts as a child process (tsx, revloop-source, the network guard).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CLI_TEST_TIMEOUT_MS, runCli as revloop } from './cli-child.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'revloop-first-hour-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('usage errors say what is allowed', { timeout: CLI_TEST_TIMEOUT_MS }, () => {
  it('an unknown command with --help is an unknown command (exit 2), not the main help', () => {
    const costs = revloop(dir, ['costs', '--help']);
    expect(costs.code).toBe(2);
    expect(costs.stdout).toBe('');
    expect(costs.stderr).toMatch(/unknown command 'costs'/);
    expect(costs.stderr).toMatch(/revloop --help/);
    const typo = revloop(dir, ['-c', 'x.yaml', 'stauts', '-h']);
    expect(typo.code).toBe(2);
    expect(typo.stderr).toMatch(/unknown command 'stauts' \(did you mean 'status'\?\)/);
    const sub = revloop(dir, ['approvals', 'lst', '--help']);
    expect(sub.code).toBe(2);
    expect(sub.stderr).toMatch(/unknown command 'lst' for 'revloop approvals' \(did you mean 'list'\?\)/);
    expect(revloop(dir, ['help', 'costs']).code).toBe(2);
    // known commands keep their help
    const help = revloop(dir, ['approvals', 'list', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/Usage: revloop approvals list/);
  });

  it('a negative --days or --seed says the allowed range', () => {
    const days = revloop(dir, ['run', '--days', '-5']);
    expect(days.code).toBe(2);
    expect(days.stderr).toMatch(/--days must be a whole number from 1 to 90 \(the scenario's length\), not "-5"/);
    const seed = revloop(dir, ['run', '--seed', '-1']);
    expect(seed.code).toBe(2);
    expect(seed.stderr).toMatch(/--seed must be a whole number from 0 to 4294967295, not "-1"/);
    const perDay = revloop(dir, ['run', '--actions-per-day', '2.5']);
    expect(perDay.code).toBe(2);
    expect(perDay.stderr).toMatch(/--actions-per-day must be a whole number of 0 or more, not "2.5"/);
  });
});
