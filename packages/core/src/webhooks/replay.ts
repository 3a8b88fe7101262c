// Replay protection for signed webhooks: a verified request's replay key (its signature, from the
// connector's webhook.replayKey) is claimed in the store's plugin_state table until the key
// expires (the end of the vendor's timestamp window). A second request with the same key before
// then is a replay. The claim is one atomic statement (insert, or take over an expired row), so
// two copies arriving at once cannot both pass, and it lives in the store, so it holds across
// restarts and across serve processes sharing a Postgres store. Expired rows are purged now and then.
import { createHash } from 'node:crypto';
import type { Store } from '@revloop/store';

const PREFIX = 'webhook-replay:';
/** purge expired claims at most this often (store time) */
const PURGE_EVERY_MS = 60_000;

export interface ReplayGuard {
  /** true: first sighting, claimed until expiresAt; false: seen before and not expired (a replay) */
  claim(plugin: string, webhook: string, key: string, expiresAt: number): Promise<boolean>;
  /** gives a claim back (the request it belonged to was not stored) */
  release(plugin: string, webhook: string, key: string): Promise<void>;
}

function stateKey(webhook: string, key: string): string {
  return `${PREFIX}${webhook}:${createHash('sha256').update(key).digest('base64url')}`;
}

export function createReplayGuard(store: Store, now: () => number): ReplayGuard {
  let lastPurge = Number.NEGATIVE_INFINITY;

  async function purge(plugin: string, at: number): Promise<void> {
    if (at - lastPurge < PURGE_EVERY_MS) return;
    lastPurge = at;
    await store.db
      .deleteFrom('plugin_state')
      .where('plugin', '=', plugin)
      .where('key', 'like', `${PREFIX}%`)
      .where((eb) => eb(eb.cast<number>('value', 'bigint'), '<=', at))
      .execute();
  }

  return {
    async claim(plugin, webhook, key, expiresAt) {
      const at = now();
      await purge(plugin, at);
      const value = String(Math.trunc(expiresAt));
      const result = await store.db
        .insertInto('plugin_state')
        .values({ plugin, key: stateKey(webhook, key), value, updated_at: at })
        .onConflict((oc) =>
          oc
            .columns(['plugin', 'key'])
            .doUpdateSet({ value, updated_at: at })
            // only an expired claim may be taken over
            .where((eb) => eb(eb.cast<number>('plugin_state.value', 'bigint'), '<=', at)),
        )
        .executeTakeFirst();
      return Number(result.numInsertedOrUpdatedRows ?? 0n) > 0;
    },
    async release(plugin, webhook, key) {
      await store.db.deleteFrom('plugin_state').where('plugin', '=', plugin).where('key', '=', stateKey(webhook, key)).execute();
    },
  };
}
