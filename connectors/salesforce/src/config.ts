import { z } from 'zod';

/** The Salesforce REST API version revloop speaks: the one place it is written. */
export const API_VERSION = '62.0';

export const salesforceConfigSchema = z
  .object({
    /** https://yourorg.my.salesforce.com */
    instanceUrl: z.url(),
    /** https://login.salesforce.com (or test.salesforce.com for a sandbox org) */
    loginUrl: z.url().default('https://login.salesforce.com'),
    /** the connected app's consumer key and secret (secrets: use env()) */
    clientId: z.string().min(1),
    clientSecret: z.string().min(1),
    /** an OAuth refresh token of the integration user (a secret: use env()) */
    refreshToken: z.string().min(1),
    /** optional: a current access token; without it the first request refreshes one */
    accessToken: z.string().min(1).optional(),
    apiVersion: z.string().regex(/^\d{2}\.0$/, 'a version like "62.0"').default(API_VERSION),
    /** records per SOQL page (one API request each); Salesforce answers at most 2,000 per response */
    pageSize: z.number().int().min(1).max(2000).default(2000),
    /** how far back an incremental read re-reads (late-committed transactions), ms */
    lookbackMs: z.number().int().min(0).max(86_400_000).default(0),
    /** stop a sync when fewer daily API requests than this remain (leave room for other integrations) */
    apiReserve: z.number().int().min(0).default(0),
    /** attempts after the first for 5xx, dropped connections and concurrency limits */
    maxRetries: z.number().int().min(0).max(10).default(5),
    /** custom fields the actions write */
    scoreField: z.string().regex(/__c$/).default('revloop_score__c'),
    segmentField: z.string().regex(/__c$/).default('revloop_segment__c'),
    /** a Task text field that holds revloop's idempotency key (falls back to WhoId+Subject+ActivityDate when absent) */
    taskKeyField: z.string().regex(/__c$/).default('revloop_key__c'),
  })
  .strict();

export type SalesforceConfig = z.infer<typeof salesforceConfigSchema>;
