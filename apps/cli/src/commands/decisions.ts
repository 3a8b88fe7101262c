// `revloop decisions list|show`: the decision log as a person reads it. One line per account
// decision (how it ended, where it went, what it cost, what came of it), and everything about one
// decision: its inputs, every step with model and version, the approval, the execution per system
// and the outcomes joined to it. The queries live in @revloop/core (workflow/decision-view.ts).
import { listDecisions, parseDecisionStatus, parseTimeBound, RevloopError, showDecision, type DecisionDetail, type DecisionOutcome, type DecisionSummary } from '@revloop/core';
import { withRuntime, type GlobalOptions } from '../context.js';
import { out, outJson, table, time } from '../output.js';

export interface DecisionsListOptions extends GlobalOptions {
  account?: string;
  workflow?: string;
  status?: string;
  since?: string;
  until?: string;
  limit?: string;
}

function parseLimit(text: string | undefined): number {
  if (text === undefined) return 50;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) throw new RevloopError('BAD_ARGUMENT', `--limit must be a whole number above 0, not "${text}"`, { where: '--limit', fix: 'pass --limit 50', kind: 'bad_input' });
  return n;
}

/** dollars from micros: cents for amounts, four decimals for model costs below a cent */
export function usd(micros: number | null | undefined): string {
  if (micros === null || micros === undefined) return '-';
  const dollars = micros / 1e6;
  return Math.abs(dollars) >= 1 || dollars === 0 ? `$${dollars.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}` : `$${dollars.toFixed(4)}`;
}

const outcomeRank = ['closed_won', 'opportunity_created', 'ad_conversion'];

/** the furthest outcome (closed-won before an opportunity), with the count of the others */
export function outcomeText(outcomes: DecisionOutcome[]): string {
  if (!outcomes.length) return '-';
  const rank = (k: string) => (outcomeRank.includes(k) ? outcomeRank.indexOf(k) : outcomeRank.length);
  const best = [...outcomes].sort((a, b) => rank(a.kind) - rank(b.kind))[0]!;
  return `${best.kind}${best.valueMicros ? ` ${usd(best.valueMicros)}` : ''}${outcomes.length > 1 ? ` (+${outcomes.length - 1})` : ''}`;
}

export function renderDecisions(list: DecisionSummary[]): string {
  if (!list.length) return 'no decisions (they are made by `revloop run`, `revloop serve` schedules, or a workflow run)';
  return table(list, [
    { header: 'id', value: (d) => d.id },
    { header: 'time', value: (d) => time(d.at) },
    { header: 'workflow', value: (d) => d.workflow },
    { header: 'account', value: (d) => d.accountId },
    { header: 'status', value: (d) => d.status },
    { header: 'channel/action', value: (d) => (d.connector ? `${d.channel} → ${d.connector}.${d.action}` : '-') },
    { header: 'class', value: (d) => d.decisionClass },
    { header: 'approval', value: (d) => d.approvalState },
    { header: 'cost', value: (d) => usd(d.costMicros), align: 'right' },
    { header: 'outcome', value: (d) => outcomeText(d.outcomes) },
    { header: 'note', value: (d) => (d.note ? d.note.slice(0, 60) : '') },
  ]);
}

export async function decisionsListCommand(opts: DecisionsListOptions): Promise<number> {
  // bad input is refused before the config is loaded and the database opened
  const status = opts.status === undefined ? undefined : parseDecisionStatus(opts.status, '--status');
  const limit = parseLimit(opts.limit);
  // the bounds' form is checked here; their times are read on the runtime's clock below
  if (opts.since !== undefined) parseTimeBound(opts.since, 0, '--since');
  if (opts.until !== undefined) parseTimeBound(opts.until, 0, '--until');
  return withRuntime(opts, async (runtime) => {
    const clockNow = runtime.clock.now();
    const list = await listDecisions(runtime, {
      accountId: opts.account,
      workflow: opts.workflow,
      status,
      since: opts.since === undefined ? undefined : parseTimeBound(opts.since, clockNow, '--since'),
      until: opts.until === undefined ? undefined : parseTimeBound(opts.until, clockNow, '--until'),
      limit,
    });
    if (opts.json) outJson(list);
    else out(renderDecisions(list));
    return 0;
  });
}

