// The production auth path against the emulator: gRPC over TLS (a self-signed CA made here, given
// to the connector through caCertPath) with OAuth access tokens from a loopback token endpoint
// (refresh-token grant). The emulator accepts only a bearer its endpoint minted, and refuses it
// once expired: a refresh is proven, not assumed.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { checkConnectors, syncStream } from '@revloop/core';
import { sessionFor } from '../src/client.js';
import type { GoogleAdsConfig } from '../src/config.js';
import { campaign, startHarness, type Harness } from './helpers.js';

const CLIENT_ID = 'tls-client.apps.googleusercontent.com';
const CLIENT_SECRET = 'tls-client-secret-do-not-log';
const REFRESH_TOKEN = '1//tls-refresh-token-do-not-log';

let certDir: string;
let tls: { keyPem: string; certPem: string; caPath: string };

beforeAll(() => {
  certDir = mkdtempSync(join(tmpdir(), 'revloop-gads-tls-'));
  const key = join(certDir, 'key.pem');
  const cert = join(certDir, 'cert.pem');
  // a self-signed certificate for 127.0.0.1 (the address the client dials), valid for a day
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'], { stdio: 'ignore' });
  tls = { keyPem: readFileSync(key, 'utf8'), certPem: readFileSync(cert, 'utf8'), caPath: cert };
});
afterAll(() => rmSync(certDir, { recursive: true, force: true }));

let h: Harness | undefined;
afterEach(async () => {
  await h?.stop();
  h = undefined;
});

async function secureHarness(connector: Record<string, unknown> = {}) {
  const harness = await startHarness({
    emulator: { tls: { keyPem: tls.keyPem, certPem: tls.certPem }, oauth: { clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, refreshToken: REFRESH_TOKEN, accessTokenTtlMs: 3_600_000 } },
    connector: {
      insecure: false,
      caCertPath: tls.caPath,
      clientId: CLIENT_ID,
      clientSecret: CLIENT_SECRET,
      refreshToken: REFRESH_TOKEN,
      maxRetries: 0,
      ...connector,
    },
  });
  return harness; // the emulator's token URL is known only once it runs: each test makes its runtime
}

