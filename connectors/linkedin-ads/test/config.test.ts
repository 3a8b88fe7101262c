import { describe, expect, it } from 'vitest';
import { apiVersionOf, createLinkedInAdsConfigSchema, linkedInAdsConfigSchema } from '../src/config.js';
import { LINKEDIN_API_VERSION, candidateVersions, isSunset, newestSupportedVersion, sunsetOf, versionProblem } from '../src/version.js';

const base = { clientId: 'id', clientSecret: 'secret', refreshToken: 'rt', adAccountId: 'urn:li:sponsoredAccount:500000001' };
const at = (iso: string) => Date.parse(`${iso}T12:00:00Z`);

describe('config', () => {
  it('fills defaults, accepts an account URN, and takes the version from the one constant', () => {
    const c = linkedInAdsConfigSchema.parse(base);
    expect(c).toMatchObject({ apiBaseUrl: 'https://api.linkedin.com', oauthBaseUrl: 'https://www.linkedin.com', adAccountId: '500000001', lookbackDays: 7 });
    expect(apiVersionOf(c)).toBe(LINKEDIN_API_VERSION);
    const schema = createLinkedInAdsConfigSchema(() => at('2026-12-07'));
    expect(apiVersionOf(schema.parse({ ...base, apiVersion: '202606' }))).toBe('202606');
  });

  it('refuses unknown keys and malformed values', () => {
    expect(linkedInAdsConfigSchema.safeParse({ ...base, lookbackDay: 3 }).success).toBe(false);
    expect(linkedInAdsConfigSchema.safeParse({ ...base, apiVersion: '2025-01' }).success).toBe(false);
    expect(linkedInAdsConfigSchema.safeParse({ ...base, adAccountId: 'acme' }).success).toBe(false);
    expect(linkedInAdsConfigSchema.safeParse({ ...base, conversionRule: 'urn:li:conversion:1' }).success).toBe(false);
  });

  it('refuses an apiVersion sunset by the calendar relative to today, naming the date and the version to use', () => {
    const schema = createLinkedInAdsConfigSchema(() => at('2026-12-07'));
    const refused = schema.safeParse({ ...base, apiVersion: '202501' });
    expect(refused.success).toBe(false);
    const message = refused.error!.issues[0]!.message;
    expect(refused.error!.issues[0]!.path).toEqual(['apiVersion']);
    expect(message).toContain('LinkedIn-Version 202501 was sunset on 2026-01-15');
    expect(message).toContain(`Fix: set apiVersion: '${LINKEDIN_API_VERSION}'`);
    // a published date: 202511 was switched off on 2026-11-16
    expect(schema.safeParse({ ...base, apiVersion: '202511' }).error!.issues[0]!.message).toContain("sunset on 2026-11-16 (LinkedIn's migrations table)");
    // the same version a year earlier was fine: the check is relative to today
    expect(createLinkedInAdsConfigSchema(() => at('2025-06-01')).safeParse({ ...base, apiVersion: '202501' }).success).toBe(true);
    // never released, and before versioning
    expect(schema.safeParse({ ...base, apiVersion: '202703' }).error!.issues[0]!.message).toContain('not released yet');
    expect(schema.safeParse({ ...base, apiVersion: '202112' }).error!.issues[0]!.message).toContain('never existed');
  });

  it('the sunset calendar: published dates, else the 15th one year after release', () => {
    expect(sunsetOf('202410')).toEqual({ date: '2025-10-15', published: true });
    expect(sunsetOf('202506')).toEqual({ date: '2026-06-15', published: false });
    expect(sunsetOf('202506.01')).toEqual({ date: '2026-06-15', published: false });
    expect(isSunset('202601', Date.parse('2027-01-14T23:59:59Z'))).toBe(false);
    expect(isSunset('202601', Date.parse('2027-01-15T00:00:00Z'))).toBe(true);
    expect(versionProblem('202607', at('2026-12-07'))).toBeUndefined();
    // the newest supported version: the newest known one; in the past, that month's
    expect(newestSupportedVersion(at('2026-12-07'))).toBe(LINKEDIN_API_VERSION);
    expect(newestSupportedVersion(at('2024-03-01'))).toBe('202403');
    expect(newestSupportedVersion(at('2026-12-07'), ['202607', '202606'])).toBe('202605');
  });

  it('probes versions newer than the rejected one, newest first', () => {
    expect(candidateVersions('202410', Date.parse('2025-02-10T00:00:00Z'))).toEqual(['202502', '202501', '202412', '202411']);
  });
});
