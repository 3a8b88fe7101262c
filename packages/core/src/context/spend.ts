// Spend hooks backed by the cost ledger: a paid call reserves its expected cost first and
// settles the actual cost after, so that spend can be bounded before it happens.
import type { Store } from '@revloop/store';
import type { Clock } from './clock.js';
import type { SpendHooks } from './context.js';

export function createLedgerSpendHooks(store: Store, clock: Clock, plugin: string): SpendHooks {
  return {
    async reserve(amountMicros, label) {
      const row = await store.db
        .insertInto('cost_ledger')
        .values({ kind: 'reserve', plugin, model: label.model ?? null, step: label.step ?? null, cost_micros: amountMicros, created_at: clock.now() } as never)
        .returning('id')
        .executeTakeFirstOrThrow();
      return { id: String(row.id) };
    },
    async settle(reservation, actualMicros, usage) {
      await store.db
        .insertInto('cost_ledger')
        .values({
          kind: 'settle',
          plugin,
          decision_id: null,
          budget: reservation.id,
          tokens_in: usage?.tokensIn ?? null,
          tokens_out: usage?.tokensOut ?? null,
          cost_micros: actualMicros,
          created_at: clock.now(),
        } as never)
        .execute();
    },
  };
}
