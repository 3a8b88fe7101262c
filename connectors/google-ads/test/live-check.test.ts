// `revloop check --live` against the Google Ads emulator: customer access, and the upload
// allow-lists by validate-only calls (nothing is written).
import { afterEach, describe, expect, it } from 'vitest';
import { liveCheckConnectors } from '@revloop/core';
import { GOOGLE_ADS_API_VERSION } from '../src/index.js';
import { startHarness, type Harness } from './helpers.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.stop();
  h = undefined;
});

describe('google ads live check', () => {
  // the first test loads google-ads-api and the protos: seconds alone, more on a busy machine
  it('an allow-listed developer token: customer, version and both uploads pass; the daily operations are unknown; nothing written', { timeout: 120_000 }, async () => {
    h = await startHarness();
    const [result] = await liveCheckConnectors(h.runtime);
    expect(result!.ok).toBe(true);
    expect(result!.findings.map((f) => [f.what, f.ok, f.unknown ?? false])).toEqual([
      [`API version ${GOOGLE_ADS_API_VERSION}`, true, false],
      [`customer ${h.emu.customerId}`, true, false],
      ['offline click-conversion uploads', true, false],
      ['Customer Match uploads', true, false],
      ['daily operations', true, true],
    ]);
    expect(h.emu.state.jobs.size).toBe(0);
    expect(h.emu.state.userLists.size).toBe(0);
  });

  it('a developer token off the upload allow-list: both Google Ads API uploads would fail, the fix is the Data Manager path', async () => {
    h = await startHarness({ emulator: { uploadAllowlist: [] } });
    const [result] = await liveCheckConnectors(h.runtime);
    expect(result!.ok).toBe(false);
    const failed = result!.findings.filter((f) => !f.ok);
    expect(failed.map((f) => f.what)).toEqual(['offline click-conversion uploads', 'Customer Match uploads']);
    for (const f of failed) {
      expect(f.detail).toContain('CUSTOMER_NOT_ALLOWLISTED_FOR_THIS_FEATURE');
      expect(f.fix).toContain("uploadPath: 'data-manager'");
    }
  });

  it("uploadPath 'data-manager': the allow-list does not apply; Data Manager access is reported unknown, not failed", async () => {
    h = await startHarness({ emulator: { uploadAllowlist: [] }, connector: { uploadPath: 'data-manager' } });
    const [result] = await liveCheckConnectors(h.runtime);
    expect(result!.ok).toBe(true);
    expect(result!.findings.find((f) => f.what === 'Data Manager API uploads')).toMatchObject({ ok: true, unknown: true, fix: expect.stringContaining('auth/datamanager') });
  });
});
