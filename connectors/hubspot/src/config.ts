import { z } from 'zod';

/** HubSpot's private-app limits (Professional/Enterprise): 190 requests per 10 s, 19 per second, 625,000 a day. */
export const HUBSPOT_DEFAULT_LIMITS = { secondly: 19, tenSecondly: 190, daily: 625_000, searchSecondly: 5 } as const;

export const hubspotConfigSchema = z
  .object({
    /** a private-app access token (a secret: use env('HUBSPOT_TOKEN')); its scopes: src/scopes.ts (`content` for email events). Or `oauth` */
    accessToken: z.string().min(1).optional(),
    /** a HubSpot OAuth app installed in the portal (secrets: use env()): access tokens come from its refresh token. Or `accessToken` */
    oauth: z.object({ clientId: z.string().min(1), clientSecret: z.string().min(1), refreshToken: z.string().min(1) }).strict().optional(),
    baseUrl: z.url().default('https://api.hubapi.com'),
    /** records per list page (the list endpoints answer at most 100) */
    pageSize: z.number().int().min(1).max(100).default(100),
    /** records per search page (the search endpoint answers at most 200) */
    searchPageSize: z.number().int().min(1).max(200).default(200),
    /** how far back an incremental read re-reads (HubSpot's search index lags behind writes), ms */
    lookbackMs: z.number().int().min(0).max(7 * 86_400_000).default(300_000),
    /** width of one incremental search window, ms; the checkpoint advances window by window */
    searchWindowMs: z.number().int().min(1).default(86_400_000),
    /** the client paces itself below these (requests per window); a spent daily limit stops the sync cleanly */
    rateLimits: z
      .object({
        secondly: z.number().int().positive().default(HUBSPOT_DEFAULT_LIMITS.secondly),
        tenSecondly: z.number().int().positive().default(HUBSPOT_DEFAULT_LIMITS.tenSecondly),
        daily: z.number().int().positive().default(HUBSPOT_DEFAULT_LIMITS.daily),
        /** the search endpoints' own limit (5 requests per second per portal) */
        searchSecondly: z.number().int().positive().default(HUBSPOT_DEFAULT_LIMITS.searchSecondly),
      })
      .strict()
      .default({ ...HUBSPOT_DEFAULT_LIMITS }),
    /** retries of one request: 5xx, dropped connections, secondly / ten-secondly 429s */
    retry: z
      .object({
        attempts: z.number().int().min(1).max(10).default(6),
        serverErrorBackoffMs: z.number().int().min(0).default(200),
        rateLimitBackoffMs: z.number().int().min(0).default(1000),
      })
      .strict()
      .default({ attempts: 6, serverErrorBackoffMs: 200, rateLimitBackoffMs: 1000 }),
    /** the HubSpot app's client secret (a secret: use env()) to verify X-HubSpot-Signature-v3 */
    webhook: z
      .object({
        clientSecret: z.string().min(1),
        maxAgeMs: z.number().int().positive().default(300_000),
      })
      .strict()
      .optional(),
    /**
     * HubSpot persona values (hs_persona is `persona_1`…`persona_N`; the names are portal settings)
     * → revloop's persona names, e.g. { persona_1: 'economic_buyer' }. A value not listed is kept as is.
     */
    personas: z.record(z.string().min(1), z.string().min(1)).default({}),
    /** HubSpot companies have no size: employee counts from which a company is `mid` / `enterprise` (below: `smb`) */
    companySizeBands: z
      .object({ mid: z.number().int().positive().default(200), enterprise: z.number().int().positive().default(2000) })
      .strict()
      .refine((b) => b.enterprise > b.mid, 'enterprise must start above mid')
      .default({ mid: 200, enterprise: 2000 }),
    /** the task property that holds revloop's idempotency key (created on first use) */
    taskKeyProperty: z.string().regex(/^[a-z][a-z0-9_]*$/).default('revloop_key'),
  })
  .strict()
  .superRefine((c, ctx) => {
    if ((c.accessToken === undefined) === (c.oauth === undefined)) {
      ctx.addIssue({
        code: 'custom',
        path: c.accessToken === undefined ? ['accessToken'] : ['oauth'],
        message: c.accessToken === undefined ? "set accessToken (a private app's token) or oauth { clientId, clientSecret, refreshToken } (an OAuth app's install)" : 'set accessToken or oauth, not both',
      });
    }
  });

export type HubSpotConfig = z.infer<typeof hubspotConfigSchema>;
