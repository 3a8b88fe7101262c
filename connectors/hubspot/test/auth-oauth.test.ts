// HubSpot auth against the emulator: an OAuth app's access tokens from its refresh token (30-minute
// tokens, refreshed on expiry and on a 401), an uninstalled app's refresh token (400
// BAD_REFRESH_TOKEN), and a private-app token HubSpot no longer accepts (rotated: 401).
import { afterEach, describe, expect, it } from 'vitest';
import { checkConnectors, syncStream } from '@revloop/core';
import { hubspotFor } from '../src/client.js';
import type { HubSpotConfig } from '../src/config.js';
import { contact, company, MIN, NAME, TOKEN, world, type World } from './helpers.js';

const CLIENT_ID = 'hs-app-client-id';
const CLIENT_SECRET = 'hs-app-client-secret-do-not-log';
const REFRESH = 'na1-refresh-token-do-not-log';
const oauth = { clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, refreshToken: REFRESH };

let w: World | undefined;
afterEach(async () => {
  await w?.close();
  w = undefined;
});

const oauthWorld = () => world({ tokens: [], oauthApp: { clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, refreshTokens: [REFRESH] } });

describe('HubSpot OAuth app', () => {
  it('syncs with an access token from the refresh token, refreshed when it runs out and when HubSpot refuses it early', async () => {
    w = await oauthWorld();
    company(w.em, 1);
    contact(w.em, 1, 1);
    const runtime = await w.runtime({ accessToken: undefined, oauth });
    const [check] = await checkConnectors(runtime);
    expect(check).toMatchObject({ ok: true });
    expect((await syncStream(runtime, NAME, 'contacts')).status).toBe('succeeded');
    expect(w.em.oauthApp!.requests).toBe(1); // one token for every call

    w.clock.advance(31 * MIN); // HubSpot's OAuth tokens live 30 minutes
    contact(w.em, 2, 1);
    expect((await syncStream(runtime, NAME, 'contacts')).status).toBe('succeeded');
    expect(w.em.oauthApp!.requests).toBe(2);

    // the token ends before its time: 401 EXPIRED_AUTHENTICATION → one refresh, the call repeated
    w.clock.advance(MIN);
    w.em.oauthApp!.expireAccessTokens();
    contact(w.em, 3, 1);
    const run = await syncStream(runtime, NAME, 'contacts');
    expect(run.status).toBe('succeeded');
    expect(run.read).toBeGreaterThan(0);
    expect(w.em.oauthApp!.requests).toBe(3);
  });

  it('an uninstalled app (BAD_REFRESH_TOKEN) fails check and sync with a reconnect error: key, fix, no secret, one token request', async () => {
    w = await oauthWorld();
    contact(w.em, 1, 1);
    w.em.oauthApp!.revokeRefreshToken(REFRESH);
    const runtime = await w.runtime({ accessToken: undefined, oauth });
    const [check] = await checkConnectors(runtime);
    expect(check!.ok).toBe(false);
    expect(check!.message).toContain('HubSpot refused the refresh token (BAD_REFRESH_TOKEN: missing or unknown refresh token)');
    expect(check!.message).toContain(`connectors.${NAME}.oauth.refreshToken`);
    expect(check!.message).toMatch(/install the HubSpot app in the portal again/);
    const error = await syncStream(runtime, NAME, 'contacts').catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'HUBSPOT_RECONNECT', where: `connectors.${NAME}.oauth.refreshToken`, kind: 'bad_input' });
    expect(w.em.oauthApp!.requests).toBe(1); // refused once, never asked again by this runtime
    for (const text of [check!.message, (error as Error).message, (error as { fix: string }).fix]) {
      expect(text).not.toContain(REFRESH);
      expect(text).not.toContain(CLIENT_SECRET);
    }
  });

  it('the config takes accessToken or oauth, exactly one', async () => {
    w = await world();
    const neither = await w.runtime({ accessToken: undefined }).catch((e: unknown) => e);
    expect((neither as Error).message).toContain(`connectors.${NAME}.accessToken`);
    expect((neither as Error).message).toContain('or oauth { clientId, clientSecret, refreshToken }');
    const both = await w.runtime({ oauth }).catch((e: unknown) => e);
    expect((both as Error).message).toContain('set accessToken or oauth, not both');
  });
});

describe('HubSpot private-app token', () => {
  it('a token HubSpot no longer accepts (rotated, app deleted) fails check and sync at the first 401: no retries, the fix names accessToken', async () => {
    w = await world();
    contact(w.em, 1, 1);
    w.em.state.tokens.delete(TOKEN); // rotated in HubSpot: the old token answers 401
    const runtime = await w.runtime();
    const [check] = await checkConnectors(runtime);
    expect(check!.ok).toBe(false);
    expect(check!.message).toContain('HubSpot refused the access token (INVALID_AUTHENTICATION');
    expect(check!.message).toContain('accessToken');
    const error = await syncStream(runtime, NAME, 'contacts').catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'HUBSPOT_TOKEN_REFUSED' });
    expect((error as { fix: string }).fix).toMatch(/Rotate.*accessToken/);
    expect((error as Error).message).not.toContain(TOKEN);
    // one request for the check, one for the sync: a refused token is not retried
    expect(hubspotFor(runtime.contextFor<HubSpotConfig>(runtime.connector(NAME))).stats).toMatchObject({ requests: 2, retries: 0 });
  });
});
