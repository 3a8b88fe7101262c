// revloop's default config: the embedded sandbox. `{ $sandbox: '…' }` values point the vendor
// connectors at the sandbox's loopback emulators of HubSpot, Salesforce, LinkedIn Ads and Google
// Ads (started by the CLI for each command), so revloop runs end to end with no credentials.
// For real vendors, replace them by endpoints and secret references ({ $env: 'NAME' }).
// Docs: apps/cli/README.md
// Relative paths are relative to this file. Secrets are references, never values:
//   import { env } from '@revloop/core';  ...  accessToken: env('HUBSPOT_TOKEN')
// (or { $env: 'HUBSPOT_TOKEN' } without an import).
import type { RevloopConfigInput } from '@revloop/core';

export default {
  // the unified data model: one SQLite file (WAL)
  store: { kind: 'sqlite', path: '.revloop/revloop.db' },

  // the simulated market behind the $sandbox references (packages/sandbox/docs/scenario.md)
  sandbox: { enabled: true, seed: 7 },

  connectors: {
    // the reference connector reads JSON-lines files: a sample of 50 accounts and 300 contacts
    sample: { plugin: '@revloop/connector-reference', dataDir: './examples/data', pageSize: 100 },

    // the sandbox market through the vendor connectors
    hubspot: {
      plugin: '@revloop/connector-hubspot',
      baseUrl: { $sandbox: 'hubspot.url' },
      accessToken: { $sandbox: 'hubspot.token' }, // real: { $env: 'HUBSPOT_TOKEN' }
      // sandbox only: its emulator admits any rate. Delete this for a real portal (the defaults
      // pace at HubSpot's 19 requests/s and 5 searches/s; web events are read per record)
      rateLimits: { secondly: 100_000, tenSecondly: 1_000_000, daily: 1_000_000_000, searchSecondly: 100_000 },
    },
    salesforce: {
      plugin: '@revloop/connector-salesforce',
      instanceUrl: { $sandbox: 'salesforce.url' }, // real: 'https://acme.my.salesforce.com'
      loginUrl: { $sandbox: 'salesforce.url' },
      clientId: { $sandbox: 'salesforce.clientId' },
      clientSecret: { $sandbox: 'salesforce.clientSecret' },
      refreshToken: { $sandbox: 'salesforce.refreshToken' },
    },
    linkedin: {
      plugin: '@revloop/connector-linkedin-ads',
      apiBaseUrl: { $sandbox: 'linkedin.url' },
      oauthBaseUrl: { $sandbox: 'linkedin.url' },
      clientId: { $sandbox: 'linkedin.clientId' },
      clientSecret: { $sandbox: 'linkedin.clientSecret' },
      refreshToken: { $sandbox: 'linkedin.refreshToken' },
      adAccountId: { $sandbox: 'linkedin.adAccountId' },
    },
    google: {
      plugin: '@revloop/connector-google-ads',
      apiEndpoint: { $sandbox: 'googleAds.endpoint' },
      insecure: true, // allowed for a loopback endpoint only
      customerId: { $sandbox: 'googleAds.customerId' },
      developerToken: { $sandbox: 'googleAds.developerToken' },
      // the emulator's insecure mode skips OAuth: any placeholder works (real: { $env: 'GOOGLE_ADS_CLIENT_SECRET' }…)
      clientId: 'revloop-sandbox-client-id',
      clientSecret: 'revloop-sandbox-client-secret',
      refreshToken: 'revloop-sandbox-refresh-token',
    },
  },

  // `revloop serve` runs these (cron: minute hour day month weekday)
  schedules: [
    // { name: 'sample-sync', cron: '*/15 * * * *', job: 'sync', connector: 'sample' },
    // { name: 'contacts-hourly', cron: '0 * * * *', job: 'sync', connector: 'sample', stream: 'contacts' },
  ],

  // model spend that can never be overshot (reserve before a call, settle after)
  budgets: [
    // { name: 'monthly', scope: 'total', limitUsd: 200, period: 'month' },
    // { name: 'openai-daily', scope: 'plugin', target: 'openai', limitUsd: 10, period: 'day' },
  ],

  // decision classes that wait for a person's sign-off (`revloop approvals list`): decisions about
  // accounts in regulated industries, and messages that make an offer. `revloop run` applies these
  // too (its simulated reviewer approves what waited since the day before).
  approvals: {
    policies: [{ name: 'regulated', decisionClasses: ['regulated-industry', 'offer'], expiresAfterHours: 72 }],
    regulatedIndustries: ['healthcare', 'fintech'],
  },

  // `revloop serve`: /healthz and /webhooks/:connector/:webhook
  server: { host: '127.0.0.1', port: 8787 },
} satisfies RevloopConfigInput;
