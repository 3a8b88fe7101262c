// Per-plugin persistent key/value state (JSON), kept in the store's plugin_state table.
import type { Store } from '@revloop/store';
import type { Clock } from './clock.js';

export interface PluginState {
  get<T = unknown>(key: string): Promise<T | undefined>;
  set(key: string, value: unknown): Promise<void>;
  delete(key: string): Promise<void>;
}

export function createPluginState(store: Store, plugin: string, clock: Clock): PluginState {
  return {
    async get<T>(key: string) {
      const row = await store.db.selectFrom('plugin_state').select('value').where('plugin', '=', plugin).where('key', '=', key).executeTakeFirst();
      return row ? (JSON.parse(row.value) as T) : undefined;
    },
    async set(key, value) {
      const json = JSON.stringify(value ?? null);
      await store.db
        .insertInto('plugin_state')
        .values({ plugin, key, value: json, updated_at: clock.now() })
        .onConflict((oc) => oc.columns(['plugin', 'key']).doUpdateSet({ value: json, updated_at: clock.now() }))
        .execute();
    },
    async delete(key) {
      await store.db.deleteFrom('plugin_state').where('plugin', '=', plugin).where('key', '=', key).execute();
    },
  };
}
