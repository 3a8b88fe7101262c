// The logged channel choices of a window, as off-policy evaluation reads them: per executed
// decision, its context (segment × persona, the account's signal counts), the channel the model
// chose with the probability its policy gave that choice, and whether the contact answered.
// "Answered" is the feedback loop's own link (workflow/feedback.ts): a deliberate answer signal
// on the decision's channel (email click, form fill, that platform's ad click) from the decided
// contact, any of its identity's rows, within the workflow's engagement window after execution.
import type { Store } from '@revloop/store';
import { decisionEndRows } from '@revloop/store';
import { membersOf } from '../identity/lookup.js';
import { answerSignals } from '../workflow/feedback.js';
import type { AccountFeatures, Channel, ChannelOutput } from '../workflow/tasks.js';

const DAY = 86_400_000;
const CHANNEL_CAPABILITY = 'predict/channel-time';

export interface LoggedChoice {
  decisionId: string;
  accountId: string;
  /** segment × persona: industry|size|persona */
  context: string;
  /** when the model chose */
  at: number;
  channel: Channel;
  sendHour: number;
  /** the chance the logging policy gave this channel in this context */
  propensity: number;
  /** the chance of every channel, when the model logged them */
  channelChances?: Partial<Record<Channel, number>>;
  /** the account's signal counts over the feature window (what rule-based policies read) */
  counts: Partial<AccountFeatures['counts']>;
  /** 1 when the contact answered on the channel within the engagement window, else 0 */
  reward: number;
  /** what the model saw (the decision's features) and what it returned: a replay reads them */
  features?: AccountFeatures;
  output?: ChannelOutput;
  /** when the answer (or its absence) became known: execution + the engagement window */
  answerKnownAt?: number;
}

export interface LoggedWindow {
  choices: LoggedChoice[];
  /** channel choices the model made in the window, whatever became of them */
  channelChoices: number;
  /** of those, the ones logged without a propensity (a model that does not record it) */
  withoutPropensity: number;
  /** decided but never sent (deferred by the daily cap, waiting for or refused approval, dropped, failed) */
  notExecuted: number;
  /** executed, but their engagement window had not closed by the newest synced signal */
  awaitingAnswer: number;
  /** the newest synced signal: answers are known up to here */
  dataEnd: number | null;
  /** model versions that logged the window's choices without a propensity */
  modelsWithoutPropensity: string[];
}

export interface WindowQuery {
  workflow: string;
  /** decisions made at or after (epoch ms) */
  since: number;
  /** decisions made before (epoch ms) */
  until: number;
  engagementWindowDays: number;
}

/** the part of an idempotency key shared by every step row of one account decision */
const baseOf = (key: string, step: string): string => key.slice(0, key.length - step.length - 1);

