// The HTML report of a run: one self-contained file (Chart.js inlined, no network) that a RevOps
// person opens in a browser.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { RunReport } from '@revloop/evaluation';

function chartJsSource(): string {
  const require = createRequire(import.meta.url);
  return readFileSync(join(dirname(require.resolve('chart.js')), 'chart.umd.min.js'), 'utf8');
}

const esc = (s: string) => s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);
const money = (n: number | null) => (n === null ? '—' : `$${Math.round(n).toLocaleString('en-US')}`);

function learningSeries(report: RunReport): { label: string; points: { x: number; y: number }[] }[] {
  const series = new Map<string, { x: number; y: number }[]>();
  for (const d of report.daily) {
    for (const [model, metrics] of Object.entries(d.learning)) {
      for (const [metric, value] of Object.entries(metrics)) {
        if (!Number.isFinite(value) || metric === 'examples') continue;
        const key = `${model} ${metric}`;
        const list = series.get(key) ?? [];
        list.push({ x: d.day, y: value });
        series.set(key, list);
      }
    }
  }
  // rates and losses (0..~2) make a learning curve; counts (examples, batch sizes) would flatten it
  return [...series].filter(([, points]) => points.some((p) => p.y !== 0) && points.every((p) => Math.abs(p.y) <= 5)).map(([label, points]) => ({ label, points }));
}

