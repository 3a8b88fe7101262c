// Replay protection for signed webhooks: a verified request's replay key (its signature, from the
// connector's webhook.replayKey) is claimed in the store's plugin_state table until the key
// expires (the end of the vendor's timestamp window). A second request with the same key before
// then is a replay. A claim is one atomic statement (insert, or take over an expired row), so
// two copies arriving at once cannot both pass, and it lives in the store, so it holds across
// restarts and across serve processes sharing a Postgres store. Expired rows are purged now and then.
// The group commit (group-commit.ts) claims a group's keys in the transaction that writes its
// signals (store.claimAndApply, with the rows `claimsOf` gives): a claim exists only for events that
// are stored. It removes duplicates inside the group first (the later copies are replays).
import { createHash } from 'node:crypto';
import type { StateClaim, Store } from '@revloop/store';

const PREFIX = 'webhook-replay:';
/** purge expired claims at most this often (store time) */
const PURGE_EVERY_MS = 60_000;
/** rows per multi-row claim (5 parameters each: far below SQLite's and Postgres' limits) */
const CLAIM_CHUNK = 500;

export interface ReplayClaim {
  plugin: string;
  webhook: string;
  key: string;
  expiresAt: number;
}

export interface ReplayGuard {
  /** true: first sighting, claimed until expiresAt; false: seen before and not expired (a replay) */
  claim(plugin: string, webhook: string, key: string, expiresAt: number): Promise<boolean>;
  /** claims several distinct keys in one statement per chunk; true where claimed (same order) */
  claimAll(claims: ReplayClaim[]): Promise<boolean[]>;
  /** the plugin_state claims of these keys, for a write that takes them in its own transaction (purges expired claims now and then) */
  claimsOf(claims: ReplayClaim[]): Promise<StateClaim[]>;
  /** gives a claim back (the request it belonged to was not stored) */
  release(plugin: string, webhook: string, key: string): Promise<void>;
}

function stateKey(webhook: string, key: string): string {
  return `${PREFIX}${webhook}:${createHash('sha256').update(key).digest('base64url')}`;
}

export function createReplayGuard(store: Store, now: () => number): ReplayGuard {
  let lastPurge = Number.NEGATIVE_INFINITY;

  async function purge(at: number): Promise<void> {
    if (at - lastPurge < PURGE_EVERY_MS) return;
    lastPurge = at;
    await store.db
      .deleteFrom('plugin_state')
      .where('key', 'like', `${PREFIX}%`)
      .where((eb) => eb(eb.cast<number>('value', 'bigint'), '<=', at))
      .execute();
  }

  /** the (plugin, key) rows this chunk claimed: inserted, or taken over from an expired claim */
  async function claimChunk(rows: { plugin: string; key: string; value: string; updated_at: number }[], at: number): Promise<Set<string>> {
    const claimed = await store.db
      .insertInto('plugin_state')
      .values(rows)
      .onConflict((oc) =>
        oc
          .columns(['plugin', 'key'])
          .doUpdateSet((eb) => ({ value: eb.ref('excluded.value'), updated_at: at }))
          // only an expired claim may be taken over
          .where((eb) => eb(eb.cast<number>('plugin_state.value', 'bigint'), '<=', at)),
      )
      .returning(['plugin', 'key'])
      .execute();
    return new Set(claimed.map((r) => `${r.plugin}\u0000${r.key}`));
  }

  async function claimAll(claims: ReplayClaim[]): Promise<boolean[]> {
    if (claims.length === 0) return [];
    const at = now();
    await purge(at);
    const rows = claims.map((c) => ({ plugin: c.plugin, key: stateKey(c.webhook, c.key), value: String(Math.trunc(c.expiresAt)), updated_at: at }));
    const claimed = new Set<string>();
    for (let i = 0; i < rows.length; i += CLAIM_CHUNK) {
      for (const k of await claimChunk(rows.slice(i, i + CLAIM_CHUNK), at)) claimed.add(k);
    }
    return rows.map((r) => claimed.has(`${r.plugin}\u0000${r.key}`));
  }

  return {
    claimAll,
    async claimsOf(claims) {
      if (claims.length) await purge(now());
      return claims.map((c) => ({ plugin: c.plugin, key: stateKey(c.webhook, c.key), expiresAt: c.expiresAt }));
    },
    async claim(plugin, webhook, key, expiresAt) {
      return (await claimAll([{ plugin, webhook, key, expiresAt }]))[0]!;
    },
    async release(plugin, webhook, key) {
      await store.db.deleteFrom('plugin_state').where('plugin', '=', plugin).where('key', '=', stateKey(webhook, key)).execute();
    },
  };
}