describe('Google Ads over TLS with OAuth token refresh', () => {
  // the first test loads google-ads-api and the protos: seconds alone, more on a busy machine
  it('check and sync reach the emulator over TLS with a minted access token, refreshed when it expires and when it is refused', { timeout: 120_000 }, async () => {
    h = await secureHarness();
    const runtime = await h.newRuntime({ oauthTokenUrl: h.emu.oauthTokenUrl });
    h.emu.state.apply(campaign('11', 'Brand'));

    const [check] = await checkConnectors(runtime);
    expect(check).toMatchObject({ ok: true });
    expect(h.emu.oauth!.granted).toBe(1);
    expect((await syncStream(runtime, 'google', 'campaigns')).status).toBe('succeeded');
    expect(h.emu.oauth!.granted).toBe(1); // cached: no refresh per call

    // the token's lifetime runs out: the connector refreshes it before the call
    h.clock.advance(2 * 3_600_000);
    expect((await syncStream(runtime, 'google', 'campaigns')).status).toBe('succeeded');
    expect(h.emu.oauth!.granted).toBe(2);

    // Google ends the access token early: UNAUTHENTICATED OAUTH_TOKEN_EXPIRED → one refresh, the call repeated
    h.emu.oauth!.expireAccessTokens();
    expect((await syncStream(runtime, 'google', 'campaigns')).status).toBe('succeeded');
    expect(h.emu.oauth!.granted).toBe(3);
    expect(h.sink.text()).toContain('google ads access token refused: refreshing');
    // neither the refresh token nor the client secret reaches the logs
    expect(h.sink.text()).not.toContain(REFRESH_TOKEN);
    expect(h.sink.text()).not.toContain(CLIENT_SECRET);
  });

  it('without the CA the self-signed certificate is refused: the channel really is TLS', async () => {
    h = await secureHarness();
    const runtime = await h.newRuntime({ oauthTokenUrl: h.emu.oauthTokenUrl, caCertPath: undefined, maxRetries: 6 });
    const [check] = await checkConnectors(runtime, 10_000);
    expect(check!.ok).toBe(false);
    expect(check!.message).toContain('self-signed certificate');
    // not retried as a transient UNAVAILABLE: the fix names caCertPath
    expect(check!.message).toContain('GOOGLE_ADS_TLS_UNTRUSTED');
    expect(check!.message).toContain('set caCertPath');
    expect(sessionFor(runtime.contextFor<GoogleAdsConfig>(runtime.connector('google'))).stats.retried).toBe(0);
  });

  it('a bearer the token endpoint did not mint is refused (OAUTH_TOKEN_INVALID), after one refresh', async () => {
    h = await secureHarness();
    // another token endpoint, handing out a token the emulator never minted
    let served = 0;
    const fake = createServer((_req, res) => {
      served++;
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ access_token: `ya29.made-up-${served}`, expires_in: 3599, token_type: 'Bearer' }));
    });
    await new Promise<void>((resolve) => fake.listen(0, '127.0.0.1', resolve));
    try {
      const port = (fake.address() as { port: number }).port;
      const runtime = await h.newRuntime({ oauthTokenUrl: `http://127.0.0.1:${port}/token` });
      const [check] = await checkConnectors(runtime);
      expect(check!.ok).toBe(false);
      expect(check!.message).toContain('OAUTH_TOKEN_INVALID');
      expect(served).toBe(2); // the first token, then one refresh after the refusal: no more
    } finally {
      await new Promise((resolve) => fake.close(resolve));
    }
  });

  it('a revoked refresh token fails check and sync with a reconnect error naming Google, the key and the fix; one token request, no secret', async () => {
    h = await secureHarness();
    h.emu.oauth!.revokeRefreshToken();
    const runtime = await h.newRuntime({ oauthTokenUrl: h.emu.oauthTokenUrl });
    const [check] = await checkConnectors(runtime);
    expect(check!.ok).toBe(false);
    expect(check!.message).toContain('GOOGLE_ADS_RECONNECT');
    expect(check!.message).toContain('Google refused the refresh token (invalid_grant: Token has been expired or revoked.)');
    expect(check!.message).toContain('refreshToken');
    expect(check!.message).toMatch(/authorise the app again/);

    const error = await syncStream(runtime, 'google', 'campaigns').catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'GOOGLE_ADS_RECONNECT', where: 'connectors.google.refreshToken', kind: 'bad_input' });
    expect((error as Error).stack ?? '').not.toContain(REFRESH_TOKEN);
    // no retry storm: the refused refresh token is not sent again by this runtime
    expect(h.emu.oauth!.requests).toBe(1);
    for (const text of [check!.message, (error as Error).message, h.sink.text()]) {
      expect(text).not.toContain(REFRESH_TOKEN);
      expect(text).not.toContain(CLIENT_SECRET);
    }
  });

  it('caCertPath that is not a PEM file is refused at config load with the path and the fix', async () => {
    h = await secureHarness();
    const notPem = join(certDir, 'not.pem');
    writeFileSync(notPem, 'hello');
    const error = await h.newRuntime({ oauthTokenUrl: h.emu.oauthTokenUrl, caCertPath: notPem }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'PLUGIN_CONFIG_INVALID' });
    expect((error as Error).message).toContain('connectors.google.caCertPath');
    expect((error as Error).message).toContain('holds no PEM certificate');
    const missing = await h.newRuntime({ oauthTokenUrl: h.emu.oauthTokenUrl, caCertPath: join(certDir, 'nope.pem') }).catch((e: unknown) => e);
    expect((missing as Error).message).toContain('no file at');
  });
});
