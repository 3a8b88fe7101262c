// `revloop approvals list|show|approve|reject`: the human in the loop. Who decided and why are
// recorded; an approved decision executes at once, a rejected or expired one never does.
import { decideApproval, listApprovals, RevloopError, type ApprovalView } from '@revloop/core';
import { loadCliConfig, openRuntime, type GlobalOptions } from '../context.js';
import { out, outJson, table, time } from '../output.js';

const states = ['pending', 'approved', 'rejected', 'expired'];

async function withRuntime<T>(opts: GlobalOptions, fn: (runtime: Awaited<ReturnType<typeof openRuntime>>) => Promise<T>): Promise<T> {
  const runtime = await openRuntime(await loadCliConfig(opts));
  try {
    await runtime.store.migrate();
    return await fn(runtime);
  } finally {
    await runtime.close();
  }
}

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

export async function approvalsShowCommand(id: string, opts: GlobalOptions): Promise<number> {
  return withRuntime(opts, async (runtime) => {
    const [found] = await listApprovals(runtime, undefined, id);
    if (!found) throw new RevloopError('APPROVAL_UNKNOWN', `no approval with id ${id}`, { fix: 'list them with `revloop approvals list`', kind: 'bad_input' });
    if (opts.json) outJson(found);
    else out(`${renderApprovals([found])}\n\nplanned execution:\n${JSON.stringify(found.planned, null, 2)}${found.reason ? `\n\nreason: ${found.reason}` : ''}`);
    return 0;
  });
}

export async function approvalsDecideCommand(id: string, verdict: 'approve' | 'reject', opts: GlobalOptions & { by?: string; reason?: string }): Promise<number> {
  return withRuntime(opts, async (runtime) => {
    const result = await decideApproval(runtime, id, verdict, opts.by ?? '', opts.reason ?? '');
    if (opts.json) outJson(result);
    else out(`${id}: ${result.state} by ${result.decidedBy} (${result.reason})`);
    return 0;
  });
}
