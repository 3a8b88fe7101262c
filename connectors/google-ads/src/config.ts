import { existsSync, readFileSync } from 'node:fs';
import { z } from 'zod';

export const DEFAULT_API_ENDPOINT = 'googleads.googleapis.com:443';

const customerIdSchema = z
  .string()
  .transform((s) => s.replace(/-/g, '').trim())
  .pipe(z.string().regex(/^\d{10}$/, '10 digits (dashes are removed), e.g. 123-456-7890'));

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date as YYYY-MM-DD');

/** host:port or [ipv6]:port */
export function parseEndpoint(endpoint: string): { host: string; port: number } {
  const m = /^(\[[^\]]+\]|[^:\s[\]]+):(\d{1,5})$/.exec(endpoint.trim());
  if (!m) throw new Error(`"${endpoint}" is not host:port`);
  return { host: m[1]!.replace(/^\[|\]$/g, ''), port: Number(m[2]) };
}

/** true for 127.0.0.0/8, ::1 and localhost: the only hosts an insecure channel may reach */
export function isLoopbackHost(host: string): boolean {
  const h = host.toLowerCase();
  return h === 'localhost' || h === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h);
}

export const googleAdsConfigSchema = z
  .object({
    /** the advertiser account (10 digits) */
    customerId: customerIdSchema,
    /** the manager account the OAuth user reaches the advertiser through */
    loginCustomerId: customerIdSchema.optional(),
    /** secrets: use env('…') in the config */
    developerToken: z.string().min(1),
    clientId: z.string().min(1),
    clientSecret: z.string().min(1),
    refreshToken: z.string().min(1),
    /** gRPC endpoint host:port; point it at a loopback emulator with insecure: true */
    apiEndpoint: z
      .string()
      .default(DEFAULT_API_ENDPOINT)
      .refine((s) => {
        try {
          parseEndpoint(s);
          return true;
        } catch {
          return false;
        }
      }, 'host:port, e.g. googleads.googleapis.com:443 or 127.0.0.1:50051'),
    /** plaintext gRPC without OAuth: only for an emulator on a loopback address */
    insecure: z.boolean().default(false),
    /** where the refresh token is exchanged for access tokens (secure mode only) */
    oauthTokenUrl: z.string().url().default('https://oauth2.googleapis.com/token'),
    /**
     * a PEM file of the CA certificates to trust for apiEndpoint's TLS instead of the system's
     * (behind a TLS-inspecting corporate proxy: its CA); secure mode only
     */
    caCertPath: z.string().min(1).optional(),
    /** late conversions: each metrics sync re-reads this many days before its checkpoint */
    conversionWindowDays: z.number().int().min(0).max(90).default(14),
    /** first date of metrics on the first sync (default: initialLookbackDays before today) */
    startDate: isoDate.optional(),
    initialLookbackDays: z.number().int().min(0).max(3650).default(90),
    /** days per metrics SearchStream request (one batch + checkpoint per request) */
    metricsChunkDays: z.number().int().min(1).max(366).default(31),
    /** click views are re-read this many days back (late clicks); Google keeps 90 days */
    clickLookbackDays: z.number().int().min(0).max(89).default(1),
    /** offline conversion action, customers/{id}/conversionActions/{id} */
    conversionAction: z.string().regex(/^customers\/\d{10}\/conversionActions\/\d+$/, 'customers/{customerId}/conversionActions/{id}').optional(),
    currencyCode: z.string().regex(/^[A-Z]{3}$/).default('USD'),
    /** the developer token's daily operations (Basic access: 15,000): requests are paced to it */
    requestsPerDay: z.number().int().positive().default(15_000),
    /**
     * where Customer Match and offline conversions are uploaded: 'google-ads' (OfflineUserDataJobService,
     * UploadClickConversions: only for developer tokens Google allow-listed before its cut-off) or
     * 'data-manager' (the Data Manager API, which Google directs new integrations to)
     */
    uploadPath: z.enum(['google-ads', 'data-manager']).default('google-ads'),
    /** the Data Manager API's base URL (uploadPath 'data-manager'); http only for a loopback emulator with insecure: true */
    dataManagerEndpoint: z.string().url().default('https://datamanager.googleapis.com'),
    /** how often an offline user data job / Data Manager request is polled until it is done */
    jobPollIntervalMs: z.number().int().positive().default(30_000),
    /** the longest wait for one to finish before the action fails (the job still finishes at Google) */
    jobTimeoutMs: z.number().int().positive().default(30 * 60_000),
    /** retries of a retriable failure (RESOURCE_EXHAUSTED, UNAVAILABLE, a dropped stream…) */
    maxRetries: z.number().int().min(0).max(20).default(6),
    /** the longest single wait before a retry; a longer one (daily quota) stops the sync */
    maxRetryWaitMs: z.number().int().min(0).default(60_000),
  })
  .strict()
  .superRefine((c, ctx) => {
    const dm = new URL(c.dataManagerEndpoint);
    if (dm.protocol === 'http:' && !(c.insecure && isLoopbackHost(dm.hostname.replace(/^\[|\]$/g, '')))) {
      ctx.addIssue({
        code: 'custom',
        path: ['dataManagerEndpoint'],
        message: `http:// is only allowed for a loopback emulator with insecure: true, not ${c.dataManagerEndpoint}: use https://datamanager.googleapis.com`,
      });
    }
    if (c.caCertPath !== undefined) {
      const problem = caCertProblem(c.caCertPath, c.insecure);
      if (problem) ctx.addIssue({ code: 'custom', path: ['caCertPath'], message: problem });
    }
    const token = new URL(c.oauthTokenUrl);
    if (token.protocol === 'http:' && !isLoopbackHost(token.hostname.replace(/^\[|\]$/g, ''))) {
      ctx.addIssue({ code: 'custom', path: ['oauthTokenUrl'], message: `http:// would send the client secret and refresh token in plaintext to ${token.hostname}: use https://oauth2.googleapis.com/token` });
    }
    if (!c.insecure) return;
    const { host } = parseEndpoint(c.apiEndpoint);
    if (!isLoopbackHost(host)) {
      ctx.addIssue({
        code: 'custom',
        path: ['insecure'],
        message: `insecure: true is only allowed for a loopback endpoint (127.0.0.1, ::1, localhost), not ${c.apiEndpoint}: credentials would travel in plaintext`,
      });
    }
  });

/** why caCertPath cannot be used, or undefined */
function caCertProblem(path: string, insecure: boolean): string | undefined {
  if (insecure) return 'caCertPath is for TLS: remove it, or remove insecure: true';
  if (!existsSync(path)) return `no file at ${path}: give the path of a PEM file holding the CA certificate(s) to trust (relative paths are read from the working directory)`;
  if (!readFileSync(path, 'utf8').includes('-----BEGIN CERTIFICATE-----')) return `${path} holds no PEM certificate (-----BEGIN CERTIFICATE-----): export the CA certificate as PEM`;
  return undefined;
}

export type GoogleAdsConfig = z.output<typeof googleAdsConfigSchema>;
