// Per-plugin persistent key/value state (JSON), kept in the store's plugin_state table.
//
// A value under a credential's key (its first segment is oauth:, token:, secret: or credential:, as
// in LinkedIn's `oauth:access-token`) is never stored in clear (issue #25): with REVLOOP_STATE_KEY
// set it is sealed with AES-256-GCM (state-cipher.ts); without it, it is kept in this process's
// memory only (a restart asks the vendor again), and a log line says so. A credential stored in clear by an earlier
// version is sealed (or, without a key, moved to memory and deleted from the store) when read.
// The rule is the key's prefix, not a word inside it: `audience:token-holders` (a name a person
// chose) is an ordinary value, whose loss at a restart would duplicate an audience.
import type { Store } from '@revloop/store';
import type { Clock } from './clock.js';
import type { Logger } from './logger.js';
import { isSealed, stateCipherFrom, STATE_KEY_ENV, type StateCipher } from './state-cipher.js';

/** key/value state of one plugin; keys starting `oauth:`, `token:`, `secret:` or `credential:` hold credentials (see above) */
export interface PluginState {
  get<T = unknown>(key: string): Promise<T | undefined>;
  set(key: string, value: unknown): Promise<void>;
  delete(key: string): Promise<void>;
}

export interface PluginStateOptions {
  log?: Logger;
  /** the sealing key (default: the REVLOOP_STATE_KEY environment variable) */
  stateKey?: string;
}

const credentialPrefix = /^(?:oauth|tokens?|secrets?|credentials?):/i;

/** a credential's key (`oauth:…`, `token:…`, `secret:…`, `credential:…`): sealed at rest, or kept in memory only */
export function isCredentialStateKey(key: string): boolean {
  return credentialPrefix.test(key);
}

export function createPluginState(store: Store, plugin: string, clock: Clock, options: PluginStateOptions = {}): PluginState {
  const cipher: StateCipher | undefined = stateCipherFrom('stateKey' in options ? options.stateKey : process.env[STATE_KEY_ENV]);
  const memory = new Map<string, string>(); // credentials without a key: JSON, this process only
  const told = new Set<string>();
  const binding = (key: string) => `${plugin}\u0000${key}`;

  function tellMemoryOnly(key: string): void {
    if (told.has(key)) return;
    told.add(key);
    options.log?.warn(
      { plugin, key },
      `${STATE_KEY_ENV} is not set: the credential "${key}" of ${plugin} is kept in memory only, not in the store (a restart obtains a new one); set ${STATE_KEY_ENV} to a long random value to keep it sealed (AES-256-GCM) across restarts`,
    );
  }

  async function readRow(key: string): Promise<string | undefined> {
    const row = await store.db.selectFrom('plugin_state').select('value').where('plugin', '=', plugin).where('key', '=', key).executeTakeFirst();
    return row?.value;
  }

  async function writeRow(key: string, json: string): Promise<void> {
    await store.db
      .insertInto('plugin_state')
      .values({ plugin, key, value: json, updated_at: clock.now() })
      .onConflict((oc) => oc.columns(['plugin', 'key']).doUpdateSet({ value: json, updated_at: clock.now() }))
      .execute();
  }

  async function deleteRow(key: string): Promise<void> {
    await store.db.deleteFrom('plugin_state').where('plugin', '=', plugin).where('key', '=', key).execute();
  }

  async function setCredential(key: string, json: string): Promise<void> {
    if (cipher) return writeRow(key, JSON.stringify(cipher.seal(json, binding(key))));
    memory.set(key, json);
    tellMemoryOnly(key);
    await deleteRow(key); // nothing of it stays in the store
  }

  return {
    async get<T>(key: string) {
      if (!isCredentialStateKey(key)) {
        const value = await readRow(key);
        return value === undefined ? undefined : (JSON.parse(value) as T);
      }
      if (memory.has(key)) return JSON.parse(memory.get(key)!) as T;
      const stored = await readRow(key);
      if (stored === undefined) return undefined;
      const parsed: unknown = JSON.parse(stored);
      if (isSealed(parsed)) {
        const json = cipher?.open(parsed, binding(key));
        if (json === undefined) {
          options.log?.warn({ plugin, key }, `the stored credential "${key}" of ${plugin} does not open with ${cipher ? `this ${STATE_KEY_ENV} (was it changed?)` : `no ${STATE_KEY_ENV} set`}: treated as absent (a new one is obtained)`);
          return undefined;
        }
        return JSON.parse(json) as T;
      }
      // stored in clear by an earlier version: sealed now, or moved to memory
      await setCredential(key, stored);
      return parsed as T;
    },
    async set(key, value) {
      const json = JSON.stringify(value ?? null);
      if (isCredentialStateKey(key)) return setCredential(key, json);
      await writeRow(key, json);
    },
    async delete(key) {
      memory.delete(key);
      await deleteRow(key);
    },
  };
}