export function renderReportHtml(report: RunReport): string {
  const data = JSON.stringify({ report, learning: learningSeries(report) }).replace(/</g, '\\u003c');
  const kpi = (label: string, value: string, sub = '') => `<div class="kpi"><div class="label">${esc(label)}</div><div class="value">${esc(value)}</div><div class="sub">${esc(sub)}</div></div>`;
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
.grid{display:grid;grid-template-columns:repeat(auto-fit,minmax(520px,1fr));gap:16px}
section{background:#fff;border-radius:8px;padding:14px 16px;box-shadow:0 1px 2px #0001}section h2{font-size:15px;margin:0 0 8px}
canvas{max-height:300px}table{border-collapse:collapse;width:100%}td,th{padding:4px 8px;border-bottom:1px solid #eceef2;text-align:right}td:first-child,th:first-child{text-align:left}
</style></head><body>
<header><h1>revloop closed-loop run</h1><p>${report.scenario.accounts.toLocaleString('en-US')} accounts · ${report.scenario.days} simulated days · seed ${report.scenario.seed} · via ${report.via === 'connectors' ? 'the vendor connectors (HubSpot, Salesforce, LinkedIn Ads, Google Ads emulators)' : 'direct market access (no vendor APIs)'} · compared with a rules baseline and the simulator's oracle on the same action budget</p></header>
<main>
<div class="kpis">
${kpi('Closed-won revenue', money(report.revenue), `baseline ${money(report.baseline.revenue)} · oracle ${money(report.oracle.revenue)}`)}
${kpi('Revenue per marketing $', report.revenue_per_dollar.toFixed(2), report.lift_vs_baseline === null ? 'baseline has no revenue yet' : `${((report.lift_vs_baseline - 1) * 100).toFixed(0)}% vs baseline`)}
${kpi('Share of oracle', report.share_of_oracle === null ? '—' : `${(report.share_of_oracle * 100).toFixed(0)}%`, report.share_of_oracle === null ? 'oracle has no revenue yet' : 'closed-won revenue')}
${kpi('CAC', money(report.cac), `baseline ${money(report.baseline.cac)}`)}
${kpi('Closed-won deals', String(report.closed_won), `${report.opportunities} opportunities`)}
${kpi('Decisions', report.decisions.total.toLocaleString('en-US'), `${report.decisions.executed} executed · ${report.decisions.per_second.toLocaleString('en-US')}/s`)}
</div>
<div class="grid">
<section><h2>Closed-won revenue over time</h2><canvas id="revenue"></canvas></section>
<section><h2>Open pipeline and marketing spend</h2><canvas id="pipeline"></canvas></section>
<section><h2>Revenue per marketing dollar and CAC</h2><canvas id="efficiency"></canvas></section>
<section><h2>Executions by channel</h2><canvas id="channels"></canvas></section>
<section><h2>Decisions by result and class</h2><canvas id="decisions"></canvas></section>
<section><h2>Learning curve</h2><canvas id="learning"></canvas><p id="nolearning" hidden>No model update yet: outcomes had not arrived.</p></section>
<section><h2>Summary</h2><table>
<tr><th></th><th>revloop</th><th>rules baseline</th><th>oracle</th></tr>
<tr><td>Closed-won revenue</td><td>${money(report.revenue)}</td><td>${money(report.baseline.revenue)}</td><td>${money(report.oracle.revenue)}</td></tr>
<tr><td>Marketing spend</td><td>${money(report.spend)}</td><td>${money(report.baseline.spend)}</td><td>${money(report.oracle.spend)}</td></tr>
<tr><td>Revenue per $</td><td>${report.revenue_per_dollar}</td><td>${report.baseline.revenue_per_dollar}</td><td>${report.oracle.revenue_per_dollar}</td></tr>
<tr><td>CAC</td><td>${money(report.cac)}</td><td>${money(report.baseline.cac)}</td><td>${money(report.oracle.cac)}</td></tr>
<tr><td>Closed-won deals</td><td>${report.closed_won}</td><td>${report.baseline.closed_won}</td><td>${report.oracle.closed_won}</td></tr>
<tr><td>Approvals (approved / rejected)</td><td>${report.approvals.approved} / ${report.approvals.rejected}</td><td>—</td><td>—</td></tr>
<tr><td>Model spend</td><td>$${report.model_cost_usd.toFixed(4)}</td><td>—</td><td>—</td></tr>
</table></section>
</div></main>
<script>${chartJsSource()}</script>
<script id="data" type="application/json">${data}</script>
<script>
const { report, learning } = JSON.parse(document.getElementById('data').textContent);
const days = report.daily.map(d => d.date);
const line = (label, data, color, extra = {}) => ({ label, data, borderColor: color, backgroundColor: color, pointRadius: 0, tension: .2, ...extra });
new Chart(document.getElementById('revenue'), { type: 'line', data: { labels: days, datasets: [
  line('revloop', report.daily.map(d => d.revenue), '#2563eb'), line('rules baseline', report.daily.map(d => d.baselineRevenue), '#9ca3af'), line('oracle', report.daily.map(d => d.oracleRevenue), '#16a34a', { borderDash: [6, 4] }) ] } });
new Chart(document.getElementById('pipeline'), { type: 'line', data: { labels: days, datasets: [
  line('open pipeline ($)', report.daily.map(d => d.pipelineOpen), '#7c3aed'), line('cumulative spend ($)', report.daily.map(d => d.spend), '#f59e0b') ] } });
new Chart(document.getElementById('efficiency'), { type: 'bar', data: { labels: ['revloop', 'rules baseline', 'oracle'], datasets: [
  { label: 'revenue per $', data: [report.revenue_per_dollar, report.baseline.revenue_per_dollar, report.oracle.revenue_per_dollar], backgroundColor: '#2563eb', yAxisID: 'y' },
  { label: 'CAC ($)', data: [report.cac, report.baseline.cac, report.oracle.cac], backgroundColor: '#f59e0b', yAxisID: 'y1' } ] },
  options: { scales: { y: { position: 'left' }, y1: { position: 'right', grid: { drawOnChartArea: false } } } } });
new Chart(document.getElementById('channels'), { type: 'doughnut', data: { labels: Object.keys(report.by_channel), datasets: [{ data: Object.values(report.by_channel), backgroundColor: ['#2563eb', '#0ea5e9', '#16a34a', '#f59e0b'] }] } });
const results = { executed: report.decisions.executed, 'no action': report.decisions.no_action, dropped: report.decisions.dropped, 'waited for approval': report.decisions.pending_approval, deferred: report.decisions.deferred, failed: report.decisions.failed };
const classes = Object.fromEntries(Object.entries(report.by_class).map(([k, v]) => ['class: ' + k, v]));
new Chart(document.getElementById('decisions'), { type: 'bar', data: { labels: [...Object.keys(results), ...Object.keys(classes)], datasets: [{ label: 'decisions', data: [...Object.values(results), ...Object.values(classes)], backgroundColor: '#64748b' }] }, options: { indexAxis: 'y' } });
if (learning.length) new Chart(document.getElementById('learning'), { type: 'line', data: { datasets: learning.map((s, i) => line(s.label, s.points, ['#2563eb', '#16a34a', '#f59e0b', '#7c3aed', '#dc2626', '#0ea5e9'][i % 6])) }, options: { scales: { x: { type: 'linear', title: { display: true, text: 'day' } } } } });
else document.getElementById('nolearning').hidden = false;
</script></body></html>`;
}
