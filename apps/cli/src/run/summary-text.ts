// The terminal summary of a run: loop, rules baseline, oracle and no action side by side, then the
// loop against the rules and against no action with paired 95% intervals. No winner where an
// interval spans zero; a percentage only where its denominator is not 0.
import { MEASURES, type Comparison, type RunReport } from '@revloop/evaluation';

const whole = (n: number) => Math.round(n).toLocaleString('en-US');
const money = (n: number | null) => (n === null ? '—' : `$${whole(n)}`);
/** a signed amount: +$1,234 / −$1,234 (a real minus sign, so the columns read as figures) */
const signed = (n: number, unit: '$' | 'count') => `${Math.round(n) < 0 ? '−' : Math.round(n) > 0 ? '+' : ''}${unit === '$' ? '$' : ''}${whole(Math.abs(n))}`;
const figureOf = (n: number, unit: '$' | 'count') => (unit === '$' ? money(n) : whole(n));

/** a ratio as a percentage, or "—" where there is nothing to divide by (0/0 is never a percentage) */
export function percent(ratio: number | null): string {
  if (ratio === null || !Number.isFinite(ratio)) return '—';
  const p = Math.round(ratio * 100);
  return `${p < 0 ? '−' : p > 0 ? '+' : ''}${Math.abs(p)}%`;
}

const AGAINST = { rules: 'the rules baseline', none: 'no action', oracle: 'the oracle' } as const;

/** one comparison without its label: the difference, its share of the other policy's figure, the interval and the verdict */
export function comparisonBody(c: Comparison): string {
  const m = MEASURES.find((x) => x.key === c.measure)!;
  const ci = c.ci95 ? `[${signed(c.ci95[0], m.unit)}, ${signed(c.ci95[1], m.unit)}]` : '[no interval]';
  const verdict = c.verdict === 'loop ahead' ? 'revloop ahead' : c.verdict === 'loop behind' ? `${AGAINST[c.against]} ahead` : 'no clear difference';
  return `${signed(c.difference, m.unit).padStart(12)} ${`(${percent(c.relative)})`.padStart(8)}  95% ${ci.padEnd(28)} ${verdict}`;
}

export function comparisonText(c: Comparison): string {
  return `${MEASURES.find((x) => x.key === c.measure)!.label.padEnd(30)}${comparisonBody(c)}`;
}

/** the comparison block: leading indicators first when revenue cannot appear within the horizon */
export function comparisonLines(r: RunReport): string[] {
  const short = !r.horizon.revenue_can_appear;
  const order = short ? MEASURES : [...MEASURES.filter((m) => !m.leading), ...MEASURES.filter((m) => m.leading)];
  const lines: string[] = [];
  if (short) {
    lines.push(
      `  ${r.horizon.days} days is shorter than this market's typical sales cycle (~${r.horizon.sales_cycle_days} days from opportunity to close):`,
      '  closed-won revenue cannot appear yet. Judge the run by the leading indicators; run --days 90 for revenue.',
      '',
    );
  }
  lines.push(`  difference, paired 95% interval over ${whole(r.bootstrap.accounts)} accounts (same market, same random draws); "no clear difference" where it spans 0:`);
  for (const against of ['rules', 'none'] as const) {
    lines.push(`  revloop vs ${AGAINST[against]}:`);
    for (const m of order) {
      const c = r.comparisons.find((x) => x.against === against && x.measure === m.key);
      if (!c) continue;
      lines.push(`    ${comparisonText(c)}${!m.leading && short ? '  (too early to tell)' : ''}`);
    }
  }
  return lines;
}

export function renderSummaryText(r: RunReport, htmlPath?: string, storePath?: string): string {
  const row = (label: string, ...cells: string[]) => `  ${label.padEnd(30)}${cells.map((c) => c.padStart(15)).join('')}`;
  const p = r.policies;
  const measureRow = (m: (typeof MEASURES)[number]) => row(m.label, ...(['loop', 'rules', 'oracle', 'none'] as const).map((k) => figureOf(p[k][m.key], m.unit)));
  const perDollar = (x: { revenue: number; spend: number }) => (x.spend > 0 ? (x.revenue / x.spend).toFixed(2) : '—');
  const leading = MEASURES.filter((m) => m.leading);
  const realized = MEASURES.filter((m) => !m.leading);
  return [
    `revloop run: ${r.scenario.accounts} accounts, ${r.scenario.days} days, seed ${r.scenario.seed}, via ${r.via === 'connectors' ? 'the vendor connectors (HubSpot, Salesforce, LinkedIn Ads, Google Ads emulators)' : 'direct market access (no vendor APIs)'} · ${r.timing.seconds.toFixed(1)} s`,
    '',
    row('', 'revloop', 'rules baseline', 'oracle', 'no action'),
    '  leading indicators (the market\'s hidden truth; move within weeks)',
    ...leading.map(measureRow),
    '  realized',
    ...realized.map(measureRow),
    row('closed-won deals', String(r.closed_won), String(r.baseline.closed_won), String(r.oracle.closed_won), String(r.none.closed_won)),
    row('opportunities created', String(r.opportunities), String(r.baseline.opportunities), String(r.oracle.opportunities), String(r.none.opportunities)),
    row('marketing spend', money(r.spend), money(r.baseline.spend), money(r.oracle.spend), money(r.none.spend)),
    row('revenue per $', perDollar(r), perDollar(r.baseline), perDollar(r.oracle), perDollar(r.none)),
    row('CAC', money(r.cac), money(r.baseline.cac), money(r.oracle.cac), money(r.none.cac)),
    '',
    ...comparisonLines(r),
    '',
    `  decisions: ${r.decisions.total} (${r.decisions.executed} executed, ${r.decisions.no_action} no action, ${r.decisions.dropped} dropped by brand check, ${r.decisions.pending_approval} waited for approval, ${r.decisions.deferred} deferred (ranked below the day's action budget, decided again later), ${r.decisions.failed} failed) at ${r.decisions.per_second}/s`,
    `  executions by channel: ${Object.entries(r.by_channel).map(([k, v]) => `${k} ${v}`).join(', ') || 'none'}`,
    `  model spend: $${r.model_cost_usd.toFixed(4)}`,
    `  ingest: ${r.ingest.rows.toLocaleString('en-US')} rows in ${r.timing.ingest_seconds.toFixed(1)} s${r.ingest.failures ? ` · ${r.ingest.failures} stream syncs FAILED (their checkpoints kept; see --json)` : ''}`,
    ...(htmlPath ? ['', `  report: ${htmlPath}`] : []),
    ...(storePath ? [`  store:  ${storePath} — what the run decided stays there: revloop --store ${storePath} decisions list | approvals list | status`] : []),
  ].join('\n');
}
