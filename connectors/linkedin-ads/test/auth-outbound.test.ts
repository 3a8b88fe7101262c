// The OAuth token request and the token introspection are under the outbound address policy
// (issue #25 item 3): they carry the app's client secret (and the refresh token), so an
// oauthBaseUrl at a metadata, link-local or private address is refused before any connection is
// made. Such a URL cannot pass config load (it is refused there too); the context's config is
// replaced after load to reach the requests themselves.
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { PluginContext } from '@revloop/core';
import { createTokenSource } from '../src/auth.js';
import type { LinkedInAdsConfig } from '../src/config.js';
import { linkedInLiveCheck } from '../src/live-check.js';
import { clientFor } from '../src/client.js';
import { startHarness, type Harness } from './helpers.js';

let h: Harness | undefined;
afterEach(async () => {
  vi.restoreAllMocks();
  await h?.stop();
  h = undefined;
});

const bad = [
  ['the metadata address', 'http://169.254.169.254', /metadata/],
  ['a private address', 'https://172.16.5.4', /private network/],
] as const;

/** the connector's context on the emulator, with oauthBaseUrl replaced; keepAccessToken: API calls need no refresh */
async function contextWith(oauthBaseUrl: string, keepAccessToken = false) {
  const fetchSpy = vi.spyOn(globalThis, 'fetch'); // before the runtime: its ctx.http sends through it
  h = await startHarness();
  const runtime = await h.newRuntime(keepAccessToken ? {} : { accessToken: undefined });
  const ctx = runtime.contextFor<LinkedInAdsConfig>(runtime.connector('linkedin'));
  const sent = () => fetchSpy.mock.calls.filter(([u]) => String(u).includes(new URL(oauthBaseUrl).hostname));
  return { ctx: { ...ctx, config: { ...ctx.config, oauthBaseUrl } } as PluginContext<LinkedInAdsConfig>, sent };
}

describe('LinkedIn token requests and the outbound policy', () => {
  it.each(bad)('a token endpoint at %s is refused without a connection attempt, and not asked again', async (_what, url, message) => {
    const { ctx, sent } = await contextWith(url);
    const tokens = createTokenSource(ctx);
    const error = await tokens.token().catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'OUTBOUND_REFUSED', where: 'connectors.linkedin', kind: 'bad_input' });
    expect((error as Error).message).toMatch(message);
    await expect(tokens.token()).rejects.toMatchObject({ code: 'OUTBOUND_REFUSED' });
    expect(sent()).toEqual([]);
    expect(tokens.refreshes).toBe(0);
  });

  it.each(bad)('token introspection (check --live) at %s is refused without a connection attempt', async (_what, url) => {
    const { ctx, sent } = await contextWith(url, true);
    // the ad account read passes with the config's token; the introspection is what is refused
    await expect(linkedInLiveCheck(ctx)).rejects.toMatchObject({ code: 'OUTBOUND_REFUSED', message: expect.stringContaining(new URL(url).host) });
    expect(sent()).toEqual([]);
  });
});

describe('LinkedIn API calls and the outbound policy', () => {
  it.each(bad)('an API base URL at %s is refused without a connection attempt and without retries', async (_what, url) => {
    const fetchSpy = vi.spyOn(globalThis, 'fetch');
    h = await startHarness();
    const runtime = await h.newRuntime({});
    const base = runtime.contextFor<LinkedInAdsConfig>(runtime.connector('linkedin'));
    const ctx = { ...base, config: { ...base.config, apiBaseUrl: url } } as PluginContext<LinkedInAdsConfig>;
    const client = clientFor(ctx);
    await expect(client.json(`/rest/adAccounts/${ctx.config.adAccountId}`, { what: 'read the ad account' })).rejects.toMatchObject({ code: 'OUTBOUND_REFUSED' });
    expect(fetchSpy.mock.calls.filter(([u]) => String(u).includes(new URL(url).hostname))).toEqual([]);
  });
});
