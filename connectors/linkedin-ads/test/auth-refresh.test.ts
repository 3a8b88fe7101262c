// LinkedIn refresh tokens that stop working: one past its 365 days, one the member revoked.
// LinkedIn answers both at POST /oauth/v2/accessToken with 400 invalid_grant; check and sync must
// fail with a reconnect error naming refreshToken and the fix, sent once, without a secret.
import { createServer, type Server } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { checkConnectors, syncStream } from '@revloop/core';
import { campaign, startHarness, type Harness } from './helpers.js';

let h: Harness | undefined;
let proxy: Server | undefined;
afterEach(async () => {
  await h?.stop();
  h = undefined;
  if (proxy) await new Promise((resolve) => proxy!.close(resolve));
  proxy = undefined;
});

/** a loopback pass-through to the emulator's OAuth host that counts token requests */
async function countingOAuthHost(target: string): Promise<{ url: string; requests: () => number }> {
  let requests = 0;
  proxy = createServer((req, res) => {
    requests++;
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', async () => {
      const r = await fetch(`${target}${req.url}`, { method: req.method, headers: { 'content-type': String(req.headers['content-type'] ?? '') }, body: Buffer.concat(chunks) });
      res.writeHead(r.status, { 'content-type': r.headers.get('content-type') ?? 'application/json' });
      res.end(Buffer.from(await r.arrayBuffer()));
    });
  });
  await new Promise<void>((resolve) => proxy!.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(proxy.address() as { port: number }).port}`, requests: () => requests };
}

async function expectReconnect(harness: Harness, oauthBaseUrl: string) {
  const runtime = await harness.newRuntime({ accessToken: undefined, oauthBaseUrl });
  const [check] = await checkConnectors(runtime);
  expect(check!.ok).toBe(false);
  expect(check!.message).toContain('LinkedIn refused the refresh token (invalid_grant');
  expect(check!.message).toMatch(/fix: reconnect LinkedIn.*refreshToken/);
  const errors = [];
  for (const stream of ['campaigns', 'campaign-analytics']) errors.push(await syncStream(runtime, 'linkedin', stream).catch((e: unknown) => e));
  for (const e of errors) expect(e).toMatchObject({ code: 'LINKEDIN_RECONNECT', where: 'connectors.linkedin.refreshToken', kind: 'bad_input' });
  for (const text of [check!.message, ...errors.map((e) => `${(e as Error).message} ${(e as { fix: string }).fix}`), harness.sink.text()]) {
    expect(text).not.toContain(harness.emu.refreshToken);
    expect(text).not.toContain(harness.emu.clientSecret);
  }
}

describe('LinkedIn: refused refresh token', () => {
  it('an expired refresh token (365 days) fails check and sync with LINKEDIN_RECONNECT after one token request', async () => {
    h = await startHarness({ emulator: { refreshTokenTtlMs: 365 * 86_400_000 } });
    h.emu.state.apply(campaign(1));
    h.clock.advance(366 * 86_400_000);
    const oauth = await countingOAuthHost(h.emu.url);
    await expectReconnect(h, oauth.url);
    expect(oauth.requests()).toBe(1); // check and both streams: the refused token is not sent again
  });

  it('a revoked refresh token: the same, with no retry', async () => {
    h = await startHarness();
    h.emu.state.revokeRefreshToken(h.emu.refreshToken);
    const oauth = await countingOAuthHost(h.emu.url);
    await expectReconnect(h, oauth.url);
    expect(oauth.requests()).toBe(1);
  });
});
