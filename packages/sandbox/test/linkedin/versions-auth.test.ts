import { afterEach, describe, expect, it } from 'vitest';
import { start } from './helpers.js';

let stops: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(stops.map((s) => s()));
  stops = [];
});

describe('LinkedIn versioning', () => {
  it('serves an active version, 400s a missing one, 426s sunset, never-released and pre-versioning ones', async () => {
    const { emu, call } = await start({ versions: { sunset: ['202409'] } });
    stops.push(emu.stop);
    expect((await call('/rest/adAccounts?q=search')).status).toBe(200);

    const missing = await call('/rest/adAccounts?q=search', { headers: { 'LinkedIn-Version': '' } });
    expect(missing.status).toBe(400);
    expect(await missing.json()).toMatchObject({ status: 400, code: 'VERSION_MISSING' });

    // 202409: switched off by the test; 202205: before the first versioned release; 202701: not released
    for (const old of ['202409', '202205', '202701']) {
      const res = await call('/rest/adAccounts?q=search', { headers: { 'LinkedIn-Version': old } });
      expect(res.status).toBe(426);
      expect(await res.json()).toEqual({ status: 426, code: 'NONEXISTENT_VERSION', message: `Requested version ${old}01 is not active` });
    }
  });

  it('sunsets versions by the calendar on the emulator clock: published dates, else one year after release', async () => {
    const { emu, call } = await start();
    stops.push(emu.stop);
    const status = async (v: string) => (await call('/rest/adAccounts?q=search', { headers: { 'LinkedIn-Version': v } })).status;
    // the emulator clock starts 2024-01-01: 202301 is sunset on 2024-01-15 (no published date)
    expect(await status('202301')).toBe(200);
    expect(await status('202501')).toBe(200);
    emu.clock!.advance(Date.parse('2024-01-15T00:00:00Z') - emu.clock!.now());
    expect(await status('202301')).toBe(426);
    // today (2026-12): 202501 and 202506 are sunset; 202511's published sunset was 2026-11-16
    emu.clock!.advance(Date.parse('2026-12-07T12:00:00Z') - emu.clock!.now());
    for (const v of ['202501', '202506', '202511']) expect(await status(v)).toBe(426);
    expect(await status('202601')).toBe(200); // published sunset 2027-01-15
    expect(await status('202607')).toBe(200);
    // a version's last day: 202601 still answers on 2027-01-14, not on 2027-01-15
    emu.clock!.advance(Date.parse('2027-01-14T23:59:59Z') - emu.clock!.now());
    expect(await status('202601')).toBe(200);
    emu.clock!.advance(1000);
    expect(await status('202601')).toBe(426);
  });
});

