// The feedback loop: outcomes synced from the CRM (opportunity created, closed-won with amount)
// are recorded once, joined to the executed decision that touched the account within the
// attribution window, and handed to the models that made the decision — when outcomes arrive,
// not on a calendar. Executed decisions that saw no outcome within the window teach too (reward 0).
import type { Runtime } from '../runtime.js';
import type { WorkflowConfig } from './schema.js';
import { isCapabilityStep } from './schema.js';
import { route } from './router.js';
import type { AccountFeatures, Channel, FeedbackExample, ModelUpdate } from './tasks.js';
import { decisionEndRows } from '@revloop/store';
import { membersOf, resolvedIdsOf } from '../identity/lookup.js';
import { oneRowPerDeal } from '../identity/deals.js';

const DAY = 86_400_000;

export interface LearnSummary {
  newOutcomes: number;
  attributed: number;
  examples: number;
  updates: { model: string; task: string; version: string; metrics: Record<string, number> }[];
}

/** Record outcomes from synced opportunities (idempotent: one row per opportunity and kind). */
async function recordOutcomes(runtime: Runtime, windowMs: number): Promise<number> {
  const now = runtime.clock.now();
  const all = await runtime.store.db.selectFrom('opportunities').select(['id', 'account_id', 'name', 'created_at', 'updated_at', 'is_won', 'is_closed', 'amount_micros']).where('deleted', '=', 0).where('updated_at', '>', now - windowMs - 90 * DAY).execute();
  // outcomes belong to the resolved account; one deal kept in two CRMs (same account, same name) is one outcome
  const opps = await oneRowPerDeal(runtime.store, all);
  const rows = [];
  for (const o of opps) {
    rows.push({ id: `out_oc_${o.id}`, account_id: o.account_id, opportunity_id: o.id, decision_id: null, kind: 'opportunity_created', value_micros: null, source: 'crm', attributes: null, occurred_at: Number(o.created_at ?? o.updated_at ?? now), created_at: now });
    if (o.is_closed && o.is_won) rows.push({ id: `out_cw_${o.id}`, account_id: o.account_id, opportunity_id: o.id, decision_id: null, kind: 'closed_won', value_micros: o.amount_micros, source: 'crm', attributes: null, occurred_at: Number(o.updated_at ?? now), created_at: now });
  }
  let inserted = 0;
  for (let i = 0; i < rows.length; i += 200) {
    const r = await runtime.store.db.insertInto('outcomes').values(rows.slice(i, i + 200)).onConflict((oc) => oc.column('id').doNothing()).executeTakeFirst();
    inserted += Number(r.numInsertedOrUpdatedRows ?? 0);
  }
  return inserted;
}

