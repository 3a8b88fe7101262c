// `revloop check --live` against the LinkedIn emulator: the pinned version answers (or is sunset),
// the ad account, and the scopes of the access token by introspection.
import { afterEach, describe, expect, it } from 'vitest';
import { liveCheckConnectors } from '@revloop/core';
import { LINKEDIN_API_VERSION } from '../src/index.js';
import { startHarness, type Harness } from './helpers.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.stop();
  h = undefined;
});

const TODAY = Date.parse('2026-12-07T12:00:00Z');

describe('linkedin live check', () => {
  it('version, ad account and all four scopes: ok', async () => {
    h = await startHarness({ start: TODAY, connector: { startDate: '2026-12-01' } });
    const [result] = await liveCheckConnectors(h.runtime);
    expect(result!.ok).toBe(true);
    expect(result!.findings.map((f) => f.what)).toEqual([`LinkedIn-Version ${LINKEDIN_API_VERSION}`, `ad account ${h.emu.state.adAccount.id}`, 'token scopes']);
    expect(result!.findings[0]!.detail).toMatch(/^answers; sunset on \d{4}-\d{2}-\d{2}/);
  });

  it('a token without rw_conversions (the member did not grant it): upload-conversions would fail, with the fix', async () => {
    h = await startHarness({ start: TODAY, emulator: { scopes: ['r_ads', 'rw_ads', 'r_ads_reporting'] }, connector: { startDate: '2026-12-01' } });
    const [result] = await liveCheckConnectors(h.runtime);
    expect(result!.ok).toBe(false);
    expect(result!.findings.filter((f) => !f.ok)).toEqual([
      expect.objectContaining({ what: 'scope rw_conversions', detail: expect.stringContaining('upload-conversions'), fix: expect.stringContaining('refreshToken') }),
    ]);
  });

  it('a sunset pinned version would fail every call: the finding names the version to set', async () => {
    h = await startHarness({ start: TODAY, emulator: { versions: { latest: '202611', sunset: [LINKEDIN_API_VERSION] } }, connector: { startDate: '2026-12-01' } });
    const [result] = await liveCheckConnectors(h.runtime);
    expect(result!.ok).toBe(false);
    const version = result!.findings.find((f) => f.what === `LinkedIn-Version ${LINKEDIN_API_VERSION}`);
    expect(version).toMatchObject({ ok: false, detail: expect.stringContaining('is sunset'), fix: expect.stringContaining("apiVersion: '202611'") });
  });
});
