// The loop's last step: outcomes go back to the ad platforms as offline conversions, so their
// bidding learns what revloop's CRM knows (an opportunity, a closed-won deal and its value). Each
// of a workflow's `conversions` uploads reads the outcomes recorded since its cursor, fills one
// item per outcome from its template and calls the connector action in batches. The cursor moves
// only after a batch was accepted: a failed upload is retried by the next cycle, and the action's
// own idempotency (LinkedIn's eventId, Google's per-conversion key) keeps a resend from counting twice.
import type { Runtime } from '../runtime.js';
import { errorMessage } from '../errors.js';
import { fillTemplate } from '../workflow/template.js';
import type { WorkflowConfig } from '../workflow/schema.js';
import { defaultExecutor, externalIdsOf, type Executor } from '../workflow/engine.js';
import { membersOf } from '../identity/lookup.js';

export interface ConversionUploadSummary {
  action: string;
  /** outcomes sent in accepted batches */
  uploaded: number;
  /** outcomes of a batch the action refused (retried by the next cycle) */
  failed: number;
  error?: string;
}

interface Cursor {
  at: number;
  id: string;
}

type ConversionUpload = WorkflowConfig['conversions'][number];

/** drops null and undefined fields: a template's optional value absent for this outcome */
function compact(item: unknown): unknown {
  if (!item || typeof item !== 'object' || Array.isArray(item)) return item;
  return Object.fromEntries(Object.entries(item).filter(([, v]) => v !== null && v !== undefined));
}

async function uploadOne(runtime: Runtime, workflowName: string, upload: ConversionUpload, executor: Executor): Promise<ConversionUploadSummary> {
  const state = runtime.contextFor({ name: `conversions:${workflowName}`, definition: { kind: 'plugin' } as never, config: {}, enabled: true }).state;
  const key = `cursor:${upload.action}`;
  const cursor = (await state.get<Cursor>(key)) ?? { at: 0, id: '' };
  const summary: ConversionUploadSummary = { action: upload.action, uploaded: 0, failed: 0 };
  const [connector, action] = upload.action.split('.') as [string, string];

  let query = runtime.store.db
    .selectFrom('outcomes')
    .leftJoin('decisions', 'decisions.id', 'outcomes.decision_id')
    .select(['outcomes.id', 'outcomes.kind', 'outcomes.account_id', 'outcomes.opportunity_id', 'outcomes.value_micros', 'outcomes.occurred_at', 'outcomes.created_at', 'decisions.contact_id', 'decisions.workflow'])
    .where('outcomes.kind', 'in', upload.kinds)
    .where((eb) => eb.or([eb('outcomes.created_at', '>', cursor.at), eb.and([eb('outcomes.created_at', '=', cursor.at), eb('outcomes.id', '>', cursor.id)])]))
    .orderBy('outcomes.created_at')
    .orderBy('outcomes.id')
    .limit(upload.maxBatch);
  if (upload.attributedOnly) query = query.where('decisions.workflow', '=', workflowName);
  const rows = await query.execute();
  if (!rows.length) return summary;

  // the person a conversion is matched on: the decision's contact, else the account's first with an email
  const accounts = [...new Set(rows.map((r) => r.account_id).filter((x): x is string => !!x))];
  // the accounts' rows in every connector, and their people as resolved persons
  const { entityOf } = await membersOf(runtime.store, 'account', accounts);
  const rowIds = [...entityOf.keys()];
  const found = rowIds.length ? await runtime.store.db.selectFrom('contacts').select(['id', 'account_id', 'email', 'persona', 'resolved_id']).where('account_id', 'in', rowIds).where('deleted', '=', 0).orderBy('id').execute() : [];
  const contacts = found.map((c) => ({ ...c, id: c.resolved_id ?? c.id, account_id: c.account_id ? (entityOf.get(c.account_id) ?? c.account_id) : null }));
  const byId = new Map(contacts.map((c) => [c.id, c]));
  const firstOf = new Map<string, (typeof contacts)[number]>();
  for (const c of contacts) if (c.email && c.account_id && !firstOf.has(c.account_id)) firstOf.set(c.account_id, c);
  const idsOf = await externalIdsOf(runtime, [...accounts, ...byId.keys()]);

  const items = rows.map((o) => {
    const contact = (o.contact_id ? byId.get(o.contact_id) : undefined) ?? (o.account_id ? firstOf.get(o.account_id) : undefined);
    return compact(
      fillTemplate(upload.item, {
        outcome: { id: o.id, kind: o.kind, occurredAt: Number(o.occurred_at), valueMicros: o.value_micros === null ? null : Number(o.value_micros), opportunityId: o.opportunity_id },
        account: { id: o.account_id, ids: o.account_id ? idsOf(o.account_id) : {} },
        contact: contact ? { id: contact.id, email: contact.email, persona: contact.persona, ids: idsOf(contact.id) } : { ids: {} },
      }),
    );
  });
  try {
    const r = await executor(connector, action, { [upload.batch]: items });
    if (!r.ok) throw new Error(r.error ?? 'the upload failed');
  } catch (e) {
    summary.failed = items.length;
    summary.error = runtime.loaded.redactor.text(errorMessage(e));
    runtime.log.warn({ workflow: workflowName, action: upload.action, error: summary.error }, 'conversion upload failed; the next cycle retries it');
    return summary;
  }
  const last = rows[rows.length - 1]!;
  await state.set(key, { at: Number(last.created_at), id: last.id } satisfies Cursor);
  summary.uploaded = items.length;
  return summary;
}

export async function uploadConversions(runtime: Runtime, workflowName: string, executor: Executor = defaultExecutor(runtime)): Promise<ConversionUploadSummary[]> {
  const workflow = runtime.loaded.config.workflows[workflowName] as WorkflowConfig;
  const out: ConversionUploadSummary[] = [];
  for (const upload of workflow.conversions ?? []) out.push(await uploadOne(runtime, workflowName, upload, executor));
  return out;
}
