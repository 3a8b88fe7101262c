// The OAuth token request is under the outbound address policy (issue #25 item 3): it carries the
// client secret and the refresh token, so a token URL at a metadata, link-local or private address
// is refused before any connection is made. Such a URL cannot pass config load (it is refused
// there too); the context's config is replaced after load to reach the token request itself.
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { PluginContext } from '@revloop/core';
import { createGoogleTokenSource } from '../src/auth.js';
import type { GoogleAdsConfig } from '../src/config.js';
import { startHarness, type Harness } from './helpers.js';

let h: Harness | undefined;
afterEach(async () => {
  vi.restoreAllMocks();
  await h?.stop();
  h = undefined;
});

describe('Google Ads token request and the outbound policy', () => {
  it.each([
    ['the metadata address', 'http://169.254.169.254/computeMetadata/v1/token', /metadata/],
    ['a metadata name', 'https://metadata.google.internal/token', /metadata service/],
    ['a private address', 'https://10.20.30.40/token', /private network/],
  ])('a token URL at %s is refused without a connection attempt, and not asked again', async (_what, url, message) => {
    const fetchSpy = vi.spyOn(globalThis, 'fetch'); // before the runtime: its ctx.http sends through it
    h = await startHarness({ connector: { insecure: false, caCertPath: undefined } });
    const ctx = h.runtime.contextFor<GoogleAdsConfig>(h.runtime.connector('google'));
    const tokens = createGoogleTokenSource({ ...ctx, config: { ...ctx.config, oauthTokenUrl: url } } as PluginContext<GoogleAdsConfig>);
    const error = await tokens.token().catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'OUTBOUND_REFUSED', where: 'connectors.google', kind: 'bad_input' });
    expect((error as Error).message).toMatch(message);
    await expect(tokens.token()).rejects.toMatchObject({ code: 'OUTBOUND_REFUSED' });
    expect(fetchSpy.mock.calls.filter(([u]) => String(u).includes(new URL(url).hostname))).toEqual([]);
    expect(tokens.refreshes).toBe(0);
  });
});
