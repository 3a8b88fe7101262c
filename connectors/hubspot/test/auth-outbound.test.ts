// The OAuth token request is under the outbound address policy (issue #25 item 3): it carries the
// app's client secret and the refresh token, so a token endpoint at a metadata, link-local or
// private address is refused before any connection is made. Such a baseUrl cannot pass config
// load (it is refused there too); the context's config is replaced after load to reach the token
// request itself.
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { PluginContext } from '@revloop/core';
import { createHubSpotTokenSource } from '../src/auth.js';
import type { HubSpotConfig } from '../src/config.js';
import { NAME, world, type World } from './helpers.js';

let w: World | undefined;
afterEach(async () => {
  vi.restoreAllMocks();
  await w?.close();
  w = undefined;
});

const oauth = { clientId: 'hs-app-client-id', clientSecret: 'hs-app-client-secret-do-not-log', refreshToken: 'na1-refresh-token-do-not-log' };

describe('HubSpot token request and the outbound policy', () => {
  it.each([
    ['the metadata address', 'http://169.254.169.254', /metadata/],
    ['a private address', 'https://192.168.10.20', /private network/],
  ])('a token endpoint at %s is refused without a connection attempt, and not asked again', async (_what, baseUrl, message) => {
    const fetchSpy = vi.spyOn(globalThis, 'fetch'); // before the runtime: its ctx.http sends through it
    w = await world({ tokens: [], oauthApp: { clientId: oauth.clientId, clientSecret: oauth.clientSecret, refreshTokens: [oauth.refreshToken] } });
    const runtime = await w.runtime({ accessToken: undefined, oauth });
    const ctx = runtime.contextFor<HubSpotConfig>(runtime.connector(NAME));
    const tokens = createHubSpotTokenSource({ ...ctx, config: { ...ctx.config, baseUrl } } as PluginContext<HubSpotConfig>);
    const error = await tokens.token().catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'OUTBOUND_REFUSED', where: `connectors.${NAME}`, kind: 'bad_input' });
    expect((error as Error).message).toMatch(message);
    await expect(tokens.token()).rejects.toMatchObject({ code: 'OUTBOUND_REFUSED' });
    expect(fetchSpy.mock.calls.filter(([u]) => String(u).includes(new URL(baseUrl).hostname))).toEqual([]);
    expect(w.em.oauthApp!.requests).toBe(0);
  });
});
