import { Client } from '@hubspot/api-client';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { startHubSpotEmulator, type HubSpotEmulator } from '../../src/emulators/hubspot/index.js';

let emu: HubSpotEmulator | undefined;
afterEach(async () => {
  await emu?.stop();
  emu = undefined;
  vi.restoreAllMocks();
});

describe('HubSpot emulator: auth and rate limits', () => {
  it('401 INVALID_AUTHENTICATION for a wrong token; EXPIRED_AUTHENTICATION after tokenTtlMs', async () => {
    emu = await startHubSpotEmulator({ tokens: ['good'], faults: { tokenTtlMs: 30 * 60_000 } });
    const bad = new Client({ accessToken: 'wrong', basePath: emu.url, numberOfApiCallRetries: 1 });
    const e1 = await bad.crm.contacts.basicApi.getPage().catch((e) => e);
    expect(e1.code).toBe(401);
    expect(e1.body).toMatchObject({ status: 'error', category: 'INVALID_AUTHENTICATION' });
    const good = new Client({ accessToken: 'good', basePath: emu.url, numberOfApiCallRetries: 1 });
    await expect(good.crm.contacts.basicApi.getPage()).resolves.toBeDefined();
    emu.clock!.advance(31 * 60_000);
    const e2 = await good.crm.contacts.basicApi.getPage().catch((e) => e);
    expect(e2.code).toBe(401);
    expect(e2.body.category).toBe('EXPIRED_AUTHENTICATION');
    emu.state.issueToken('good'); // a refreshed token works again
    await expect(good.crm.contacts.basicApi.getPage()).resolves.toBeDefined();
  });

  it('secondly limit: exact counting, HubSpot 429 body and headers, and the SDK retries it', async () => {
    let wall = 1_000_000;
    emu = await startHubSpotEmulator({ tokens: ['t'], secondlyLimit: 3, tenSecondlyLimit: 100, wallClock: () => wall });
    const get = () => fetch(`${emu!.url}/crm/v3/objects/contacts`, { headers: { authorization: 'Bearer t' } });
    const statuses = [];
    for (let i = 0; i < 5; i++) statuses.push((await get()).status);
    expect(statuses).toEqual([200, 200, 200, 429, 429]);
    const limited = await get();
    expect(limited.headers.get('x-hubspot-ratelimit-secondly-remaining')).toBe('0');
    expect(await limited.json()).toMatchObject({ status: 'error', message: 'You have reached your secondly limit.', errorType: 'RATE_LIMIT', policyName: 'SECONDLY' });
    wall += 1000;
    const ok = await get();
    expect(ok.status).toBe(200);
    expect(ok.headers.get('x-hubspot-ratelimit-secondly-remaining')).toBe('2');
    expect(ok.headers.get('x-hubspot-ratelimit-remaining')).toBe('96');
    expect(emu.limiter.counts.admitted).toBe(4);
    // the SDK: the window frees up while it waits 1 s, so its retry succeeds
    vi.spyOn(console, 'error').mockImplementation(() => {});
    await get();
    await get(); // window now full at this wall time
    const sdk = new Client({ accessToken: 't', basePath: emu.url, numberOfApiCallRetries: 2 });
    setTimeout(() => (wall += 1000), 300);
    const page = await sdk.crm.contacts.basicApi.getPage();
    expect(page.results).toEqual([]);
    expect(emu.limiter.counts.rejected.SECONDLY).toBeGreaterThanOrEqual(4);
  });

  it('daily limit: a 429 the SDK does not retry (e.code 429, policyName DAILY)', async () => {
    emu = await startHubSpotEmulator({ tokens: ['t'], dailyLimit: 2 });
    const sdk = new Client({ accessToken: 't', basePath: emu.url, numberOfApiCallRetries: 3 });
    await sdk.crm.contacts.basicApi.getPage();
    await sdk.crm.contacts.basicApi.getPage();
    const started = performance.now();
    const e = await sdk.crm.contacts.basicApi.getPage().catch((x) => x);
    expect(e.code).toBe(429);
    expect(e.body.policyName).toBe('DAILY');
    expect(performance.now() - started).toBeLessThan(500); // not retried
    expect(emu.limiter.counts.rejected.DAILY).toBe(1);
  });

  it('fault injection: a 502 storm is retried by the SDK and then succeeds', async () => {
    emu = await startHubSpotEmulator({ tokens: ['t'], faults: { serverErrorRate: 1 } });
    vi.spyOn(console, 'error').mockImplementation(() => {});
    const sdk = new Client({ accessToken: 't', basePath: emu.url, numberOfApiCallRetries: 2 });
    setTimeout(() => emu!.faults.set({ serverErrorRate: 0 }), 50);
    await expect(sdk.crm.contacts.basicApi.getPage()).resolves.toBeDefined();
  });
});