describe('LinkedIn OAuth', () => {
  it('expires access tokens on the emulator clock and refreshes them with the refresh token', async () => {
    const { emu, call } = await start({ faults: { tokenTtlMs: 3_600_000 } });
    stops.push(emu.stop);
    expect((await call('/rest/adAccounts?q=search')).status).toBe(200);
    emu.clock!.advance(3_600_000);
    const expired = await call('/rest/adAccounts?q=search');
    expect(expired.status).toBe(401);
    expect(await expired.json()).toMatchObject({ status: 401, code: 'EXPIRED_ACCESS_TOKEN', serviceErrorCode: 65602 });

    const refresh = (refreshToken: string) =>
      fetch(`${emu.url}/oauth/v2/accessToken`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: refreshToken, client_id: emu.clientId, client_secret: emu.clientSecret }),
      });
    const res = await refresh(emu.refreshToken);
    expect(res.status).toBe(200);
    const token = (await res.json()) as { access_token: string; expires_in: number; refresh_token: string; refresh_token_expires_in: number };
    expect(token.expires_in).toBe(3600);
    expect(token.refresh_token).toBe(emu.refreshToken);
    expect(token.refresh_token_expires_in).toBe(365 * 86_400 - 3600);
    const ok = await call('/rest/adAccounts?q=search', { headers: { Authorization: `Bearer ${token.access_token}` } });
    expect(ok.status).toBe(200);

    emu.state.revokeRefreshToken(emu.refreshToken);
    const revoked = await refresh(emu.refreshToken);
    expect(revoked.status).toBe(400);
    expect(await revoked.json()).toMatchObject({ error: 'invalid_grant' });

    emu.state.revokeAccessToken(token.access_token);
    const r = await call('/rest/adAccounts?q=search', { headers: { Authorization: `Bearer ${token.access_token}` } });
    expect(await r.json()).toMatchObject({ status: 401, code: 'REVOKED_ACCESS_TOKEN', serviceErrorCode: 65601 });
    const bad = await call('/rest/adAccounts?q=search', { headers: { Authorization: 'Bearer nope' } });
    expect(bad.status).toBe(401);
  });

  it('answers quota overruns with 429 and the daily quota resets at midnight UTC', async () => {
    const { emu, call } = await start({ requestsPerDay: 2 });
    stops.push(emu.stop);
    expect((await call('/rest/adAccounts?q=search')).status).toBe(200);
    expect((await call('/rest/adAccounts?q=search')).status).toBe(200);
    const limited = await call('/rest/adAccounts?q=search');
    expect(limited.status).toBe(429);
    expect(await limited.json()).toMatchObject({ status: 429, code: 'TOO_MANY_REQUESTS' });
    emu.clock!.advance(86_400_000);
    expect((await call('/rest/adAccounts?q=search')).status).toBe(200);
  });

  it('injects LinkedIn 500 bodies', async () => {
    const { emu, call } = await start({ faults: { serverErrorRate: 1 } });
    stops.push(emu.stop);
    const res = await call('/rest/adAccounts?q=search');
    expect(res.status).toBe(500);
    expect(await res.json()).toEqual({ status: 500, message: 'Internal Server Error' });
  });
});

describe('accounts and campaigns', () => {
  it('lists linkedin campaigns only, with offset and cursor paging', async () => {
    const { emu, call } = await start();
    stops.push(emu.stop);
    const { campaign } = await import('./helpers.js');
    for (let i = 1; i <= 5; i++) emu.state.apply(campaign(`cmp_li_00${i}`));
    emu.state.apply(campaign('cmp_gg_009', 'google'));
    const acct = emu.state.adAccount.id;
    expect(((await (await call(`/rest/adAccounts/${acct}`)).json()) as { id: number }).id).toBe(acct);
    const offset = (await (await call(`/rest/adAccounts/${acct}/adCampaigns?q=search&start=2&count=2`)).json()) as {
      paging: { total: number };
      elements: { id: number; account: string }[];
    };
    expect(offset.paging.total).toBe(5);
    expect(offset.elements.map((e) => emu.state.marketIdOf(e.id))).toEqual(['cmp_li_003', 'cmp_li_004']);
    expect(offset.elements[0].account).toBe(`urn:li:sponsoredAccount:${acct}`);

    const seen: string[] = [];
    let token: string | undefined;
    do {
      const q = `q=search&pageSize=2${token ? `&pageToken=${token}` : ''}&search=(status:(values:List(ACTIVE)))`;
      const page = (await (await call(`/rest/adAccounts/${acct}/adCampaigns?${q}`)).json()) as { elements: { id: number }[]; metadata: { nextPageToken?: string } };
      seen.push(...page.elements.map((e) => emu.state.marketIdOf(e.id)!));
      token = page.metadata.nextPageToken;
    } while (token);
    expect(seen).toEqual(['cmp_li_001', 'cmp_li_002', 'cmp_li_003', 'cmp_li_004', 'cmp_li_005']);
    expect((await call(`/rest/adAccounts/${acct}/adCampaigns?q=search&search=(status:(values:List(ACTIVE))`)).status).toBe(400);
    expect((await call(`/rest/adAccounts/999/adCampaigns?q=search`)).status).toBe(404);
  });
});
