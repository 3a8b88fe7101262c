// Builds AccountFeatures for many accounts at once from the unified model: a handful of grouped
// queries per chunk of accounts, never one query per account.
import { decisionEndRows, decisionStatusIs, type Store } from '@revloop/store';
import { channels, signalKinds, type AccountFeatures, type Channel, type SignalKind } from './tasks.js';

const DAY = 86_400_000;
const CHUNK = 500;

function emptyCounts(): Record<SignalKind, number> {
  return Object.fromEntries(signalKinds.map((k) => [k, 0])) as Record<SignalKind, number>;
}
function emptyTreatments(): Record<Channel, number> {
  return Object.fromEntries(channels.map((c) => [c, 0])) as Record<Channel, number>;
}

/** recentTreatments counts what `workflow` executed in the window */
export async function buildFeatures(store: Store, accountIds: string[], at: number, windowDays: number, workflow: string): Promise<Map<string, AccountFeatures>> {
  const out = new Map<string, AccountFeatures>();
  const since = at - windowDays * DAY;
  for (let i = 0; i < accountIds.length; i += CHUNK) {
    const chunk = accountIds.slice(i, i + CHUNK);
    const accounts = await store.db.selectFrom('accounts').select(['id', 'industry', 'size', 'region']).where('id', 'in', chunk).execute();
    const known = new Set(accounts.map((a) => a.id));
    for (const a of accounts) {
      out.set(a.id, {
        accountId: a.id,
        industry: a.industry,
        size: a.size,
        region: a.region,
        counts: emptyCounts(),
        topics: {},
        daysSinceLastSignal: Number.POSITIVE_INFINITY,
        hasOpenOpportunity: false,
        recentTreatments: emptyTreatments(),
        contacts: [],
        at,
      });
    }
    // accounts referenced by signals but not (yet) synced still get features
    for (const id of chunk) if (!known.has(id)) out.set(id, { accountId: id, industry: null, size: null, region: null, counts: emptyCounts(), topics: {}, daysSinceLastSignal: Number.POSITIVE_INFINITY, hasOpenOpportunity: false, recentTreatments: emptyTreatments(), contacts: [], at });

    const contacts = await store.db.selectFrom('contacts').select(['id', 'account_id', 'email', 'persona', 'title']).where('account_id', 'in', chunk).where('deleted', '=', 0).orderBy('id').execute();
    for (const c of contacts) out.get(c.account_id!)?.contacts.push({ id: c.id, email: c.email, persona: c.persona, title: c.title });

    const signals = await store.db
      .selectFrom('signals')
      .select((eb) => ['account_id', 'type', 'topic', eb.fn.countAll<number>().as('n'), eb.fn.max('occurred_at').as('last')])
      .where('account_id', 'in', chunk)
      .where('occurred_at', '>=', since)
      .where('occurred_at', '<=', at)
      .where('deleted', '=', 0)
      .groupBy(['account_id', 'type', 'topic'])
      .execute();
    for (const s of signals) {
      const f = out.get(s.account_id!);
      if (!f) continue;
      const n = Number(s.n);
      if (s.type in f.counts) f.counts[s.type as SignalKind] += n;
      if (s.topic) f.topics[s.topic] = (f.topics[s.topic] ?? 0) + n;
      f.daysSinceLastSignal = Math.min(f.daysSinceLastSignal, (at - Number(s.last)) / DAY);
    }

    const open = await store.db.selectFrom('opportunities').select(['account_id', 'amount_micros']).where('account_id', 'in', chunk).where('is_closed', '=', 0).where('deleted', '=', 0).execute();
    for (const o of open) {
      const f = out.get(o.account_id!);
      if (!f) continue;
      f.hasOpenOpportunity = true;
      f.openPipeline = (f.openPipeline ?? 0) + Number(o.amount_micros ?? 0) / 1e6;
    }

    // through decisions_account_end: the account's executions in the window, not its history
    const executed = await store.db
      .selectFrom('decisions')
      .select(['account_id', 'output', 'created_at'])
      .where('account_id', 'in', chunk)
      .where('workflow', '=', workflow)
      .where(decisionEndRows)
      .where(decisionStatusIs('executed'))
      .where('created_at', '>=', since)
      .execute();
    for (const d of executed) {
      const f = out.get(d.account_id!);
      const channel = d.output ? (JSON.parse(d.output) as { channel?: Channel }).channel : undefined;
      if (!f || !channel || !(channel in f.recentTreatments)) continue;
      f.recentTreatments[channel]++;
      f.daysSinceLastTreatment = Math.min(f.daysSinceLastTreatment ?? Number.POSITIVE_INFINITY, (at - Number(d.created_at)) / DAY);
    }
  }
  return out;
}