export async function readLoggedWindow(store: Store, q: WindowQuery): Promise<LoggedWindow> {
  const db = store.db;
  const chosen = await db
    .selectFrom('decisions')
    .select(['id', 'account_id', 'contact_id', 'step', 'idempotency_key', 'output', 'model', 'model_version', 'created_at'])
    .where('workflow', '=', q.workflow)
    .where('capability', '=', CHANNEL_CAPABILITY)
    .where('created_at', '>=', q.since)
    .where('created_at', '<', q.until)
    .execute();
  const window: LoggedWindow = { choices: [], channelChoices: chosen.length, withoutPropensity: 0, notExecuted: 0, awaitingAnswer: 0, dataEnd: null, modelsWithoutPropensity: [] };
  if (!chosen.length) return window;

  // the end row (how the decision ended) and the features row of each decision, by its base key
  const ends = new Map<string, { status: string; updatedAt: number; contactId: string | null }>();
  const features = new Map<string, AccountFeatures>();
  const rows = await db
    .selectFrom('decisions')
    .select(['step', 'idempotency_key', 'status', 'updated_at', 'contact_id', 'features'])
    .where('workflow', '=', q.workflow)
    .where('created_at', '>=', q.since)
    .where('created_at', '<', q.until)
    .where((eb) => eb.or([eb('features', 'is not', null), decisionEndRows]))
    .execute();
  for (const r of rows) {
    const base = baseOf(r.idempotency_key, r.step);
    if (r.features) features.set(base, JSON.parse(r.features) as AccountFeatures);
    if (r.status !== 'decided') ends.set(base, { status: r.status, updatedAt: Number(r.updated_at), contactId: r.contact_id });
  }

  const latest = await db.selectFrom('signals').select((eb) => eb.fn.max<number>('occurred_at').as('at')).executeTakeFirst();
  const dataEnd = latest?.at === null || latest?.at === undefined ? null : Number(latest.at);
  window.dataEnd = dataEnd;
  const windowMs = q.engagementWindowDays * DAY;

  interface Pending { choice: Omit<LoggedChoice, 'reward'>; contactId: string; executedAt: number }
  const pending: Pending[] = [];
  const without = new Set<string>();
  for (const d of chosen) {
    const out = d.output ? (JSON.parse(d.output) as Partial<ChannelOutput>) : undefined;
    const p = out?.propensity?.channel;
    if (!out?.channel || typeof p !== 'number' || !(p > 0 && p <= 1)) {
      window.withoutPropensity++;
      without.add(`${d.model ?? '?'} ${d.model_version ?? '?'}`);
      continue;
    }
    const base = baseOf(d.idempotency_key, d.step);
    const end = ends.get(base);
    if (!end || end.status !== 'executed') {
      window.notExecuted++;
      continue;
    }
    const contactId = end.contactId ?? d.contact_id;
    if (!contactId || dataEnd === null || end.updatedAt + windowMs > dataEnd) {
      window.awaitingAnswer++;
      continue;
    }
    const f = features.get(base);
    const persona = f?.contacts.find((c) => c.id === contactId)?.persona ?? (out as { persona?: string }).persona ?? 'unknown';
    pending.push({
      contactId,
      executedAt: end.updatedAt,
      choice: {
        decisionId: d.id,
        accountId: d.account_id ?? '?',
        context: `${f?.industry ?? '?'}|${f?.size ?? '?'}|${persona}`,
        at: Number(d.created_at),
        channel: out.channel,
        sendHour: out.sendHour ?? -1,
        propensity: p,
        ...(out.propensity?.channels ? { channelChances: out.propensity.channels } : {}),
        counts: f?.counts ?? {},
        ...(f ? { features: f } : {}),
        output: out as ChannelOutput,
        answerKnownAt: end.updatedAt + windowMs,
      },
    });
  }
  window.modelsWithoutPropensity = [...without].sort();
  window.choices = await withAnswers(store, pending, windowMs);
  return window;
}

/** joins each executed choice to its contact's answer signals (the feedback loop's link) */
async function withAnswers(store: Store, pending: { choice: Omit<LoggedChoice, 'reward'>; contactId: string; executedAt: number }[], windowMs: number): Promise<LoggedChoice[]> {
  if (!pending.length) return [];
  const { entityOf: personOf } = await membersOf(store, 'contact', pending.map((p) => p.contactId));
  const rowIds = [...personOf.keys()];
  const from = Math.min(...pending.map((p) => p.executedAt));
  const to = Math.max(...pending.map((p) => p.executedAt)) + windowMs;
  const types = [...new Set(Object.values(answerSignals).flatMap((a) => a.types))];
  const byPerson = new Map<string, { type: string; channel: string | null; at: number }[]>();
  for (let i = 0; i < rowIds.length; i += 500) {
    const signals = await store.db
      .selectFrom('signals')
      .select(['contact_id', 'type', 'channel', 'occurred_at'])
      .where('contact_id', 'in', rowIds.slice(i, i + 500))
      .where('type', 'in', types)
      .where('occurred_at', '>=', from)
      .where('occurred_at', '<=', to)
      .execute();
    for (const s of signals) {
      const person = personOf.get(s.contact_id!) ?? s.contact_id!;
      const list = byPerson.get(person) ?? [];
      list.push({ type: s.type, channel: s.channel, at: Number(s.occurred_at) });
      byPerson.set(person, list);
    }
  }
  return pending.map(({ choice, contactId, executedAt }) => {
    const answer = answerSignals[choice.channel];
    const person = personOf.get(contactId) ?? contactId;
    const answered = !!answer && (byPerson.get(person) ?? []).some((s) => answer.types.includes(s.type) && (!answer.platform || s.channel === answer.platform) && s.at >= executedAt && s.at <= executedAt + windowMs);
    return { ...choice, reward: answered ? 1 : 0 };
  });
}
