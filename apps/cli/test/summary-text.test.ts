// The run summary's wording: no winner where an interval spans zero, no percentage of 0, and a
// horizon shorter than the sales cycle leads with the leading indicators.
import { describe, expect, it } from 'vitest';
import { MEASURES, type Comparison, type MeasureKey, type RunReport } from '@revloop/evaluation';
import { comparisonLines, comparisonText, percent, renderSummaryText } from '../src/run/summary-text.js';
import { renderReportHtml } from '../src/run/report-html.js';

const totals = (v: number) => Object.fromEntries(MEASURES.map((m) => [m.key, v])) as Record<MeasureKey, number>;
const ref = { revenue: 0, spend: 100, cac: null, closed_won: 0, opportunities: 9, revenue_per_dollar: 0 };

function comparison(measure: MeasureKey, against: 'rules' | 'none', difference: number, ci95: [number, number] | null, relative: number | null): Comparison {
  const verdict = !ci95 ? 'no clear difference' : ci95[0] > 0 ? 'loop ahead' : ci95[1] < 0 ? 'loop behind' : 'no clear difference';
  return { measure, against, difference, ci95, relative, verdict };
}

const report = (patch: Partial<RunReport>): RunReport =>
  ({
    scenario: { seed: 1, days: 90, accounts: 2000 },
    horizon: { days: 90, sales_cycle_days: 45, revenue_can_appear: true },
    policies: { loop: totals(10), rules: totals(8), oracle: totals(20), none: totals(0) },
    comparisons: [],
    bootstrap: { unit: 'account', accounts: 2000, resamples: 2000, seed: 23, level: 0.95, kind: '' },
    via: 'direct',
    ingest: { rows: 0, failures: 0 },
    timing: { seconds: 1, ingest_seconds: 0 },
    revenue: 0,
    spend: 100,
    cac: null,
    closed_won: 0,
    opportunities: 12,
    treatments: 0,
    revenue_per_dollar: 0,
    decisions: { total: 0, per_second: 0, executed: 0, no_action: 0, dropped: 0, pending_approval: 0, failed: 0, deferred: 0 },
    by_channel: {},
    by_class: {},
    approvals: { approved: 0, rejected: 0 },
    model_cost_usd: 0,
    baseline: ref,
    oracle: { ...ref, opportunities: 20 },
    none: { ...ref, spend: 0 },
    lift_vs_baseline: null,
    share_of_oracle: null,
    daily: [],
    answer_rate_window_days: 7,
    ...patch,
  }) as RunReport;

describe('the run summary', () => {
  it('names no winner where the interval spans zero', () => {
    const line = comparisonText(comparison('revenue', 'rules', 40_000, [-10_000, 90_000], 0.05));
    expect(line).toContain('no clear difference');
    expect(line).not.toMatch(/ahead/);
    expect(line).toContain('[−$10,000, +$90,000]');
  });

  it('names the policy ahead only where the interval clears zero', () => {
    expect(comparisonText(comparison('expected_value', 'rules', 1200, [300, 2100], 0.25))).toMatch(/\+\$1,200\s+\(\+25%\).*revloop ahead/);
    expect(comparisonText(comparison('responses', 'none', -12, [-20, -4], -0.1))).toMatch(/−12\s+\(−10%\).*no action ahead/);
  });

  it('never prints 0/0 (or x/0) as a percentage: "—"', () => {
    expect(percent(null)).toBe('—');
    expect(percent(Number.NaN)).toBe('—');
    expect(percent(0)).toBe('0%'); // a real zero is a percentage; only x/0 is not
    const line = comparisonText(comparison('revenue', 'none', 0, [0, 0], null));
    expect(line).toContain('(—)');
    expect(line.replace('95% [', '[')).not.toMatch(/%/);
    expect(line).toContain('[$0, $0]');
    expect(line).toContain('no clear difference');
    // revenue per $ with no spend is "—", not 0 or Infinity
    const text = renderSummaryText(report({}));
    expect(text).toMatch(/revenue per \$\s+0\.00\s+0\.00\s+0\.00\s+—/);
  });

  it('a horizon shorter than the sales cycle says revenue cannot appear yet and leads with the leading indicators', () => {
    const comparisons = (['rules', 'none'] as const).flatMap((a) => MEASURES.map((m) => comparison(m.key, a, 1, [-1, 3], 0.1)));
    const lines = comparisonLines(report({ horizon: { days: 30, sales_cycle_days: 45, revenue_can_appear: false }, comparisons }));
    expect(lines[0]).toContain('30 days is shorter than this market\'s typical sales cycle (~45 days');
    expect(lines.join('\n')).toContain('closed-won revenue cannot appear yet');
    const vsRules = lines.slice(lines.findIndex((l) => l.includes('revloop vs the rules baseline')) + 1, lines.findIndex((l) => l.includes('revloop vs no action')));
    expect(vsRules[0]).toContain('expected value of treatments');
    expect(vsRules.at(-1)).toMatch(/closed-won revenue.*\(too early to tell\)/);
    // a full horizon leads with realized revenue and says nothing of the sort
    const full = comparisonLines(report({ comparisons }));
    expect(full.join('\n')).not.toMatch(/cannot appear|too early/);
    expect(full[2]).toContain('closed-won revenue');
  });

  it('shows loop, rules, oracle and no action side by side', () => {
    const text = renderSummaryText(report({}));
    expect(text).toMatch(/revloop\s+rules baseline\s+oracle\s+no action/);
    expect(text).toMatch(/pipeline created\s+\$10\s+\$8\s+\$20\s+\$0/);
  });
});

describe('the HTML report', () => {
  const html = renderReportHtml(report({ horizon: { days: 30, sales_cycle_days: 45, revenue_can_appear: false }, comparisons: [comparison('revenue', 'rules', 0, [0, 0], null)] }));
  it('draws without animation, titles its axes, and keeps spend off the pipeline axis', () => {
    expect(html).toContain('Chart.defaults.animation = false');
    expect(html).toContain("axis('open pipeline ($)'");
    expect(html).toMatch(/y1: axis\('marketing spend, cumulative \(\$\)'/);
    expect(html).toContain("line('marketing spend, cumulative ($, right axis)', report.daily.map(d => d.spend), '#f59e0b', { yAxisID: 'y1' })");
  });
  it('colours channels by name, explains deferred, and charts the answer rate vs rules', () => {
    expect(html).toContain('"channelColors":{"email":"#7c3aed","linkedin":"#0a66c2","google":"#ea4335","sales_task":"#f59e0b"}');
    expect(html).toContain('<b>Deferred</b>: an account ranked below the day');
    expect(html).toContain("Answer rate of revloop's treatments vs the rules baseline over time");
    expect(html).toContain('closed-won revenue cannot appear yet');
    expect(html).toContain('no clear difference');
  });
});
