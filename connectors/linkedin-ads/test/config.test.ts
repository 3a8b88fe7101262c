import { describe, expect, it } from 'vitest';
import { apiVersionOf, linkedInAdsConfigSchema } from '../src/config.js';
import { LINKEDIN_API_VERSION, candidateVersions } from '../src/version.js';

const base = { clientId: 'id', clientSecret: 'secret', refreshToken: 'rt', adAccountId: 'urn:li:sponsoredAccount:500000001' };

describe('config', () => {
  it('fills defaults, accepts an account URN, and takes the version from the one constant', () => {
    const c = linkedInAdsConfigSchema.parse(base);
    expect(c).toMatchObject({ apiBaseUrl: 'https://api.linkedin.com', oauthBaseUrl: 'https://www.linkedin.com', adAccountId: '500000001', lookbackDays: 7 });
    expect(apiVersionOf(c)).toBe(LINKEDIN_API_VERSION);
    expect(apiVersionOf(linkedInAdsConfigSchema.parse({ ...base, apiVersion: '202506' }))).toBe('202506');
  });

  it('refuses unknown keys and malformed values', () => {
    expect(linkedInAdsConfigSchema.safeParse({ ...base, lookbackDay: 3 }).success).toBe(false);
    expect(linkedInAdsConfigSchema.safeParse({ ...base, apiVersion: '2025-01' }).success).toBe(false);
    expect(linkedInAdsConfigSchema.safeParse({ ...base, adAccountId: 'acme' }).success).toBe(false);
    expect(linkedInAdsConfigSchema.safeParse({ ...base, conversionRule: 'urn:li:conversion:1' }).success).toBe(false);
  });

  it('probes versions newer than the rejected one, newest first', () => {
    expect(candidateVersions('202410', Date.parse('2025-02-10T00:00:00Z'))).toEqual(['202502', '202501', '202412', '202411']);
  });
});
