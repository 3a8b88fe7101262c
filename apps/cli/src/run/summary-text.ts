// The terminal summary of a run.
import type { RunReport } from '@revloop/evaluation';

const money = (n: number | null) => (n === null ? '—' : `$${Math.round(n).toLocaleString('en-US')}`);
const pad = (s: string, n: number) => s.padStart(n);

/** the comparison line: a percentage only where its denominator has revenue (0/0 is none) */
export function comparisonLine(r: RunReport): string {
  if (r.lift_vs_baseline === null || r.share_of_oracle === null) {
    return `  no revenue to compare yet: after ${r.scenario.days} days ${r.lift_vs_baseline === null ? 'the rules baseline' : 'the oracle'} has closed no deal (deals take weeks to close; run more days, e.g. --days 90). Leading indicator, opportunities created: revloop ${r.opportunities} · rules ${r.baseline.opportunities} · oracle ${r.oracle.opportunities}`;
  }
  const lift = (r.lift_vs_baseline - 1) * 100;
  return `  vs baseline: ${lift >= 0 ? '+' : ''}${lift.toFixed(0)}% revenue per dollar · ${(r.share_of_oracle * 100).toFixed(0)}% of the oracle's revenue`;
}

export function renderSummaryText(r: RunReport, htmlPath?: string, storePath?: string): string {
  const row = (label: string, a: string, b: string, c: string) => `  ${label.padEnd(24)}${pad(a, 16)}${pad(b, 16)}${pad(c, 16)}`;
  return [
    `revloop run: ${r.scenario.accounts} accounts, ${r.scenario.days} days, seed ${r.scenario.seed}, via ${r.via === 'connectors' ? 'the vendor connectors (HubSpot, Salesforce, LinkedIn Ads, Google Ads emulators)' : 'direct market access (no vendor APIs)'} · ${r.timing.seconds.toFixed(1)} s`,
    '',
    row('', 'revloop', 'rules baseline', 'oracle'),
    row('closed-won revenue', money(r.revenue), money(r.baseline.revenue), money(r.oracle.revenue)),
    row('marketing spend', money(r.spend), money(r.baseline.spend), money(r.oracle.spend)),
    row('revenue per $', r.revenue_per_dollar.toFixed(2), r.baseline.revenue_per_dollar.toFixed(2), r.oracle.revenue_per_dollar.toFixed(2)),
    row('CAC', money(r.cac), money(r.baseline.cac), money(r.oracle.cac)),
    row('closed-won deals', String(r.closed_won), String(r.baseline.closed_won), String(r.oracle.closed_won)),
    row('opportunities created', String(r.opportunities), String(r.baseline.opportunities), String(r.oracle.opportunities)),
    '',
    comparisonLine(r),
    `  decisions: ${r.decisions.total} (${r.decisions.executed} executed, ${r.decisions.no_action} no action, ${r.decisions.dropped} dropped by brand check, ${r.decisions.pending_approval} waited for approval, ${r.decisions.failed} failed) at ${r.decisions.per_second}/s`,
    `  executions by channel: ${Object.entries(r.by_channel).map(([k, v]) => `${k} ${v}`).join(', ') || 'none'}`,
    `  model spend: $${r.model_cost_usd.toFixed(4)}`,
    `  ingest: ${r.ingest.rows.toLocaleString('en-US')} rows in ${r.timing.ingest_seconds.toFixed(1)} s${r.ingest.failures ? ` · ${r.ingest.failures} stream syncs FAILED (their checkpoints kept; see --json)` : ''}`,
    ...(htmlPath ? ['', `  report: ${htmlPath}`] : []),
    ...(storePath ? [`  store:  ${storePath} — what the run decided stays there: revloop --store ${storePath} decisions list | approvals list | status`] : []),
  ].join('\n');
}
