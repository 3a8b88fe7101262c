// `revloop check --live` against the HubSpot emulator: token scopes (private app and OAuth app)
// and the portal's daily limit from its headers.
import { afterEach, describe, expect, it } from 'vitest';
import { liveCheckConnectors } from '@revloop/core';
import { NAME, TOKEN, world, type World } from './helpers.js';
import { HUBSPOT_SCOPES } from '../src/scopes.js';

let w: World | undefined;
afterEach(async () => {
  await w?.close();
  w = undefined;
});

const ALL = HUBSPOT_SCOPES.map(([s]) => s);

describe('hubspot live check', () => {
  it('a private app with every scope and requests left today: ok, with the daily figures', async () => {
    w = await world({ dailyLimit: 500_000, tokenScopes: { [TOKEN]: ALL } });
    const runtime = await w.runtime({ rateLimits: { secondly: 100_000, tenSecondly: 1_000_000, daily: 500_000, searchSecondly: 100_000 } });
    const [result] = await liveCheckConnectors(runtime);
    expect(result!.ok).toBe(true);
    expect(result!.findings).toEqual([
      expect.objectContaining({ what: 'token scopes', ok: true, detail: expect.stringContaining(`all ${ALL.length} scopes`) }),
      expect.objectContaining({ what: 'daily API limit', ok: true, detail: expect.stringMatching(/^\d+ of 500000 requests remaining today$/) }),
    ]);
  });

  it('a private app without `content` and a configured daily limit above the portal\'s: the missing scope would fail, the limit is named', async () => {
    w = await world({ dailyLimit: 250_000, tokenScopes: { [TOKEN]: ALL.filter((s) => s !== 'content') } });
    const runtime = await w.runtime({ rateLimits: { secondly: 100_000, tenSecondly: 1_000_000, daily: 625_000, searchSecondly: 100_000 } });
    const [result] = await liveCheckConnectors(runtime);
    expect(result!.ok).toBe(false);
    const scope = result!.findings.find((f) => f.what === 'scope content');
    expect(scope).toMatchObject({ ok: false, detail: expect.stringContaining('email_events'), fix: expect.stringContaining('Private apps') });
    expect(result!.findings.find((f) => f.what === 'rateLimits.daily')).toMatchObject({ fix: `set rateLimits.daily: 250000 in connectors.${NAME}` });
  });

  it('an OAuth app: scopes from the token metadata; no daily headers → unknown, not a failure', async () => {
    w = await world({ tokens: [], oauthApp: { clientId: 'c', clientSecret: 's', refreshTokens: ['r'] } });
    const runtime = await w.runtime({ accessToken: undefined, oauth: { clientId: 'c', clientSecret: 's', refreshToken: 'r' } });
    const [result] = await liveCheckConnectors(runtime);
    expect(result!.ok).toBe(true);
    expect(result!.findings.map((f) => [f.what, f.ok, f.unknown ?? false])).toEqual([
      ['token scopes', true, false],
      ['daily API limit', true, true],
    ]);
  });
});
