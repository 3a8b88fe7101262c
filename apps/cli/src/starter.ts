// The starter config `revloop init` / `revloop quickstart` write. It has no runtime import (only
// a type import, erased on load), so it loads in a folder where @revloop/core is not installed.
export type StarterFormat = 'ts' | 'yaml';

export const SAMPLE_DATA_DIR = './examples/data';

export function starterFileName(format: StarterFormat): string {
  return format === 'yaml' ? 'revloop.config.yaml' : 'revloop.config.ts';
}

export function starterConfig(format: StarterFormat): string {
  return format === 'yaml' ? yaml : ts;
}

const ts = `// revloop config: written by \`revloop init\`. Docs: apps/cli/README.md
// Relative paths are relative to this file. Secrets are references, never values:
//   import { env } from '@revloop/core';  ...  accessToken: env('HUBSPOT_TOKEN')
// (or { $env: 'HUBSPOT_TOKEN' } without an import).
import type { RevloopConfigInput } from '@revloop/core';

export default {
  // the unified data model: one SQLite file (WAL)
  store: { kind: 'sqlite', path: '.revloop/revloop.db' },

  connectors: {
    // the reference connector reads JSON-lines files: a sample of 50 accounts and 300 contacts
    sample: { plugin: '@revloop/connector-reference', dataDir: '${SAMPLE_DATA_DIR}', pageSize: 100 },

    // Vendor connectors (enable when their packages ship):
    // crm: { plugin: '@revloop/connector-hubspot', accessToken: { $env: 'HUBSPOT_TOKEN' } },
    // salesforce: {
    //   plugin: '@revloop/connector-salesforce',
    //   instanceUrl: 'https://example.my.salesforce.com',
    //   clientId: { $env: 'SF_CLIENT_ID' },
    //   clientSecret: { $env: 'SF_CLIENT_SECRET' },
    // },
  },

  // \`revloop serve\` runs these (cron: minute hour day month weekday)
  schedules: [
    // { name: 'sample-sync', cron: '*/15 * * * *', job: 'sync', connector: 'sample' },
    // { name: 'contacts-hourly', cron: '0 * * * *', job: 'sync', connector: 'sample', stream: 'contacts' },
  ],

  // model spend that can never be overshot (reserve before a call, settle after)
  budgets: [
    // { name: 'monthly', scope: 'total', limitUsd: 200, period: 'month' },
    // { name: 'openai-daily', scope: 'plugin', target: 'openai', limitUsd: 10, period: 'day' },
  ],

  // decision classes that wait for a person's sign-off
  approvals: {
    policies: [
      // { name: 'regulated', decisionClasses: ['regulated-industry', 'offer'], expiresAfterHours: 72 },
    ],
    regulatedIndustries: [
      // 'healthcare', 'fintech',
    ],
  },

  // \`revloop serve\`: /healthz and /webhooks/:connector/:webhook
  server: { host: '127.0.0.1', port: 8787 },
} satisfies RevloopConfigInput;
`;

const yaml = `# revloop config: written by \`revloop init --format yaml\`. Docs: apps/cli/README.md
# Relative paths are relative to this file. Secrets are references: { $env: HUBSPOT_TOKEN }

# the unified data model: one SQLite file (WAL)
store:
  kind: sqlite
  path: .revloop/revloop.db

connectors:
  # the reference connector reads JSON-lines files: a sample of 50 accounts and 300 contacts
  sample:
    plugin: "@revloop/connector-reference"
    dataDir: ${SAMPLE_DATA_DIR}
    pageSize: 100
  # Vendor connectors (enable when their packages ship):
  # crm:
  #   plugin: "@revloop/connector-hubspot"
  #   accessToken: { $env: HUBSPOT_TOKEN }
  # salesforce:
  #   plugin: "@revloop/connector-salesforce"
  #   instanceUrl: https://example.my.salesforce.com
  #   clientId: { $env: SF_CLIENT_ID }
  #   clientSecret: { $env: SF_CLIENT_SECRET }

# \`revloop serve\` runs these (cron: minute hour day month weekday)
schedules: []
#  - { name: sample-sync, cron: "*/15 * * * *", job: sync, connector: sample }

# model spend that can never be overshot
budgets: []
#  - { name: monthly, scope: total, limitUsd: 200, period: month }

# decision classes that wait for a person's sign-off
approvals:
  policies: []
  #  - { name: regulated, decisionClasses: [regulated-industry, offer], expiresAfterHours: 72 }
  regulatedIndustries: []

server:
  host: 127.0.0.1
  port: 8787
`;
