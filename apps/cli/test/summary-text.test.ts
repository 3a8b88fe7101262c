// The run summary's comparison line: a percentage only where its denominator has revenue.
import { describe, expect, it } from 'vitest';
import { comparisonLine } from '../src/run/summary-text.js';
import type { RunReport } from '@revloop/evaluation';

const report = (patch: Partial<RunReport>): RunReport =>
  ({
    scenario: { seed: 1, days: 30, accounts: 2000 },
    opportunities: 12,
    baseline: { revenue: 0, spend: 100, cac: null, closed_won: 0, opportunities: 9, revenue_per_dollar: 0 },
    oracle: { revenue: 0, spend: 100, cac: null, closed_won: 0, opportunities: 20, revenue_per_dollar: 0 },
    lift_vs_baseline: null,
    share_of_oracle: null,
    ...patch,
  }) as RunReport;

describe('the run summary', () => {
  it('never prints 0/0 as a percentage: with no revenue yet it shows the leading indicator', () => {
    const line = comparisonLine(report({}));
    expect(line).not.toMatch(/%/);
    expect(line).toContain('no revenue to compare yet');
    expect(line).toContain('revloop 12 · rules 9 · oracle 20');
  });

  it('prints the lift and the share when both have revenue', () => {
    expect(comparisonLine(report({ lift_vs_baseline: 1.25, share_of_oracle: 0.7 }))).toContain('+25% revenue per dollar · 70% of the oracle');
    expect(comparisonLine(report({ lift_vs_baseline: 0.9, share_of_oracle: 0.7 }))).toContain('-10% revenue per dollar');
  });
});