export async function learnFromOutcomes(runtime: Runtime, workflowName: string): Promise<LearnSummary> {
  const workflow = runtime.loaded.config.workflows[workflowName] as WorkflowConfig;
  const windowMs = workflow.attributionWindowDays * DAY;
  const now = runtime.clock.now();
  const newOutcomes = await recordOutcomes(runtime, windowMs);
  const state = runtime.contextFor({ name: `feedback:${workflowName}`, definition: { kind: 'plugin' } as never, config: {}, enabled: true });

  // join outcomes not yet attributed to the latest executed decision within the window before them
  const open = await runtime.store.db.selectFrom('outcomes').selectAll().where('decision_id', 'is', null).where('occurred_at', '>', now - windowMs - 90 * DAY).execute();
  const executed = await runtime.store.db
    .selectFrom('decisions')
    .select(['id', 'account_id', 'created_at', 'idempotency_key', 'step'])
    .where('workflow', '=', workflowName)
    .where(decisionEndRows)
    .where('status', '=', 'executed')
    .where('created_at', '>', now - windowMs - 120 * DAY)
    .execute();
  // an outcome recorded before its account was resolved with others: joined through the entity it belongs to now
  const outcomeEntity = await resolvedIdsOf(runtime.store, 'account', open.map((o) => o.account_id).filter((x): x is string => !!x));
  const byAccount = new Map<string, typeof executed>();
  for (const d of executed) {
    const list = byAccount.get(d.account_id!) ?? [];
    list.push(d);
    byAccount.set(d.account_id!, list);
  }
  const examples: FeedbackExample[] = [];
  const rewarded = new Set<string>();
  let attributed = 0;
  for (const o of open) {
    const occurred = Number(o.occurred_at);
    const candidates = (byAccount.get(outcomeEntity.get(o.account_id!) ?? o.account_id!) ?? []).filter((d) => Number(d.created_at) <= occurred && occurred - Number(d.created_at) <= windowMs);
    const decision = candidates.sort((a, b) => Number(b.created_at) - Number(a.created_at))[0];
    if (!decision) continue;
    await runtime.store.db.updateTable('outcomes').set({ decision_id: decision.id }).where('id', '=', o.id).execute();
    attributed++;
    if (!rewarded.has(decision.id)) {
      rewarded.add(decision.id);
      const ex = await exampleFor(runtime, workflow, decision.idempotency_key, decision.step, decision.id, o.account_id!, 1, Number(o.value_micros ?? 0), o.kind as FeedbackExample['outcome']);
      if (ex) examples.push(ex);
    }
  }

  // executed decisions whose window closed without an outcome: reward 0, once
  const cutoff = (await state.state.get<number>('negativeCutoff')) ?? 0;
  const closedBefore = now - windowMs;
  const attributedIds = new Set((await runtime.store.db.selectFrom('outcomes').select('decision_id').where('decision_id', 'is not', null).execute()).map((r) => r.decision_id!));
  for (const d of executed) {
    const at = Number(d.created_at);
    if (at > cutoff && at <= closedBefore && !attributedIds.has(d.id)) {
      const ex = await exampleFor(runtime, workflow, d.idempotency_key, d.step, d.id, d.account_id!, 0, 0, 'none');
      if (ex) examples.push(ex);
    }
  }
  if (closedBefore > cutoff) await state.state.set('negativeCutoff', closedBefore);

  examples.push(...(await engagementExamples(runtime, workflowName, workflow, state.state, now)));

  const updates: LearnSummary['updates'] = [];
  if (examples.length) {
    const seen = new Set<string>();
    for (const step of workflow.steps) {
      if (!isCapabilityStep(step)) continue;
      const r = route(runtime.registry, step.capability, step.task, step.minQuality, `workflows.${workflowName}`);
      const key = `${r.instance.name}/${r.capability.task}`;
      if (seen.has(key) || !r.capability.update) continue;
      seen.add(key);
      const result = (await r.capability.update(runtime.contextFor(r.instance), examples)) as ModelUpdate | void;
      if (result) {
        await runtime.store.db.updateTable('model_versions').set({ active: 0 }).where('model', '=', r.instance.name).where('capability', '=', key).execute();
        await runtime.store.db
          .insertInto('model_versions')
          .values({ id: `${key}@${result.version}`, model: r.instance.name, version: result.version, capability: key, trained_at: now, window_start: result.windowStart ?? null, window_end: result.windowEnd ?? now, metrics: JSON.stringify(result.metrics), params: null, active: 1 })
          .onConflict((oc) => oc.column('id').doUpdateSet({ trained_at: now, metrics: JSON.stringify(result.metrics), active: 1 }))
          .execute();
        updates.push({ model: r.instance.name, task: r.capability.task, version: result.version, metrics: result.metrics });
      }
    }
  }
  return { newOutcomes, attributed, examples: examples.length, updates };
}

/** the idempotency keys every step of one decision was recorded under (retries carry #n) */
function stepKeys(workflow: WorkflowConfig, base: string): string[] {
  const keys: string[] = [];
  for (const step of workflow.steps) {
    keys.push(`${base}:${step.name}`);
    if (isCapabilityStep(step)) for (let n = 1; n <= 5; n++) keys.push(`${base}:${step.name}#${n}`);
  }
  return keys;
}

async function exampleFor(runtime: Runtime, workflow: WorkflowConfig, idempotencyKey: string, step: string, decisionId: string, accountId: string, reward: number, valueMicros: number, outcome: FeedbackExample['outcome']): Promise<FeedbackExample | undefined> {
  const base = idempotencyKey.slice(0, idempotencyKey.length - step.length - 1);
  // exact keys: the unique index answers; a LIKE prefix would scan every decision
  const rows = await runtime.store.db.selectFrom('decisions').select(['step', 'output', 'features', 'capability']).where('idempotency_key', 'in', stepKeys(workflow, base)).execute();
  const first = rows.find((r) => r.features);
  if (!first) return undefined;
  const outputs: Record<string, unknown> = {};
  for (const r of rows) {
    if (!r.output || !r.capability) continue;
    const task = r.capability.split('/')[1]!;
    outputs[task] = JSON.parse(r.output);
  }
  const features = JSON.parse(first.features!) as AccountFeatures;
  if (features.daysSinceLastSignal === null) features.daysSinceLastSignal = Number.POSITIVE_INFINITY;
  return { decisionId, accountId, features, outputs, reward, valueMicros, outcome };
}

/**
 * The signal types that answer a treatment on each channel. Only deliberate answers count: an
 * email open or a demo-page visit also happens on its own every day, so counting it would credit
 * the channel with the account's background activity (and the bandit would drift to email).
 */
export const answerSignals: Record<string, { types: string[]; platform?: string }> = {
  email: { types: ['email_click'] },
  sales_task: { types: ['form_fill'] },
  linkedin: { types: ['ad_click'], platform: 'linkedin' },
  google: { types: ['ad_click'], platform: 'google' },
};

