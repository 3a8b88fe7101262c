// Builds AccountFeatures for many accounts at once from the unified model: a handful of grouped
// queries per chunk of accounts, never one query per account. An account is a resolved entity:
// its signals, contacts and opportunities are those of every connector's row of that customer.
import { decisionEndRows, decisionStatusIs, type Store } from '@revloop/store';
import { membersOf } from '../identity/lookup.js';
import { emptyCategoryCounts, type SignalKindRegistry } from './signal-kinds.js';
import { readCustomFields, type CustomFieldRegistry } from './custom-fields.js';
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
export async function buildFeatures(store: Store, accountIds: string[], at: number, windowDays: number, workflow: string, kinds?: SignalKindRegistry, custom?: CustomFieldRegistry): Promise<Map<string, AccountFeatures>> {
  const out = new Map<string, AccountFeatures>();
  const since = at - windowDays * DAY;
  for (let i = 0; i < accountIds.length; i += CHUNK) {
    const chunk = accountIds.slice(i, i + CHUNK);
    // the chunk's entities → their rows in every connector, and back
    const { members, entityOf } = await membersOf(store, 'account', chunk);
    const rowIds = [...members.values()].flat();
    const golden = await store.db.selectFrom('resolved_accounts').select(['id', 'industry', 'size', 'region', 'attributes']).where('id', 'in', chunk).execute();
    const goldenIds = new Set(golden.map((a) => a.id));
    const unresolved = chunk.filter((id) => !goldenIds.has(id));
    const accounts = [...golden, ...(unresolved.length ? await store.db.selectFrom('accounts').select(['id', 'industry', 'size', 'region', 'attributes']).where('id', 'in', unresolved).execute() : [])];
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
        ...(custom?.account.length ? { custom: readCustomFields(a.attributes, custom.account) } : {}),
      });
    }
    // accounts referenced by signals but not (yet) synced still get features
    for (const id of chunk) if (!known.has(id)) out.set(id, { accountId: id, industry: null, size: null, region: null, counts: emptyCounts(), topics: {}, daysSinceLastSignal: Number.POSITIVE_INFINITY, hasOpenOpportunity: false, recentTreatments: emptyTreatments(), contacts: [], at });
    const featuresOf = (rowId: string | null) => (rowId ? out.get(entityOf.get(rowId) ?? rowId) : undefined);

    // one brief per person: a contact known to two connectors is one resolved contact (its golden record)
    const contacts = await store.db.selectFrom('contacts').select(['id', 'account_id', 'email', 'persona', 'title', 'resolved_id', 'attributes']).where('account_id', 'in', rowIds).where('deleted', '=', 0).orderBy('id').execute();
    const people = [...new Set(contacts.map((c) => c.resolved_id).filter((x): x is string => !!x))];
    const goldenPeople = new Map<string, { email: string | null; persona: string | null; title: string | null }>();
    for (let j = 0; j < people.length; j += CHUNK) {
      for (const g of await store.db.selectFrom('resolved_contacts').select(['id', 'email', 'persona', 'title']).where('id', 'in', people.slice(j, j + CHUNK)).execute()) goldenPeople.set(g.id, g);
    }
    const seen = new Set<string>();
    for (const c of contacts) {
      const person = c.resolved_id ?? c.id;
      if (seen.has(person)) continue;
      seen.add(person);
      const g = goldenPeople.get(person);
      const customOf = custom?.contact.length ? { custom: readCustomFields(c.attributes, custom.contact) } : {};
      featuresOf(c.account_id)?.contacts.push(g ? { id: person, email: g.email, persona: g.persona, title: g.title, ...customOf } : { id: person, email: c.email, persona: c.persona, title: c.title, ...customOf });
    }

    const signals = await store.db
      .selectFrom('signals')
      .select((eb) => ['account_id', 'type', 'topic', eb.fn.countAll<number>().as('n'), eb.fn.max('occurred_at').as('last')])
      .where('account_id', 'in', rowIds)
      .where('occurred_at', '>=', since)
      .where('occurred_at', '<=', at)
      .where('deleted', '=', 0)
      .groupBy(['account_id', 'type', 'topic'])
      .execute();
    for (const s of signals) {
      const f = featuresOf(s.account_id);
      if (!f) continue;
      const n = Number(s.n);
      if (s.type in f.counts) f.counts[s.type as SignalKind] += n;
      else {
        // a kind beyond the built-ins: kept by name, and by category when it is registered
        f.otherCounts = f.otherCounts ?? {};
        f.otherCounts[s.type] = (f.otherCounts[s.type] ?? 0) + n;
        const registered = kinds?.get(s.type);
        if (registered) {
          f.categoryCounts = f.categoryCounts ?? emptyCategoryCounts();
          f.categoryCounts[registered.category] += n;
        }
      }
      if (s.topic) f.topics[s.topic] = (f.topics[s.topic] ?? 0) + n;
      f.daysSinceLastSignal = Math.min(f.daysSinceLastSignal, (at - Number(s.last)) / DAY);
    }

    const open = await store.db.selectFrom('opportunities').select(['account_id', 'amount_micros', 'name']).where('account_id', 'in', rowIds).where('is_closed', '=', 0).where('deleted', '=', 0).execute();
    // one deal mirrored in two CRMs (same name) counts once
    const deals = new Set<string>();
    for (const o of open) {
      const f = featuresOf(o.account_id);
      if (!f) continue;
      f.hasOpenOpportunity = true;
      const deal = `${f.accountId}\u0000${(o.name ?? '').trim().toLowerCase()}\u0000${o.amount_micros}`;
      if (o.name && deals.has(deal)) continue;
      deals.add(deal);
      f.openPipeline = (f.openPipeline ?? 0) + Number(o.amount_micros ?? 0) / 1e6;
    }

    // through decisions_account_end: the account's executions in the window, not its history
    const executed = await store.db
      .selectFrom('decisions')
      .select(['account_id', 'output', 'created_at'])
      .where('account_id', 'in', rowIds) // decided for any row of the entity, before a merge too
      .where('workflow', '=', workflow)
      .where(decisionEndRows)
      .where(decisionStatusIs('executed'))
      .where('created_at', '>=', since)
      .execute();
    for (const d of executed) {
      const f = out.get(entityOf.get(d.account_id!) ?? d.account_id!);
      const channel = d.output ? (JSON.parse(d.output) as { channel?: Channel }).channel : undefined;
      if (!f || !channel || !(channel in f.recentTreatments)) continue;
      f.recentTreatments[channel]++;
      f.daysSinceLastTreatment = Math.min(f.daysSinceLastTreatment ?? Number.POSITIVE_INFINITY, (at - Number(d.created_at)) / DAY);
    }
  }
  return out;
}
