// Ranks a run's ready decisions by expected value: the chance of a response to the chosen
// channel and time × what a response is worth for that account. A response to an account with
// open pipeline moves a live deal, so it is worth that pipeline; for any other account it is worth
// the typical deal of accounts of its size (learned from the CRM's opportunities) × its intent
// score (how likely it turns into a deal at all). Without any opportunity history every account
// is worth the same and the ranking falls back to intent × expected reward.
import type { Store } from '@revloop/store';
import type { AccountFeatures, ChannelOutput, IntentOutput } from './tasks.js';

export type RankBy = 'expected-value' | 'intent';

export interface DealValues {
  /** mean opportunity amount (currency units) per account size */
  bySize: Map<string, number>;
  /** mean over all opportunities; 1 when there are none */
  overall: number;
}

export async function dealValues(store: Store): Promise<DealValues> {
  const rows = await store.db
    .selectFrom('opportunities')
    .innerJoin('accounts', 'accounts.id', 'opportunities.account_id')
    .select((eb) => ['accounts.size as size', eb.fn.sum<number>('opportunities.amount_micros').as('total'), eb.fn.count<number>('opportunities.amount_micros').as('n')])
    .where('opportunities.deleted', '=', 0)
    .groupBy('accounts.size')
    .execute();
  const bySize = new Map<string, number>();
  let total = 0;
  let n = 0;
  for (const r of rows) {
    const count = Number(r.n);
    if (!count) continue;
    total += Number(r.total) / 1e6;
    n += count;
    if (r.size) bySize.set(r.size, Number(r.total) / 1e6 / count);
  }
  return { bySize, overall: n ? total / n : 1 };
}

/** what a response is worth for the account (currency units, or relative when no history) */
export function responseValue(features: AccountFeatures, intent: IntentOutput | undefined, values: DealValues): number {
  if (features.openPipeline && features.openPipeline > 0) return features.openPipeline;
  const deal = (features.size ? values.bySize.get(features.size) : undefined) ?? values.overall;
  return deal * (intent?.score ?? 1);
}

export function rankScore(by: RankBy, features: AccountFeatures, intent: IntentOutput | undefined, choice: ChannelOutput | undefined, values: DealValues): number {
  const reward = choice?.expectedReward ?? 1;
  if (by === 'intent') return (intent?.score ?? 1) * reward;
  return reward * responseValue(features, intent, values);
}
