import { afterEach, describe, expect, it } from 'vitest';
import { checkConnectors, syncStream } from '@revloop/core';
import { clientFor, LINKEDIN_API_VERSION } from '../src/index.js';
import { previousVersion } from '../src/version.js';
import type { LinkedInAdsConfig } from '../src/config.js';
import { adDay, campaign, day, spendRows, startHarness, type Harness } from './helpers.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.stop();
  h = undefined;
});

const ctxOf = (harness: Harness, runtime = harness.runtime) => runtime.contextFor<LinkedInAdsConfig>(runtime.connector('linkedin'));

const TODAY = Date.parse('2026-12-07T12:00:00Z');

describe('LinkedIn-Version', () => {
  it("at today's date the default version answers on the strict emulator (202501, pinned before, is sunset: 426 on every call)", async () => {
    h = await startHarness({ start: TODAY, connector: { startDate: '2026-12-01' } });
    h.emu.state.apply(campaign(1));
    expect(await syncStream(h.runtime, 'linkedin', 'campaigns')).toMatchObject({ status: 'succeeded', written: 1 });
    const [check] = await checkConnectors(h.runtime);
    expect(check!.ok).toBe(true);
    // the emulator refuses the version the connector used to pin, at this date
    const old = await fetch(`${h.emu.url}/rest/adAccounts/${h.emu.state.adAccount.id}`, {
      headers: { Authorization: `Bearer ${h.emu.accessToken}`, 'LinkedIn-Version': '202501', 'X-Restli-Protocol-Version': '2.0.0' },
    });
    expect(old.status).toBe(426);
  });

  it('a 426 on the pinned version stops the sync with an error naming the newest version that answers, and where to set it', async () => {
    h = await startHarness({ start: TODAY, emulator: { versions: { latest: '202611', sunset: [LINKEDIN_API_VERSION] } }, connector: { startDate: '2026-12-01' } });
    const error = await syncStream(h.runtime, 'linkedin', 'campaign-analytics').catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'LINKEDIN_VERSION_SUNSET' });
    const e = error as { message: string; fix: string; where: string };
    expect(e.message).toContain(`version ${LINKEDIN_API_VERSION} is sunset`);
    expect(e.message).toContain(`Requested version ${LINKEDIN_API_VERSION}01 is not active`);
    expect(e.message).toContain('the newest supported version is 202611');
    expect(e.fix).toContain("apiVersion: '202611'"); // the newest month that answers
    expect(e.where).toContain('LINKEDIN_API_VERSION');
  });

  it('when no newer month answers, the 426 error names the newest supported version by the calendar', async () => {
    // the pinned version is switched off early and no newer month is released: the probe finds none
    h = await startHarness({ start: TODAY, emulator: { versions: { latest: LINKEDIN_API_VERSION, sunset: [LINKEDIN_API_VERSION] } }, connector: { startDate: '2026-12-01' } });
    const error = await syncStream(h.runtime, 'linkedin', 'campaigns').catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'LINKEDIN_VERSION_SUNSET' });
    // the calendar's newest that did not answer 426 is the month before the pinned one
    const expected = previousVersion(LINKEDIN_API_VERSION);
    expect((error as { message: string }).message).toContain(`the newest supported version is ${expected}`);
    expect((error as { fix: string }).fix).toContain(`apiVersion: '${expected}'`);
    expect((error as { fix: string }).fix).toContain('published calendar');
  });

  it('a configured version sunset by the calendar is refused at config load, with the fix', async () => {
    const error = await startHarness({ connector: { apiVersion: '202301' } }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'PLUGIN_CONFIG_INVALID' });
    const message = (error as Error).message;
    expect(message).toContain('connectors.linkedin.apiVersion');
    expect(message).toMatch(/LinkedIn-Version 202301 was sunset on 2024-01-15/);
    expect(message).toMatch(/Fix: set apiVersion: '\d{6}'/);
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
    // 3 a day: the campaign listing (sizes the analytics requests) + two 7-day requests
    h = await startHarness({ emulator: { requestsPerDay: 3 }, connector: { analyticsChunkDays: 7 } });
    h.emu.state.apply(campaign(1));
    for (let d = 0; d < 28; d++) h.emu.state.apply(adDay(1, day(d), 100, 1_000_000));
    const before = h.clock.now();
    const error = await syncStream(h.runtime, 'linkedin', 'campaign-analytics').catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'RATE_LIMIT_EXHAUSTED', fix: expect.stringContaining('00:00 UTC') });
    expect(clientFor(ctxOf(h)).stats).toMatchObject({ requests: 4, retries: 0 });
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
