// Salesforce auth against the emulator: a refresh token revoked or expired (the connected app's
// "expire refresh token after" policy; Salesforce answers both with 400 invalid_grant "expired
// access/refresh token") fails check and sync with a reconnect error, once, without a secret.
import { afterEach, describe, expect, it } from 'vitest';
import { checkConnectors, syncStream } from '@revloop/core';
import { account, contact, NAME, world, type World } from './helpers.js';

let w: World | undefined;
afterEach(async () => {
  await w?.close();
  w = undefined;
});

describe('salesforce: refused refresh token', () => {
  it('check and every stream of a sync fail with SALESFORCE_RECONNECT_REQUIRED after one token request; no secret in the messages', async () => {
    w = await world();
    account(w.em, 1);
    contact(w.em, 1, 1);
    w.em.tokens.revoke(w.em.refreshToken); // also ends the access tokens issued from it
    const runtime = await w.runtime();
    const [check] = await checkConnectors(runtime);
    expect(check!.ok).toBe(false);
    expect(check!.message).toContain('Salesforce refused the refresh token');
    expect(check!.message).toContain('expired access/refresh token');
    expect(check!.message).toMatch(/reconnect Salesforce/);
    const errors: unknown[] = [];
    for (const stream of ['accounts', 'contacts', 'opportunities']) errors.push(await syncStream(runtime, NAME, stream).catch((e: unknown) => e));
    for (const e of errors) expect(e).toMatchObject({ code: 'SALESFORCE_RECONNECT_REQUIRED', fix: expect.stringContaining('refresh token') });
    // one refresh attempt for the runtime: nothing more is sent with a refused refresh token
    expect(w.em.tokens.refreshRequests).toBe(1);
    for (const text of [check!.message, ...errors.map((e) => `${(e as Error).message} ${(e as { fix: string }).fix}`)]) {
      expect(text).not.toContain(w.em.refreshToken);
      expect(text).not.toContain(w.em.credentials.clientSecret);
    }
  });
});
