import { z } from 'zod';
import { LINKEDIN_API_VERSION, VERSION_PATTERN, versionProblem } from './version.js';

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date as YYYY-MM-DD');
const baseUrl = z
  .string()
  .url()
  .transform((s) => s.replace(/\/+$/, ''));

/**
 * The config schema, checking `apiVersion` against LinkedIn's sunset calendar as of `today()`.
 * Config is loaded before any runtime (and its clock) exists, and a configured version is sent to
 * the real LinkedIn, which lives on the wall clock: the default schema reads today from it.
 */
export function createLinkedInAdsConfigSchema(today: () => number) {
  return z
    .object({
      /** REST host; point it at the sandbox emulator in tests */
      apiBaseUrl: baseUrl.default('https://api.linkedin.com'),
      /** OAuth host (token refresh: POST /oauth/v2/accessToken) */
      oauthBaseUrl: baseUrl.default('https://www.linkedin.com'),
      /** secrets: use env('…') in the config */
      clientId: z.string().min(1),
      clientSecret: z.string().min(1),
      refreshToken: z.string().min(1),
      /** optional: a current access token (otherwise one is obtained with the refresh token) */
      accessToken: z.string().min(1).optional(),
      /** the ad account id (digits) or its URN urn:li:sponsoredAccount:N */
      adAccountId: z
        .union([z.string(), z.number()])
        .transform((v) => String(v).replace(/^urn:li:sponsoredAccount:/, '').trim())
        .pipe(z.string().regex(/^\d+$/, 'the numeric ad account id, e.g. 500000001 (or urn:li:sponsoredAccount:500000001)')),
      /** LinkedIn-Version header, YYYYMM; default: the connector's pinned version. A version sunset by LinkedIn's calendar is refused here */
      apiVersion: z
        .string()
        .regex(VERSION_PATTERN, `YYYYMM, e.g. ${LINKEDIN_API_VERSION}`)
        .superRefine((version, issue) => {
          const problem = versionProblem(version, today());
          if (problem) issue.addIssue({ code: 'custom', message: problem });
        })
        .optional(),
      /** late metrics: each analytics sync re-reads this many days before its checkpoint */
      lookbackDays: z.number().int().min(0).max(90).default(7),
      /** first analytics day on the first sync (default: initialDays before today) */
      startDate: isoDate.optional(),
      initialDays: z.number().int().min(1).max(3650).default(90),
      /** at most this many days per adAnalytics request (one batch + checkpoint each); fewer when the account's campaigns × days could reach LinkedIn's 15,000-row cap */
      analyticsChunkDays: z.number().int().min(1).max(366).default(30),
      /** the conversion rule events are uploaded to, urn:lla:llaPartnerConversion:N */
      conversionRule: z.string().regex(/^urn:lla:llaPartnerConversion:\d+$/, 'urn:lla:llaPartnerConversion:N').optional(),
      /** currency of conversion values */
      currencyCode: z.string().regex(/^[A-Z]{3}$/).default('USD'),
      /** client-side pacing to the application's quotas (requests are spread, not refused) */
      requestsPerMinute: z.number().int().positive().optional(),
      requestsPerDay: z.number().int().positive().optional(),
      /** retries of a retriable failure (5xx, minute 429, dropped connection) */
      maxRetries: z.number().int().min(0).max(20).default(6),
      /** longest single wait before a retry */
      maxRetryWaitMs: z.number().int().min(0).default(60_000),
    })
    .strict();
}

/** the wall clock's today, for config load only (logic reads ctx.clock) */
const wallClockToday = () => Date.now();

export const linkedInAdsConfigSchema = createLinkedInAdsConfigSchema(wallClockToday);

export type LinkedInAdsConfig = z.infer<typeof linkedInAdsConfigSchema>;

export const apiVersionOf = (config: LinkedInAdsConfig) => config.apiVersion ?? LINKEDIN_API_VERSION;