const json = (v: unknown) => JSON.stringify(v, null, 2);
const indent = (text: string, by = '  ') => text.split('\n').map((l) => by + l).join('\n');

export function renderDecision(d: DecisionDetail): string {
  const lines: string[] = [];
  lines.push(`decision ${d.id}  (${d.workflow}, account ${d.accountId ?? '-'}${d.contactId ? `, contact ${d.contactId}` : ''})`);
  lines.push(`  decided   ${time(d.at)}   updated ${time(d.updatedAt)}`);
  lines.push(`  status    ${d.status}${d.note ? ` — ${d.note}` : ''}   (end row ${d.endRowId})`);
  lines.push(`  class     ${d.decisionClass ?? '-'}   approval ${d.approvalState}`);
  lines.push(`  cost      ${usd(d.costMicros)} over ${d.steps.length} step rows`);
  lines.push('', 'inputs (features of the first step)' + (d.inputHash ? `  hash ${d.inputHash}` : ''), d.inputs === null ? '  -' : indent(json(d.inputs)));
  lines.push('', 'steps');
  lines.push(indent(table(d.steps, [
    { header: 'step', value: (s) => s.step },
    { header: 'status', value: (s) => s.status },
    { header: 'capability', value: (s) => s.capability },
    { header: 'model', value: (s) => s.model },
    { header: 'version', value: (s) => s.modelVersion },
    { header: 'cost', value: (s) => usd(s.costMicros), align: 'right' },
    { header: 'latency ms', value: (s) => (s.latencyMs === null ? '-' : s.latencyMs.toFixed(1)), align: 'right' },
    { header: 'output', value: (s) => (s.output === null ? '-' : JSON.stringify(s.output).slice(0, 100)) },
  ])));
  if (d.approval) {
    const a = d.approval;
    lines.push('', `approval ${a.id}: ${a.state} (class ${a.decisionClass}${a.policy ? `, policy ${a.policy}` : ''})`);
    lines.push(`  requested ${time(a.requestedAt)}   expires ${time(a.expiresAt)}`);
    if (a.decidedAt !== null) lines.push(`  decided   ${time(a.decidedAt)} by ${a.decidedBy ?? '-'}: ${a.reason ?? '-'}`);
  }
  lines.push('', 'planned execution', d.planned ? indent(`${d.planned.channel} → ${d.planned.connector}.${d.planned.action} at ${time(d.planned.sendAt)}\ninput ${json(d.planned.input ?? null)}`) : '  - (the decision did not get to an execution)');
  lines.push('', 'execution');
  if (!d.execution) lines.push('  - (nothing was sent)');
  else for (const [system, r] of Object.entries(d.execution)) lines.push(indent(`${system}: ${r.ok ? 'ok' : 'FAILED'}${r.replayed ? ' (replayed)' : ''}${r.error ? ` — ${r.error}` : ''}${r.result !== undefined ? `\nresult ${json(r.result)}` : ''}`));
  lines.push('', 'outcomes');
  if (!d.outcomes.length) lines.push('  - (none joined yet)');
  else lines.push(indent(table(d.outcomes, [
    { header: 'kind', value: (o) => o.kind },
    { header: 'value', value: (o) => usd(o.valueMicros), align: 'right' },
    { header: 'occurred', value: (o) => time(o.occurredAt) },
    { header: 'opportunity', value: (o) => o.opportunityId },
    { header: 'source', value: (o) => o.source },
  ])));
  return lines.join('\n');
}

export async function decisionsShowCommand(id: string, opts: GlobalOptions): Promise<number> {
  return withRuntime(opts, async (runtime) => {
    const d = await showDecision(runtime, id);
    if (opts.json) outJson(d);
    else out(renderDecision(d));
    return 0;
  });
}
