// What a person approves, in full: the message (subject and body from the decision's message
// step), where and when it goes (channel, connector action, send time), to whom (the contact and
// the vendor ids the execution addresses), the input the action will be called with, and why it
// waits (the decision class and the policy that holds it, with the policy's expiry). Read-only;
// shared by `revloop approvals show` and the web console.
import type { Runtime } from '../runtime.js';
import { RevloopError } from '../errors.js';
import { listApprovals, type ApprovalView } from './approvals.js';
import { decisionBaseId, policyFor } from './decision-view.js';
import { externalIdsOf } from './engine.js';

export interface ApprovalMessage {
  /** the step row it comes from (the last attempt, after any brand-check retries) */
  step: string;
  subject: string | null;
  body: string | null;
  offer: boolean | null;
}

export interface ApprovalRecipient {
  contactId: string | null;
  email: string | null;
  persona: string | null;
  name: string | null;
  title: string | null;
  accountId: string | null;
  accountName: string | null;
  /** the contact's and the account's ids in each system (the identity map): what the execution addresses */
  contactIds: Record<string, string>;
  accountIds: Record<string, string>;
}

export interface ApprovalDetail extends ApprovalView {
  workflow: string;
  message: ApprovalMessage | null;
  channel: string | null;
  connector: string | null;
  action: string | null;
  sendAt: number | null;
  /** the send time's hour of day (UTC) */
  sendHour: number | null;
  recipient: ApprovalRecipient;
  /** the input the connector action will be called with (templates already filled in) */
  input: unknown;
  gate: { decisionClass: string; policy: string | null; expiresAfterHours: number | null; expiresAt: number | null };
}

export async function approvalDetail(runtime: Runtime, id: string): Promise<ApprovalDetail> {
  const [approval] = await listApprovals(runtime, undefined, id);
  if (!approval) throw new RevloopError('APPROVAL_UNKNOWN', `no approval with id ${id}`, { fix: 'list them with `revloop approvals list`', kind: 'bad_input' });
  const base = decisionBaseId(approval.decisionId);
  const db = runtime.store.db;
  const rows = await db.selectFrom('decisions').select(['id', 'step', 'workflow', 'capability', 'output', 'contact_id', 'account_id']).where('id', '>', `${base}:`).where('id', '<', `${base};`).execute();
  const end = rows.find((r) => r.id === approval.decisionId) ?? rows[0];
  const contactId = end?.contact_id ?? null;
  const accountId = approval.accountId;
  // the resolved person and company (golden records), else the row itself (never resolved)
  const contact = contactId
    ? ((await db.selectFrom('resolved_contacts').select(['email', 'persona', 'first_name', 'last_name', 'title']).where('id', '=', contactId).executeTakeFirst()) ??
      (await db.selectFrom('contacts').select(['email', 'persona', 'first_name', 'last_name', 'title']).where('id', '=', contactId).executeTakeFirst()))
    : undefined;
  const account = accountId
    ? ((await db.selectFrom('resolved_accounts').select(['name']).where('id', '=', accountId).executeTakeFirst()) ?? (await db.selectFrom('accounts').select(['name']).where('id', '=', accountId).executeTakeFirst()))
    : undefined;
  const ids = await externalIdsOf(runtime, [contactId, accountId].filter((x): x is string => !!x));
  const planned = approval.planned;
  const policy = policyFor(runtime, approval.decisionClass);
  const name = [contact?.first_name, contact?.last_name].filter(Boolean).join(' ');
  return {
    ...approval,
    workflow: end?.workflow ?? '',
    message: messageOf(rows),
    channel: planned?.channel ?? null,
    connector: planned?.connector ?? null,
    action: planned?.action ?? null,
    sendAt: planned?.sendAt ?? null,
    sendHour: planned ? new Date(planned.sendAt).getUTCHours() : null,
    recipient: {
      contactId,
      email: contact?.email ?? null,
      persona: contact?.persona ?? null,
      name: name || null,
      title: contact?.title ?? null,
      accountId,
      accountName: account?.name ?? null,
      contactIds: contactId ? ids(contactId) : {},
      accountIds: accountId ? ids(accountId) : {},
    },
    input: planned?.input ?? null,
    gate: { decisionClass: approval.decisionClass, policy: policy?.name ?? null, expiresAfterHours: policy?.expiresAfterHours ?? null, expiresAt: approval.expiresAt },
  };
}

/** the message step's last attempt: the row whose capability's task is "message", highest #n */
function messageOf(rows: { step: string; capability: string | null; output: string | null }[]): ApprovalMessage | null {
  const attempt = (step: string) => Number(step.split('#')[1] ?? 0) || 0;
  const messages = rows.filter((r) => r.capability?.split('/')[1] === 'message' && r.output && !r.step.includes(':')).sort((a, b) => attempt(b.step) - attempt(a.step));
  const row = messages[0];
  if (!row) return null;
  let out: { subject?: unknown; body?: unknown; offer?: unknown } = {};
  try {
    out = JSON.parse(row.output!) as typeof out;
  } catch {
    // a model that wrote no JSON: shown as missing
  }
  return { step: row.step, subject: typeof out.subject === 'string' ? out.subject : null, body: typeof out.body === 'string' ? out.body : null, offer: typeof out.offer === 'boolean' ? out.offer : null };
}