/**
 * Engagement: the earliest outcome there is. An executed decision whose contact answered on its
 * channel within the engagement window (an email click, a form fill, an ad click) teaches the
 * channel/time and content models days or weeks before any opportunity could.
 */
async function engagementExamples(runtime: Runtime, workflowName: string, workflow: WorkflowConfig, state: { get<T>(k: string): Promise<T | undefined>; set(k: string, v: unknown): Promise<void> }, now: number): Promise<FeedbackExample[]> {
  const windowMs = workflow.engagementWindowDays * DAY;
  const cutoff = (await state.get<number>('engagementCutoff')) ?? 0;
  const until = now - windowMs;
  if (until <= cutoff) return [];
  const decided = await runtime.store.db
    .selectFrom('decisions')
    .select(['id', 'account_id', 'contact_id', 'created_at', 'updated_at', 'idempotency_key', 'step', 'output'])
    .where('workflow', '=', workflowName)
    .where(decisionEndRows)
    .where('status', '=', 'executed')
    .where('updated_at', '>', cutoff)
    .where('updated_at', '<=', until)
    .execute();
  await state.set('engagementCutoff', until);
  if (!decided.length) return [];
  // a decision names a resolved person; the answer may come through any connector's row of them
  const { entityOf: personOf } = await membersOf(runtime.store, 'contact', decided.map((d) => d.contact_id).filter((c): c is string => !!c));
  const contacts = [...personOf.keys()];
  const signals: { contact_id: string | null; type: string; channel: string | null; occurred_at: number }[] = [];
  for (let i = 0; i < contacts.length; i += 500) {
    signals.push(
      ...(await runtime.store.db
        .selectFrom('signals')
        .select(['contact_id', 'type', 'channel', 'occurred_at'])
        .where('contact_id', 'in', contacts.slice(i, i + 500))
        .where('occurred_at', '>', cutoff)
        .where('occurred_at', '<=', now)
        .execute()),
    );
  }
  const byContact = new Map<string, typeof signals>();
  for (const s of signals) {
    const person = personOf.get(s.contact_id!) ?? s.contact_id!;
    const list = byContact.get(person) ?? [];
    list.push(s);
    byContact.set(person, list);
  }
  const observable = await observableChannels(state, signals);
  const out: FeedbackExample[] = [];
  for (const d of decided) {
    const channel = d.output ? (JSON.parse(d.output) as { channel?: string }).channel : undefined;
    const answer = channel ? answerSignals[channel] : undefined;
    if (!answer || !d.contact_id || !observable.has(channel!)) continue;
    const executedAt = Number(d.updated_at);
    const answered = (a: { types: string[]; platform?: string }) =>
      (byContact.get(d.contact_id!) ?? []).some((s) => a.types.includes(s.type) && (!a.platform || s.channel === a.platform) && Number(s.occurred_at) >= executedAt && Number(s.occurred_at) <= executedAt + windowMs);
    const engaged = answered(answer);
    const ex = await exampleFor(runtime, workflow, d.idempotency_key, d.step, d.id, d.account_id!, engaged ? 1 : 0, 0, engaged ? 'engaged' : 'not_engaged');
    if (!ex) continue;
    // the other observable channels' answer signals in the same window: background, not answers
    const background: Partial<Record<Channel, number>> = {};
    for (const other of observable) if (other !== channel && answerSignals[other]) background[other as Channel] = answered(answerSignals[other]!) ? 1 : 0;
    if (Object.keys(background).length) ex.background = background;
    out.push(ex);
  }
  return out;
}

/**
 * The channels whose answers reach the store person by person: an answer signal of the channel
 * has been stored with a contact (in `signals`, or remembered from an earlier run). Why: silence
 * counts as "did not answer" only where an answer could have been seen. LinkedIn reports ad
 * clicks per campaign, not per member, so a deployment whose only LinkedIn data is campaign
 * analytics never stores a LinkedIn click with a contact; counting every LinkedIn treatment as
 * unanswered would teach the channel model that LinkedIn never works, and it would stop choosing
 * it without evidence. Such a channel teaches nothing here and keeps what the models believed.
 */
async function observableChannels(state: { get<T>(k: string): Promise<T | undefined>; set(k: string, v: unknown): Promise<void> }, signals: readonly { contact_id: string | null; type: string; channel: string | null }[]): Promise<Set<string>> {
  const known = new Set((await state.get<string[]>('observableChannels')) ?? []);
  const before = known.size;
  for (const [channel, answer] of Object.entries(answerSignals)) {
    if (known.has(channel)) continue;
    if (signals.some((s) => s.contact_id && answer.types.includes(s.type) && (!answer.platform || s.channel === answer.platform))) known.add(channel);
  }
  if (known.size > before) await state.set('observableChannels', [...known].sort());
  return known;
}
