import { afterEach, describe, expect, it } from 'vitest';
import { checkConnectors, syncStream } from '@revloop/core';
import { clientFor, LINKEDIN_API_VERSION } from '../src/index.js';
import type { LinkedInAdsConfig } from '../src/config.js';
import { adDay, campaign, day, spendRows, startHarness, type Harness } from './helpers.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.stop();
  h = undefined;
});

const ctxOf = (harness: Harness, runtime = harness.runtime) => runtime.contextFor<LinkedInAdsConfig>(runtime.connector('linkedin'));

describe('LinkedIn-Version', () => {
  it('a sunset pinned version stops the sync with a 426 error naming the version, a version that answers, and where to set it', async () => {
    h = await startHarness({ start: Date.parse('2025-06-15T12:00:00Z'), emulator: { versions: { sunset: [LINKEDIN_API_VERSION] } }, connector: { startDate: '2025-06-01' } });
    const error = await syncStream(h.runtime, 'linkedin', 'campaign-analytics').catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'LINKEDIN_VERSION_SUNSET' });
    const e = error as { message: string; fix: string; where: string };
    expect(e.message).toContain(`version ${LINKEDIN_API_VERSION} is sunset`);
    expect(e.message).toContain('Requested version 20250101 is not active');
    expect(e.fix).toContain("apiVersion: '202506'"); // the newest month that answers
    expect(e.fix).toContain('LINKEDIN_API_VERSION');
    expect(e.where).toContain('LINKEDIN_API_VERSION');
  });

  it('a sunset version set in config points at the config key', async () => {
    h = await startHarness({ connector: { apiVersion: '202301' } });
    const [check] = await checkConnectors(h.runtime);
    expect(check!.ok).toBe(false);
    expect(check!.message).toMatch(/version 202301 is sunset/);
    const error = await syncStream(h.runtime, 'linkedin', 'campaigns').catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'LINKEDIN_VERSION_SUNSET', where: 'connectors.linkedin.apiVersion' });
  });
});

describe('OAuth', () => {
  it('gets an access token with the refresh token when none is configured, caches it in plugin state', async () => {
    h = await startHarness({ connector: { accessToken: undefined } });
    h.emu.state.apply(campaign(1));
    expect((await syncStream(h.runtime, 'linkedin', 'campaigns')).status).toBe('succeeded');
    expect(clientFor(ctxOf(h)).stats.tokenRefreshes).toBe(1);
    const stored = await ctxOf(h).state.get<{ accessToken: string }>('oauth:access-token');
    expect(stored?.accessToken).toMatch(/^AQV/);
    // a second runtime on the same database reuses the cached token: no refresh
    const again = await h.newRuntime({ accessToken: undefined }, true);
    expect((await syncStream(again, 'linkedin', 'campaigns')).status).toBe('succeeded');
    expect(clientFor(ctxOf(h, again)).stats.tokenRefreshes).toBe(0);
    // the token never reaches the logs
    expect(h.sink.text()).not.toContain(stored!.accessToken);
  });

  it('refreshes an expired access token (401) and repeats the call', async () => {
    h = await startHarness({ emulator: { faults: { tokenTtlMs: 3_600_000 } } });
    h.emu.state.apply(campaign(1));
    h.emu.state.apply(adDay(1, day(2), 100, 1_000_000));
    h.clock.advance(2 * 3_600_000); // the configured token is now expired
    const run = await syncStream(h.runtime, 'linkedin', 'campaign-analytics');
    expect(run).toMatchObject({ status: 'succeeded', written: 1 });
    expect(clientFor(ctxOf(h)).stats.tokenRefreshes).toBe(1);
    expect(h.sink.text()).toContain('access token refused: refreshing');
    // the refreshed token has a known expiry: it is renewed before it runs out, without a 401
    h.clock.advance(2 * 3_600_000);
    expect((await syncStream(h.runtime, 'linkedin', 'campaign-analytics')).status).toBe('succeeded');
    expect(clientFor(ctxOf(h)).stats.tokenRefreshes).toBe(2);
    expect(h.sink.text().match(/access token refused/g)).toHaveLength(1);
  });

  it('a revoked refresh token stops with a "reconnect" error and its fix', async () => {
    h = await startHarness();
    h.emu.state.revokeAccessToken(h.emu.accessToken);
    h.emu.state.revokeRefreshToken(h.emu.refreshToken);
    const error = await syncStream(h.runtime, 'linkedin', 'campaigns').catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'LINKEDIN_RECONNECT', where: 'connectors.linkedin.refreshToken' });
    expect((error as Error).message).toContain('invalid_grant');
    expect((error as { fix: string }).fix).toMatch(/reconnect LinkedIn.*refreshToken/);
    expect(h.sink.text()).not.toContain(h.emu.refreshToken);
  });
});

describe('quotas', () => {
  it('a DAY 429 is not retried: the sync stops at once with the reset time, keeping its checkpoint', async () => {
    h = await startHarness({ emulator: { requestsPerDay: 2 }, connector: { analyticsChunkDays: 7 } });
    h.emu.state.apply(campaign(1));
    for (let d = 0; d < 28; d++) h.emu.state.apply(adDay(1, day(d), 100, 1_000_000));
    const before = h.clock.now();
    const error = await syncStream(h.runtime, 'linkedin', 'campaign-analytics').catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'RATE_LIMIT_EXHAUSTED', fix: expect.stringContaining('00:00 UTC') });
    expect(clientFor(ctxOf(h)).stats).toMatchObject({ requests: 3, retries: 0 });
    expect(h.clock.now()).toBe(before); // no waiting on a daily limit
    expect(await spendRows(h.runtime)).toHaveLength(14);
    // each following day resumes from the checkpoint (re-reading the lookback) until it is done
    let days = 0;
    for (let status = ''; status !== 'succeeded' && days < 10; days++) {
      h.clock.set(Date.parse('2024-03-02T00:00:01Z') + days * 86_400_000);
      status = await syncStream(h.runtime, 'linkedin', 'campaign-analytics').then((r) => r.status, () => 'failed');
    }
    expect(days).toBeLessThan(10);
    expect(await spendRows(h.runtime)).toHaveLength(28);
  });
});
