// `revloop run`: the closed loop on the sandbox market, its --json summary (loop, rules, oracle and
// no action with paired intervals) and its HTML report.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CLI_TEST_TIMEOUT_MS, runCli } from './cli-child.js';

const repo = process.cwd();
const small = join(repo, 'packages/sandbox/scenarios/small.json');
let dir: string;

const revloop = (args: string[]) => runCli(dir, args);

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'revloop-run-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('revloop run', { timeout: CLI_TEST_TIMEOUT_MS }, () => {
  it('runs the loop, compares with the baseline and the oracle, and writes a report with charts', () => {
    const r = revloop(['run', '--scenario', small, '--days', '12', '--seed', '3', '--json', '--out', 'report.html']);
    expect(r.code, r.stderr).toBe(0);
    const doc = r.json();
    for (const key of ['revenue', 'spend', 'cac', 'closed_won']) expect(doc).toHaveProperty(key);
    for (const key of ['revenue', 'spend', 'cac', 'closed_won']) {
      expect(doc.baseline).toHaveProperty(key);
      expect(doc.oracle).toHaveProperty(key);
    }
    expect(doc.scenario).toEqual({ seed: 3, days: 12, accounts: 200 });
    // loop, rules, oracle and no action side by side; each comparison with its paired interval
    for (const p of ['loop', 'rules', 'oracle', 'none']) {
      for (const m of ['expected_value', 'expected_closed_won', 'pipeline_created', 'responses', 'revenue']) expect(typeof doc.policies[p][m], `${p}.${m}`).toBe('number');
    }
    expect(doc.policies.none.expected_value).toBe(0); // no action treats no one
    expect(doc.comparisons).toHaveLength(10); // 5 measures × (vs rules, vs no action)
    for (const c of doc.comparisons) {
      expect(c.ci95[0]).toBeLessThanOrEqual(c.difference);
      expect(c.ci95[1]).toBeGreaterThanOrEqual(c.difference);
      expect(c.verdict).toBe(c.ci95[0] > 0 ? 'loop ahead' : c.ci95[1] < 0 ? 'loop behind' : 'no clear difference');
      expect(c.difference).toBeCloseTo(doc.policies.loop[c.measure] - doc.policies[c.against][c.measure], 1);
      if (doc.policies[c.against][c.measure] === 0) expect(c.relative).toBeNull();
    }
    expect(doc.bootstrap).toMatchObject({ unit: 'account', accounts: 200 });
    // 12 days is shorter than the small market's sales cycle: revenue cannot appear yet
    expect(doc.horizon).toMatchObject({ days: 12, revenue_can_appear: false });
    expect(doc.horizon.sales_cycle_days).toBeGreaterThan(12);
    expect(doc.daily.at(-1).answerRate.rules === null || typeof doc.daily.at(-1).answerRate.rules === 'number').toBe(true);
    expect(doc.daily.some((d: { answerRate: { loop: number | null } }) => d.answerRate.loop !== null && d.answerRate.loop > 0)).toBe(true);
    expect(doc.via).toBe('connectors'); // the default: through the vendor connectors and emulators
    expect(doc.ingest.failures).toBe(0);
    expect(doc.daily).toHaveLength(12);
    expect(doc.decisions.executed + doc.decisions.pending_approval).toBeGreaterThan(0);
    expect(doc.spend).toBeGreaterThan(0);
    const html = readFileSync(join(dir, 'report.html'), 'utf8');
    expect(html).toContain('<canvas id="revenue">');
    expect(html).toContain('new Chart(');
    expect(html).not.toMatch(/<script[^>]+src=/); // self-contained: no network
    expect(html).toContain('Chart.defaults.animation = false'); // complete in a screenshot or a print
    expect(html).toContain('closed-won revenue cannot appear yet');
    // the report and the run's database are readable by their owner only (issue #25 item 6)
    if (process.platform !== 'win32') for (const file of [join(dir, 'report.html'), doc.store_path as string]) expect((statSync(file).mode & 0o777).toString(8), file).toBe('600');
  });

  it('keeps what it decided in its store: status, decisions and approvals read it with --store', () => {
    const r = revloop(['run', '--scenario', small, '--days', '6', '--seed', '4', '--store', 'kept.db', '--json', '--out', 'kept.html']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.json().store_path).toBe(join(dir, 'kept.db'));
    const decisions = revloop(['--store', 'kept.db', 'decisions', 'list', '--limit', '500', '--json']);
    expect(decisions.code, decisions.stderr).toBe(0);
    expect(decisions.json().length).toBeGreaterThan(0);
    const status = revloop(['--store', 'kept.db', 'status', '--json']);
    expect(status.code, status.stderr).toBe(0);
    expect(status.stdout).toMatch(/"decisions"/);
    // the last day's gated decisions still wait for a person (the simulated reviewer approves the next day)
    const approvals = revloop(['--store', 'kept.db', 'approvals', 'list', '--json']);
    expect(approvals.code, approvals.stderr).toBe(0);
    expect(approvals.json().length).toBeGreaterThan(0);
    // a second run on the same store starts it afresh: same seed, same result
    const again = revloop(['run', '--scenario', small, '--days', '6', '--seed', '4', '--store', 'kept.db', '--json', '--out', 'kept.html']);
    expect(again.json().decisions).toEqual({ ...r.json().decisions, per_second: again.json().decisions.per_second });
  });

  it('the same seed gives the same result (the loop is reproducible)', () => {
    const a = revloop(['run', '--scenario', small, '--days', '6', '--seed', '5', '--json', '--out', 'a.html']).json();
    const b = revloop(['run', '--scenario', small, '--days', '6', '--seed', '5', '--json', '--out', 'b.html']).json();
    // wall-clock figures aside (throughput, timing), the same seed gives the same run
    expect({ ...a, report_path: null, timing: null, decisions: { ...a.decisions, per_second: 0 } }).toEqual({ ...b, report_path: null, timing: null, decisions: { ...b.decisions, per_second: 0 } });
  });

  it('bad input exits 2 and says where: days, a missing or malformed scenario', () => {
    expect(revloop(['run', '--days', 'many']).code).toBe(2);
    const via = revloop(['run', '--via', 'nowhere']);
    expect(via.code).toBe(2);
    expect(via.stderr).toMatch(/--via must be "connectors" or "direct"/);
    const missing = revloop(['run', '--scenario', 'nope.json']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/SCENARIO_NOT_FOUND/);
    writeFileSync(join(dir, 'bad.json'), JSON.stringify({ accounts: { count: -3 } }));
    const bad = revloop(['run', '--scenario', 'bad.json']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/accounts\.count/);
    expect(existsSync(join(dir, 'reports'))).toBe(false);
  });
});
