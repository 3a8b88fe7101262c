// The HTML report of a run: one self-contained file (Chart.js inlined, no network) that a RevOps
// person opens in a browser. Written for a marketing reader: every axis has a title and a unit,
// each channel keeps one colour, the comparisons carry their intervals, and charts draw without
// animation so that a screenshot or a print is complete.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { MEASURES, type Comparison, type RunReport } from '@revloop/evaluation';
import { comparisonBody, percent } from './summary-text.js';

function chartJsSource(): string {
  const require = createRequire(import.meta.url);
  return readFileSync(join(dirname(require.resolve('chart.js')), 'chart.umd.min.js'), 'utf8');
}

const esc = (s: string) => s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);
const money = (n: number | null) => (n === null ? '—' : `$${Math.round(n).toLocaleString('en-US')}`);

/** one colour per channel, the same in every report (not by position) */
export const CHANNEL_COLORS: Record<string, string> = { email: '#7c3aed', linkedin: '#0a66c2', google: '#ea4335', sales_task: '#f59e0b' };
/** one colour per policy */
export const POLICY_COLORS = { loop: '#2563eb', rules: '#6b7280', oracle: '#16a34a', none: '#c4b5a5' } as const;

const VERDICT_CLASS = { 'loop ahead': 'ahead', 'loop behind': 'behind', 'no clear difference': 'unclear' } as const;

function comparisonRows(report: RunReport, against: Comparison['against']): string {
  return MEASURES.map((m) => {
    const c = report.comparisons.find((x) => x.against === against && x.measure === m.key);
    if (!c) return '';
    const early = !m.leading && !report.horizon.revenue_can_appear ? ' (too early to tell)' : '';
    return `<tr><td title="${esc(m.what)}">${esc(m.label)}</td><td colspan="4" class="cmp ${VERDICT_CLASS[c.verdict]}">${esc(comparisonBody(c).trim())}${early}</td></tr>`;
  }).join('\n');
}

