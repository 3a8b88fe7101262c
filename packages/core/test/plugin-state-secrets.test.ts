// Credentials in plugin state (issue #25 item 6): LinkedIn's OAuth access token was stored in clear
// in plugin_state. Now it is sealed with AES-256-GCM under REVLOOP_STATE_KEY, or, without a key,
// kept in memory only with a log line that says so; a token stored in clear before is sealed (or
// removed from the store) when read. Ordinary state is stored as before.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openSqliteStore, type Store } from '@revloop/store';
import { createPluginState } from '../src/context/plugin-state.js';
import { SimulatedClock } from '../src/context/clock.js';
import { createLogger } from '../src/context/logger.js';
import { Redactor } from '../src/context/redact.js';

const TOKEN = 'AQVfake-access-token-0123456789abcdef';
const KEY = 'a-long-random-state-key-for-tests';
const clock = new SimulatedClock(Date.UTC(2026, 0, 1));

class Sink extends Writable {
  text = '';
  override _write(chunk: Buffer, _e: string, cb: () => void) {
    this.text += chunk.toString();
    cb();
  }
}

let dir: string;
let store: Store;
beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'revloop-state-'));
  store = openSqliteStore({ path: join(dir, 'r.db') });
  await store.migrate();
});
afterEach(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

const rows = () => store.db.selectFrom('plugin_state').selectAll().execute();
const stateOf = (stateKey: string | undefined, plugin = 'linkedin', sink = new Sink()) => ({
  state: createPluginState(store, plugin, clock, { stateKey, log: createLogger({ level: 'info', redactor: new Redactor(), destination: sink }) }),
  sink,
});

describe('credentials in plugin state', () => {
  it('with REVLOOP_STATE_KEY: the token is sealed in the store, opens after a restart, and only with that key and name', async () => {
    await stateOf(KEY).state.set('oauth:access-token', { accessToken: TOKEN, expiresAt: 1 });
    const [row] = await rows();
    expect(row!.value).not.toContain(TOKEN);
    expect(JSON.parse(row!.value)).toMatchObject({ $sealed: 'aes-256-gcm/v1' });
    // a restart (a new state over the same store) reads it back
    expect(await stateOf(KEY).state.get('oauth:access-token')).toEqual({ accessToken: TOKEN, expiresAt: 1 });
    // another key: treated as absent, and said so
    const wrong = stateOf('another-long-state-key-0000');
    expect(await wrong.state.get('oauth:access-token')).toBeUndefined();
    expect(wrong.sink.text).toMatch(/does not open with this REVLOOP_STATE_KEY/);
    // the sealed row copied to another plugin does not open there
    await store.db.insertInto('plugin_state').values({ plugin: 'other', key: 'oauth:access-token', value: row!.value, updated_at: 0 }).execute();
    expect(await stateOf(KEY, 'other').state.get('oauth:access-token')).toBeUndefined();
  });

  it('without a key: kept in memory only (nothing in the store), a log line says so, a restart has none', async () => {
    const { state, sink } = stateOf(undefined);
    await state.set('oauth:access-token', { accessToken: TOKEN });
    expect(await rows()).toEqual([]);
    expect(await state.get('oauth:access-token')).toEqual({ accessToken: TOKEN });
    expect(sink.text).toMatch(/REVLOOP_STATE_KEY is not set: the credential \\?"oauth:access-token\\?" of linkedin is kept in memory only/);
    expect(sink.text).not.toContain(TOKEN);
    expect(await stateOf(undefined).state.get('oauth:access-token')).toBeUndefined();
  });

  it('a token stored in clear by an earlier version is sealed when read (with a key) or removed from the store (without)', async () => {
    const plain = JSON.stringify({ accessToken: TOKEN });
    await store.db.insertInto('plugin_state').values({ plugin: 'linkedin', key: 'oauth:access-token', value: plain, updated_at: 0 }).execute();
    expect(await stateOf(KEY).state.get('oauth:access-token')).toEqual({ accessToken: TOKEN });
    expect((await rows())[0]!.value).not.toContain(TOKEN);

    await store.db.updateTable('plugin_state').set({ value: plain }).execute();
    const noKey = stateOf(undefined).state;
    expect(await noKey.get('oauth:access-token')).toEqual({ accessToken: TOKEN });
    expect(await rows()).toEqual([]);
    expect(await noKey.get('oauth:access-token')).toEqual({ accessToken: TOKEN });
  });

  it('ordinary state (not under oauth:/token:/secret:/credential:) is stored as it was', async () => {
    await stateOf(undefined).state.set('audience:token-holders', { segment: 'urn:li:dmpSegment:7' });
    expect((await rows())[0]).toMatchObject({ key: 'audience:token-holders', value: JSON.stringify({ segment: 'urn:li:dmpSegment:7' }) });
  });

  it('a key too short to be a key is refused with what, where and how to fix', () => {
    expect(() => stateOf('short')).toThrow(/REVLOOP_STATE_KEY holds 5 characters/);
  });
});
