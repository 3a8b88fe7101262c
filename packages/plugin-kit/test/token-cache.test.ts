// The access-token cache on its own: a fake token endpoint (a function counting its calls) and a
// hand-moved clock.
import { describe, expect, it } from 'vitest';
import { RevloopError } from '@revloop/core';
import { createTokenCache, type TokenGrant } from '../src/http/index.js';

function endpoint(options: { ttlMs?: number; delayMs?: number } = {}) {
  let now = 1_000_000;
  let calls = 0;
  let answer: (() => TokenGrant) | undefined;
  let failWith: unknown;
  const refresh = async (): Promise<TokenGrant> => {
    calls++;
    if (options.delayMs) await new Promise((r) => setTimeout(r, options.delayMs));
    if (failWith) throw failWith;
    return answer ? answer() : { token: `token-${calls}`, expiresAt: now + (options.ttlMs ?? 3_600_000) };
  };
  return {
    refresh,
    now: () => now,
    advance: (ms: number) => (now += ms),
    calls: () => calls,
    fail: (e: unknown) => (failWith = e),
    heal: () => (failWith = undefined),
    answer: (f: () => TokenGrant) => (answer = f),
  };
}

const refusal = () => new RevloopError('VENDOR_RECONNECT', 'the vendor refused the refresh token (invalid_grant)', { where: 'connectors.x.refreshToken', fix: 'reconnect', kind: 'bad_input' });

describe('token cache', () => {
  it('keeps the token until skewMs before its expiry, then refreshes', async () => {
    const e = endpoint({ ttlMs: 600_000 });
    const cache = createTokenCache({ refresh: e.refresh, now: e.now, skewMs: 60_000 });
    expect(await cache.token()).toBe('token-1');
    e.advance(539_000);
    expect(await cache.token()).toBe('token-1'); // 61 s left: still good
    e.advance(2_000);
    expect(await cache.token()).toBe('token-2'); // 59 s left: inside the margin
    expect(e.calls()).toBe(2);
    expect(cache.refreshes).toBe(2);
  });

  it('a token without a known expiry is kept until rejected', async () => {
    const e = endpoint();
    e.answer(() => ({ token: `forever-${e.calls()}` }));
    const cache = createTokenCache({ refresh: e.refresh, now: e.now });
    expect(await cache.token()).toBe('forever-1');
    e.advance(365 * 86_400_000);
    expect(await cache.token()).toBe('forever-1');
    expect(e.calls()).toBe(1);
  });

  it('concurrent callers share one refresh', async () => {
    const e = endpoint({ delayMs: 20 });
    const cache = createTokenCache({ refresh: e.refresh, now: e.now });
    const tokens = await Promise.all(Array.from({ length: 12 }, () => cache.token()));
    expect(new Set(tokens)).toEqual(new Set(['token-1']));
    expect(e.calls()).toBe(1);
    // and once expired, again one refresh for many
    e.advance(3_600_000);
    await Promise.all(Array.from({ length: 12 }, () => cache.token()));
    expect(e.calls()).toBe(2);
  });

  it('a refusal is remembered: thrown again without a request, to every caller', async () => {
    const e = endpoint({ delayMs: 5 });
    const cache = createTokenCache({ refresh: e.refresh, now: e.now });
    e.fail(refusal());
    const first = await Promise.all([cache.token(), cache.token()].map((p) => p.catch((x: unknown) => x)));
    expect(first.map((x) => (x as RevloopError).code)).toEqual(['VENDOR_RECONNECT', 'VENDOR_RECONNECT']);
    e.heal(); // even if the endpoint would answer now: the credential was refused for this run
    await expect(cache.token()).rejects.toMatchObject({ code: 'VENDOR_RECONNECT' });
    expect(e.calls()).toBe(1);
    expect(cache.refused).toMatchObject({ code: 'VENDOR_RECONNECT' });
  });

  it('a failure that is not a refusal (endpoint down) is tried again on the next call', async () => {
    const e = endpoint();
    const cache = createTokenCache({ refresh: e.refresh, now: e.now });
    e.fail(new RevloopError('VENDOR_OAUTH_UNAVAILABLE', 'the token endpoint did not answer', { where: 'x', fix: 'later' }));
    await expect(cache.token()).rejects.toMatchObject({ code: 'VENDOR_OAUTH_UNAVAILABLE' });
    e.heal();
    expect(await cache.token()).toBe('token-2');
    expect(cache.refused).toBeUndefined();
  });

  it('isRefusal decides what is remembered', async () => {
    const e = endpoint();
    const cache = createTokenCache({ refresh: e.refresh, now: e.now, isRefusal: (x) => (x as Error).message === 'invalid_grant' });
    e.fail(new Error('invalid_grant'));
    await expect(cache.token()).rejects.toThrow('invalid_grant');
    await expect(cache.token()).rejects.toThrow('invalid_grant');
    expect(e.calls()).toBe(1);
  });

  it('reject(token) forces a refresh; rejecting an older token leaves the newer one', async () => {
    const e = endpoint();
    const cache = createTokenCache({ refresh: e.refresh, now: e.now });
    const first = await cache.token();
    expect(cache.reject(first)).toBe(true);
    expect(await cache.token()).toBe('token-2');
    // a second request that failed with token-1 arrives late: token-2 stays
    expect(cache.reject(first)).toBe(false);
    expect(await cache.token()).toBe('token-2');
    expect(e.calls()).toBe(2);
  });

  it('initial(): a stored token is used before any refresh, read once; rejected, it is not read again', async () => {
    const e = endpoint();
    let reads = 0;
    const cache = createTokenCache({ refresh: e.refresh, now: e.now, initial: async () => (reads++, { token: 'from-config' }) });
    expect(await Promise.all([cache.token(), cache.token()])).toEqual(['from-config', 'from-config']);
    expect(e.calls()).toBe(0);
    cache.reject('from-config');
    expect(await cache.token()).toBe('token-1');
    expect(reads).toBe(1);
  });

  it('initial(): an expired stored token is refreshed', async () => {
    const e = endpoint();
    const cache = createTokenCache({ refresh: e.refresh, now: e.now, initial: () => ({ token: 'stored', expiresAt: e.now() + 30_000 }) });
    expect(await cache.token()).toBe('token-1');
  });
});