export function renderReportHtml(report: RunReport): string {
  const data = JSON.stringify({ report, channelColors: CHANNEL_COLORS, policyColors: POLICY_COLORS }).replace(/</g, '\\u003c');
  const kpi = (label: string, value: string, sub = '') => `<div class="kpi"><div class="label">${esc(label)}</div><div class="value">${esc(value)}</div><div class="sub">${esc(sub)}</div></div>`;
  const p = report.policies;
  const rel = (a: number, b: number) => percent(b !== 0 ? (a - b) / b : null);
  const short = !report.horizon.revenue_can_appear;
  const policyRow = (label: string, f: (x: 'loop' | 'rules' | 'oracle' | 'none') => string) => `<tr><td>${esc(label)}</td>${(['loop', 'rules', 'oracle', 'none'] as const).map((k) => `<td>${esc(f(k))}</td>`).join('')}</tr>`;
  const ref = { loop: report, rules: report.baseline, oracle: report.oracle, none: report.none };
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>revloop run report — seed ${report.scenario.seed}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
body{font:14px/1.45 system-ui,-apple-system,Segoe UI,sans-serif;margin:0;background:#f6f7f9;color:#1d2430}
header{background:#1d2430;color:#fff;padding:18px 28px}header h1{margin:0;font-size:20px}header p{margin:4px 0 0;opacity:.75}
main{padding:20px 28px;max-width:1200px}
.kpis{display:grid;grid-template-columns:repeat(auto-fit,minmax(170px,1fr));gap:12px;margin-bottom:18px}
.kpi{background:#fff;border-radius:8px;padding:12px 14px;box-shadow:0 1px 2px #0001}.kpi .label{font-size:12px;color:#5b6576;text-transform:uppercase;letter-spacing:.04em}
.kpi .value{font-size:22px;font-weight:600;margin-top:2px}.kpi .sub{font-size:12px;color:#5b6576}
.note{background:#fff7e6;border-left:4px solid #f59e0b;padding:10px 14px;margin-bottom:16px;border-radius:4px}
.grid{display:grid;grid-template-columns:repeat(auto-fit,minmax(520px,1fr));gap:16px}
section{background:#fff;border-radius:8px;padding:14px 16px;box-shadow:0 1px 2px #0001}section h2{font-size:15px;margin:0 0 8px}section p.explain{font-size:12px;color:#5b6576;margin:6px 0 0}
canvas{max-height:300px}table{border-collapse:collapse;width:100%}td,th{padding:4px 8px;border-bottom:1px solid #eceef2;text-align:right}td:first-child,th:first-child{text-align:left}
td.cmp{text-align:left;font-family:ui-monospace,monospace;font-size:12px;white-space:pre}.ahead{color:#15803d}.behind{color:#b91c1c}.unclear{color:#5b6576}
@media print{.grid{display:block}section{break-inside:avoid;margin-bottom:12px}}
</style></head><body>
<header><h1>revloop closed-loop run</h1><p>${report.scenario.accounts.toLocaleString('en-US')} accounts · ${report.scenario.days} simulated days · seed ${report.scenario.seed} · via ${report.via === 'connectors' ? 'the vendor connectors (HubSpot, Salesforce, LinkedIn Ads, Google Ads emulators)' : 'direct market access (no vendor APIs)'} · compared on the same market and action budget with a rules baseline, the simulator's oracle (knows the hidden truth: the ceiling) and no action</p></header>
<main>
${short ? `<div class="note"><b>${report.horizon.days} days is shorter than this market's typical sales cycle</b> (about ${report.horizon.sales_cycle_days} days from opportunity to close): closed-won revenue cannot appear yet, whatever the policy. Judge this run by the leading indicators; run 90 days for revenue.</div>` : ''}
<div class="kpis">
${kpi('Expected value of treatments', money(p.loop.expected_value), `rules ${money(p.rules.expected_value)} (${rel(p.loop.expected_value, p.rules.expected_value)}) · oracle ${money(p.oracle.expected_value)}`)}
${kpi('Pipeline created', money(p.loop.pipeline_created), `rules ${money(p.rules.pipeline_created)} · no action ${money(p.none.pipeline_created)}`)}
${kpi('Responses', Math.round(p.loop.responses).toLocaleString('en-US'), `rules ${Math.round(p.rules.responses).toLocaleString('en-US')} · oracle ${Math.round(p.oracle.responses).toLocaleString('en-US')}`)}
${kpi('Closed-won revenue', money(report.revenue), short ? 'too early: shorter than the sales cycle' : `rules ${money(report.baseline.revenue)} · oracle ${money(report.oracle.revenue)}`)}
${kpi('Expected closed-won', money(p.loop.expected_closed_won), `rules ${money(p.rules.expected_closed_won)} · no action ${money(p.none.expected_closed_won)}`)}
${kpi('Decisions', report.decisions.total.toLocaleString('en-US'), `${report.decisions.executed} executed · ${report.decisions.per_second.toLocaleString('en-US')}/s`)}
</div>
<section style="margin-bottom:16px"><h2>revloop against the rules baseline and against no action</h2>
<p class="explain">Each line: revloop's total minus the other policy's, its share of the other's total ("—" where that total is 0), and a 95% interval from resampling the ${report.bootstrap.accounts.toLocaleString('en-US')} accounts (each account's figures under both policies kept together: the same market and the same random draws). Where the interval spans 0 there is no clear difference, and no winner is named.</p>
<table><tr><th>revloop vs the rules baseline</th><th colspan="4"></th></tr>
${comparisonRows(report, 'rules')}
<tr><th>revloop vs no action</th><th colspan="4"></th></tr>
${comparisonRows(report, 'none')}
</table></section>
<div class="grid">
<section><h2>Answer rate of revloop's treatments vs the rules baseline over time</h2><canvas id="learning"></canvas><p class="explain">Share of treatments answered (a click, a form fill), as the market's hidden answer chance of each treatment, averaged over the trailing ${report.answer_rate_window_days} days. A learning loop climbs from where it starts toward the oracle's line.</p></section>
<section><h2>Closed-won revenue over time</h2><canvas id="revenue"></canvas>${short ? '<p class="explain">Too early for revenue: the horizon is shorter than the sales cycle.</p>' : ''}</section>
<section><h2>revloop's open pipeline and marketing spend</h2><canvas id="pipeline"></canvas><p class="explain">Spend (ad campaigns and treatments, cumulative) has its own axis on the right.</p></section>
<section><h2>Revenue per marketing dollar and CAC</h2><canvas id="efficiency"></canvas></section>
<section><h2>revloop's executions by channel</h2><canvas id="channels"></canvas></section>
<section><h2>revloop's decisions by result and class</h2><canvas id="decisions"></canvas><p class="explain"><b>Deferred</b>: an account ranked below the day's action budget (the budget goes to the most promising accounts first, and only they get a message and a brand check); it is not executed, and the account is decided again on a later day.</p></section>
<section><h2>Summary</h2><table>
<tr><th></th><th>revloop</th><th>rules baseline</th><th>oracle</th><th>no action</th></tr>
${MEASURES.map((m) => policyRow(`${m.label}${m.unit === '$' ? ' ($)' : ''}`, (k) => (m.unit === '$' ? money(p[k][m.key]) : Math.round(p[k][m.key]).toLocaleString('en-US')))).join('\n')}
${policyRow('Marketing spend', (k) => money(ref[k].spend))}
${policyRow('Revenue per $', (k) => (ref[k].spend > 0 ? (ref[k].revenue / ref[k].spend).toFixed(2) : '—'))}
${policyRow('CAC', (k) => money(ref[k].cac))}
${policyRow('Closed-won deals', (k) => String(ref[k].closed_won))}
${policyRow('Opportunities created', (k) => String(ref[k].opportunities))}
<tr><td>Approvals (approved / rejected)</td><td>${report.approvals.approved} / ${report.approvals.rejected}</td><td>—</td><td>—</td><td>—</td></tr>
<tr><td>Model spend</td><td>$${report.model_cost_usd.toFixed(4)}</td><td>—</td><td>—</td><td>—</td></tr>
</table></section>
</div></main>
<script>${chartJsSource()}</script>
<script id="data" type="application/json">${data}</script>
<script>
const { report, channelColors, policyColors } = JSON.parse(document.getElementById('data').textContent);
// drawn at once: a screenshot or a print shows every chart complete
Chart.defaults.animation = false;
const days = report.daily.map(d => d.date);
const usd = v => '$' + Number(v).toLocaleString('en-US');
const axis = (title, extra = {}) => ({ title: { display: true, text: title }, ...extra });
const dayAxis = axis('simulated date');
const line = (label, data, color, extra = {}) => ({ label, data, borderColor: color, backgroundColor: color, pointRadius: 0, tension: .2, ...extra });
new Chart(document.getElementById('revenue'), { type: 'line', data: { labels: days, datasets: [
  line('revloop', report.daily.map(d => d.revenue), policyColors.loop), line('rules baseline', report.daily.map(d => d.baselineRevenue), policyColors.rules),
  line('oracle', report.daily.map(d => d.oracleRevenue), policyColors.oracle, { borderDash: [6, 4] }), line('no action', report.daily.map(d => d.noneRevenue), policyColors.none, { borderDash: [2, 3] }) ] },
  options: { scales: { x: dayAxis, y: axis('closed-won revenue, cumulative ($)', { ticks: { callback: usd } }) } } });
new Chart(document.getElementById('pipeline'), { type: 'line', data: { labels: days, datasets: [
  line('open pipeline ($, left axis)', report.daily.map(d => d.pipelineOpen), '#7c3aed', { yAxisID: 'y' }), line('marketing spend, cumulative ($, right axis)', report.daily.map(d => d.spend), '#f59e0b', { yAxisID: 'y1' }) ] },
  options: { scales: { x: dayAxis, y: axis('open pipeline ($)', { position: 'left', ticks: { callback: usd } }), y1: axis('marketing spend, cumulative ($)', { position: 'right', grid: { drawOnChartArea: false }, ticks: { callback: usd } }) } } });
const refs = [report, report.baseline, report.oracle, report.none];
new Chart(document.getElementById('efficiency'), { type: 'bar', data: { labels: ['revloop', 'rules baseline', 'oracle', 'no action'], datasets: [
  { label: 'closed-won $ per marketing $ (left axis)', data: refs.map(r => r.spend > 0 ? r.revenue / r.spend : null), backgroundColor: '#2563eb', yAxisID: 'y' },
  { label: 'CAC: marketing $ per closed-won deal (right axis)', data: refs.map(r => r.cac), backgroundColor: '#f59e0b', yAxisID: 'y1' } ] },
  options: { scales: { x: axis('policy'), y: axis('closed-won $ per marketing $', { position: 'left' }), y1: axis('CAC ($ per deal)', { position: 'right', grid: { drawOnChartArea: false }, ticks: { callback: usd } }) } } });
const channels = Object.keys(report.by_channel);
new Chart(document.getElementById('channels'), { type: 'bar', data: { labels: channels, datasets: [{ label: 'executions', data: channels.map(c => report.by_channel[c]), backgroundColor: channels.map(c => channelColors[c] ?? '#94a3b8') }] },
  options: { plugins: { legend: { display: false } }, scales: { x: axis('channel'), y: axis('executions (count)', { beginAtZero: true }) } } });
const results = { executed: report.decisions.executed, 'no action': report.decisions.no_action, 'dropped by brand check': report.decisions.dropped, 'waited for approval': report.decisions.pending_approval, deferred: report.decisions.deferred, failed: report.decisions.failed };
const classes = Object.fromEntries(Object.entries(report.by_class).map(([k, v]) => ['class: ' + k, v]));
new Chart(document.getElementById('decisions'), { type: 'bar', data: { labels: [...Object.keys(results), ...Object.keys(classes)], datasets: [{ label: 'decisions', data: [...Object.values(results), ...Object.values(classes)], backgroundColor: '#64748b' }] },
  options: { indexAxis: 'y', plugins: { legend: { display: false } }, scales: { x: axis('decisions (count)'), y: axis('result or decision class') } } });
const pct = v => (v === null ? null : v * 100);
new Chart(document.getElementById('learning'), { type: 'line', data: { labels: report.daily.map(d => d.day + 1), datasets: [
  line('revloop', report.daily.map(d => pct(d.answerRate.loop)), policyColors.loop), line('rules baseline', report.daily.map(d => pct(d.answerRate.rules)), policyColors.rules),
  line('oracle (the ceiling)', report.daily.map(d => pct(d.answerRate.oracle)), policyColors.oracle, { borderDash: [6, 4] }) ] },
  options: { scales: { x: axis('day of the run'), y: axis('answer rate, trailing ' + report.answer_rate_window_days + ' days (%)', { beginAtZero: true, ticks: { callback: v => v + '%' } }) } } });
</script></body></html>`;
}
