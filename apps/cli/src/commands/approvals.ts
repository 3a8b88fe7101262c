// `revloop approvals list|show|approve|reject`: the human in the loop. Who decided and why are
// recorded; an approved decision executes at once, a rejected or expired one never does.
import { approvalDetail, decideApproval, decisionBaseId, listApprovals, RevloopError, type ApprovalDecision, type ApprovalDetail, type ApprovalView } from '@revloop/core';
import { withRuntime, type GlobalOptions } from '../context.js';
import { err, out, outJson, table, time } from '../output.js';

const states = ['pending', 'approved', 'rejected', 'expired'];

export function renderApprovals(list: ApprovalView[]): string {
  if (!list.length) return 'no approvals';
  return table(list, [
    { header: 'id', value: (a) => a.id },
    { header: 'state', value: (a) => a.state },
    { header: 'class', value: (a) => a.decisionClass },
    { header: 'account', value: (a) => a.accountId },
    { header: 'action', value: (a) => (a.planned ? `${a.planned.connector}.${a.planned.action} (${a.planned.channel})` : '-') },
    { header: 'requested', value: (a) => time(a.requestedAt) },
    { header: 'expires', value: (a) => time(a.expiresAt) },
    { header: 'decided by', value: (a) => a.decidedBy },
  ]);
}

export async function approvalsListCommand(opts: GlobalOptions & { state?: string }): Promise<number> {
  if (opts.state && !states.includes(opts.state)) {
    throw new RevloopError('BAD_ARGUMENT', `--state must be one of ${states.join(', ')}, not "${opts.state}"`, { where: '--state', fix: 'pass --state pending', kind: 'bad_input' });
  }
  return withRuntime(opts, async (runtime) => {
    const list = await listApprovals(runtime, opts.state);
    if (opts.json) outJson(list);
    else out(renderApprovals(list));
    return 0;
  });
}

/** what the person approves: the message, where, when, to whom, the action's input and why it waits */
export function renderApprovalDetail(a: ApprovalDetail): string {
  const ids = (x: Record<string, string>) => Object.entries(x).map(([system, id]) => `${system}:${id}${system === a.connector ? ' (addressed)' : ''}`).join(', ') || '-';
  const r = a.recipient;
  const lines = [
    `approval ${a.id}: ${a.state}   decision ${decisionBaseId(a.decisionId)} (${a.workflow || '-'})`,
    '',
    'message',
    `  subject   ${a.message?.subject ?? '-'}`,
    `  body      ${a.message?.body === null || a.message?.body === undefined ? '-' : a.message.body.split('\n').join('\n            ')}`,
    `  offer     ${a.message?.offer === null || a.message?.offer === undefined ? '-' : a.message.offer ? 'yes' : 'no'}${a.message ? `   (from step ${a.message.step})` : ''}`,
    '',
    'delivery',
    `  channel   ${a.channel ?? '-'}`,
    `  action    ${a.connector ? `${a.connector}.${a.action}` : '-'}`,
    `  send at   ${a.sendAt === null ? '-' : `${new Date(a.sendAt).toISOString()} (hour ${a.sendHour} UTC)`}`,
    '',
    'recipient',
    `  contact   ${r.contactId ?? '-'}  ${r.email ?? '(no email)'}  persona ${r.persona ?? '-'}${r.name ? `  ${r.name}` : ''}${r.title ? `, ${r.title}` : ''}`,
    `            vendor ids: ${ids(r.contactIds)}`,
    `  account   ${r.accountId ?? '-'}${r.accountName ? `  ${r.accountName}` : ''}`,
    `            vendor ids: ${ids(r.accountIds)}`,
    '',
    'why it waits',
    `  class     ${a.gate.decisionClass}`,
    `  policy    ${a.gate.policy ? `${a.gate.policy} (expires after ${a.gate.expiresAfterHours} h)` : '(no policy of the current config names this class)'}`,
    `  requested ${time(a.requestedAt)}   expires ${time(a.gate.expiresAt)}`,
  ];
  if (a.decidedAt !== null) lines.push(`  decided   ${time(a.decidedAt)} by ${a.decidedBy ?? '-'}: ${a.reason ?? '-'}`);
  lines.push('', 'planned execution: the input the connector action will be called with', JSON.stringify(a.input, null, 2).split('\n').map((l) => `  ${l}`).join('\n'));
  return lines.join('\n');
}

export async function approvalsShowCommand(id: string, opts: GlobalOptions): Promise<number> {
  return withRuntime(opts, async (runtime) => {
    const detail = await approvalDetail(runtime, id);
    if (opts.json) outJson(detail);
    else out(renderApprovalDetail(detail));
    return 0;
  });
}

/** the decision line, and what the execution did: exit 1 when an approved decision's execution failed */
export function renderDecided(id: string, r: ApprovalDecision): string {
  const line = `${id}: ${r.state} by ${r.decidedBy} (${r.reason})`;
  const x = r.execution;
  if (!x) return line;
  const what = `${x.connector}.${x.action}`;
  if (!x.ok) return `${line}\nexecution ${what}: FAILED — ${x.error ?? 'no error message'}`;
  return `${line}\nexecution ${what}: ok${x.replayed ? ' (replayed: it had run before)' : ''}${x.result === undefined ? '' : `\nresult ${JSON.stringify(x.result)}`}`;
}

export async function approvalsDecideCommand(id: string, verdict: 'approve' | 'reject', opts: GlobalOptions & { by?: string; reason?: string }): Promise<number> {
  return withRuntime(opts, async (runtime) => {
    const result = await decideApproval(runtime, id, verdict, opts.by ?? '', opts.reason ?? '');
    const failed = !!result.execution && !result.execution.ok;
    if (opts.json) outJson(result);
    else out(renderDecided(id, result));
    if (failed) {
      const x = result.execution!;
      err(
        new RevloopError('EXECUTION_FAILED', `approval ${id} is recorded, but its execution failed: ${x.error ?? 'no error message'}`, {
          where: `${x.connector}.${x.action}`,
          fix: `the decision is marked failed and is not retried; see \`revloop decisions show ${decisionBaseId(result.decisionId)}\`, and check the connector with \`revloop check\``,
        }).describe(),
      );
    }
    return failed ? 1 : 0;
  });
}
