// The starter config `revloop init` / `revloop quickstart` write. It has no runtime import (only
// a type import, erased on load), so it loads in a folder where @revloop/core is not installed.
// It carries the default workflow (apps/cli/src/loop/workflow-config.ts with the vendor targets of
// vendor-targets.ts) commented out, in two blocks between `>>>` and `<<<` lines: the vendor
// connectors it writes to, and the models + the workflow. Uncommented, they load and validate
// (test/e2e/starter-workflow.test.ts), and they equal the default workflow.
import { clonePath } from './invocation.js';

export type StarterFormat = 'ts' | 'yaml';

export const SAMPLE_DATA_DIR = './examples/data';

export function starterFileName(format: StarterFormat): string {
  return format === 'yaml' ? 'revloop.config.yaml' : 'revloop.config.ts';
}

/** where the starter's comments send a reader: absolute paths in this clone, so that they resolve from the user's folder */
export interface StarterDocs {
  cli: string;
  workflows: string;
}

export function starterDocs(): StarterDocs {
  return {
    cli: clonePath('apps/cli/README.md') ?? 'apps/cli/README.md in the revloop repository',
    workflows: clonePath('docs/workflows.md') ?? 'docs/workflows.md in the revloop repository',
  };
}

export function starterConfig(format: StarterFormat, docs: StarterDocs = starterDocs()): string {
  return format === 'yaml' ? yaml(docs) : ts(docs);
}

const ts = (docs: StarterDocs) => `// revloop config: written by \`revloop init\`. Docs: ${docs.cli}
// Relative paths are relative to this file. Secrets are references, never values:
// { $env: 'HUBSPOT_TOKEN' } is the environment variable HUBSPOT_TOKEN, read when the config loads.
import type { RevloopConfigInput } from '@revloop/core';

export default {
  // the unified data model: one SQLite file (WAL)
  store: { kind: 'sqlite', path: '.revloop/revloop.db' },

  connectors: {
    // the reference connector reads JSON-lines files: the sample beside this file: 50 accounts, ~300 contacts (a few archived, deleted or merged)
    sample: { plugin: '@revloop/connector-reference', dataDir: '${SAMPLE_DATA_DIR}', pageSize: 100 },

    // Vendor connectors: the default workflow below writes to hubspot, linkedin and google (by
    // these names: {{contact.ids.hubspot}} is the contact's id in the connector named hubspot);
    // salesforce syncs opportunities. Secrets come from the environment. Docs: ${docs.workflows}
    // >>> default workflow, part 1 of 2: uncomment the lines down to <<<
    // hubspot: { plugin: '@revloop/connector-hubspot', accessToken: { $env: 'HUBSPOT_TOKEN' } },
    // salesforce: {
    //   plugin: '@revloop/connector-salesforce',
    //   instanceUrl: 'https://example.my.salesforce.com',
    //   clientId: { $env: 'SF_CLIENT_ID' },
    //   clientSecret: { $env: 'SF_CLIENT_SECRET' },
    //   refreshToken: { $env: 'SF_REFRESH_TOKEN' },
    // },
    // linkedin: {
    //   plugin: '@revloop/connector-linkedin-ads',
    //   adAccountId: '500000001', // your ad account (Campaign Manager)
    //   clientId: { $env: 'LINKEDIN_CLIENT_ID' },
    //   clientSecret: { $env: 'LINKEDIN_CLIENT_SECRET' },
    //   refreshToken: { $env: 'LINKEDIN_REFRESH_TOKEN' },
    // },
    // google: {
    //   plugin: '@revloop/connector-google-ads',
    //   customerId: '123-456-7890', // your advertiser account
    //   developerToken: { $env: 'GOOGLE_ADS_DEVELOPER_TOKEN' },
    //   clientId: { $env: 'GOOGLE_ADS_CLIENT_ID' },
    //   clientSecret: { $env: 'GOOGLE_ADS_CLIENT_SECRET' },
    //   refreshToken: { $env: 'GOOGLE_ADS_REFRESH_TOKEN' },
    // },
    // <<<
  },

  // The default workflow: intent → content → message → brand check → channel and send time →
  // approval gate → execute. Every step, placeholder and action input: ${docs.workflows}
  // It needs the vendor connectors above. \`revloop serve\` runs it on a schedule with job: 'run'.
  // >>> default workflow, part 2 of 2: uncomment the lines down to <<<
  // models: {
  //   // each step names a capability; the runtime picks the cheapest enabled model able to do it
  //   local: { plugin: '@revloop/plugin-local-models' }, // classify/intent, predict/content, generate/message, predict/channel-time
  //   brand: { plugin: '@revloop/plugin-brand-guard', bannedClaims: ['guaranteed', 'risk-free', 'best in the world', '#1'], maxSubjectLength: 90, maxBodyLength: 1200 },
  // },
  // workflows: {
  //   default: {
  //     trigger: { onSignals: true, onOutcomes: true, minSignals: 1 }, // decide an account when new signals or outcomes arrive
  //     featureWindowDays: 14, // signals older than this do not count
  //     engagementWindowDays: 1, // a click or form fill within this many days is an answer
  //     attributionWindowDays: 45, // an opportunity within this many days is credited to the decision
  //     cooldownDays: 2, // do not treat the same account again sooner
  //     maxExecutionsPerRun: 50, // the most promising first; the rest are deferred to a later run
  //     rankBy: 'expected-value',
  //     steps: [
  //       { name: 'intent', capability: 'classify', task: 'intent' },
  //       { name: 'content', capability: 'predict', task: 'content' },
  //       { name: 'message', capability: 'generate', task: 'message' },
  //       { name: 'brand', capability: 'evaluate', task: 'brand', retryStep: 'message', maxRetries: 2 },
  //       { name: 'channel', capability: 'predict', task: 'channel-time' },
  //       { name: 'approval', gate: 'approval' }, // classes named under approvals.policies wait for a person
  //       {
  //         name: 'execute',
  //         execute: {
  //           // HubSpot: the contact's revloop_* properties; a HubSpot workflow enrolls it in a sequence
  //           email: {
  //             action: 'hubspot.upsert-contact-properties',
  //             input: {
  //               key: '{{decisionKey}}',
  //               records: [{ id: '{{contact.ids.hubspot}}', properties: { revloop_next_action: 'email', revloop_topic: '{{topic}}', revloop_variant: '{{variant}}', revloop_send_hour: '{{sendHour}}' } }],
  //             },
  //           },
  //           sales_task: {
  //             action: 'hubspot.create-sales-tasks',
  //             input: { tasks: [{ key: '{{decisionKey}}', subject: '{{message.subject}}', body: '{{message.body}}', contactId: '{{contact.ids.hubspot}}', companyId: '{{account.ids.hubspot}}', topic: '{{topic}}', dueAt: '{{sendAt}}' }] },
  //           },
  //           // one audience per decision: the action sets the audience's whole membership
  //           linkedin: {
  //             action: 'linkedin.sync-audience',
  //             input: { segmentName: 'revloop {{decisionKey}}', emails: ['{{contact.email}}'], requestId: '{{decisionKey}}' },
  //           },
  //           google: {
  //             action: 'google.customer-match-sync',
  //             input: { listName: 'revloop {{decisionKey}}', emails: ['{{contact.email}}'], syncId: '{{decisionKey}}' },
  //           },
  //         },
  //       },
  //     ],
  //   },
  // },
  // <<<

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

const yaml = (docs: StarterDocs) => `# revloop config: written by \`revloop init --format yaml\`. Docs: ${docs.cli}
# Relative paths are relative to this file. Secrets are references: { $env: HUBSPOT_TOKEN }

# the unified data model: one SQLite file (WAL)
store:
  kind: sqlite
  path: .revloop/revloop.db

connectors:
  # the reference connector reads JSON-lines files: the sample beside this file: 50 accounts, ~300 contacts (a few archived, deleted or merged)
  sample:
    plugin: "@revloop/connector-reference"
    dataDir: ${SAMPLE_DATA_DIR}
    pageSize: 100
  # Vendor connectors: the default workflow below writes to hubspot, linkedin and google (by
  # these names: {{contact.ids.hubspot}} is the contact's id in the connector named hubspot);
  # salesforce syncs opportunities. Secrets come from the environment. Docs: ${docs.workflows}
  # >>> default workflow, part 1 of 2: uncomment the lines down to <<<
  # hubspot:
  #   plugin: "@revloop/connector-hubspot"
  #   accessToken: { $env: HUBSPOT_TOKEN }
  # salesforce:
  #   plugin: "@revloop/connector-salesforce"
  #   instanceUrl: https://example.my.salesforce.com
  #   clientId: { $env: SF_CLIENT_ID }
  #   clientSecret: { $env: SF_CLIENT_SECRET }
  #   refreshToken: { $env: SF_REFRESH_TOKEN }
  # linkedin:
  #   plugin: "@revloop/connector-linkedin-ads"
  #   adAccountId: "500000001" # your ad account (Campaign Manager)
  #   clientId: { $env: LINKEDIN_CLIENT_ID }
  #   clientSecret: { $env: LINKEDIN_CLIENT_SECRET }
  #   refreshToken: { $env: LINKEDIN_REFRESH_TOKEN }
  # google:
  #   plugin: "@revloop/connector-google-ads"
  #   customerId: "123-456-7890" # your advertiser account
  #   developerToken: { $env: GOOGLE_ADS_DEVELOPER_TOKEN }
  #   clientId: { $env: GOOGLE_ADS_CLIENT_ID }
  #   clientSecret: { $env: GOOGLE_ADS_CLIENT_SECRET }
  #   refreshToken: { $env: GOOGLE_ADS_REFRESH_TOKEN }
  # <<<

# The default workflow: intent → content → message → brand check → channel and send time →
# approval gate → execute. Every step, placeholder and action input: ${docs.workflows}
# It needs the vendor connectors above. \`revloop serve\` runs it on a schedule with job: run.
# >>> default workflow, part 2 of 2: uncomment the lines down to <<<
# models:
#   # each step names a capability; the runtime picks the cheapest enabled model able to do it
#   local:
#     plugin: "@revloop/plugin-local-models" # classify/intent, predict/content, generate/message, predict/channel-time
#   brand:
#     plugin: "@revloop/plugin-brand-guard"
#     bannedClaims: [guaranteed, risk-free, best in the world, "#1"]
#     maxSubjectLength: 90
#     maxBodyLength: 1200
# workflows:
#   default:
#     trigger: { onSignals: true, onOutcomes: true, minSignals: 1 } # decide an account when new signals or outcomes arrive
#     featureWindowDays: 14 # signals older than this do not count
#     engagementWindowDays: 1 # a click or form fill within this many days is an answer
#     attributionWindowDays: 45 # an opportunity within this many days is credited to the decision
#     cooldownDays: 2 # do not treat the same account again sooner
#     maxExecutionsPerRun: 50 # the most promising first; the rest are deferred to a later run
#     rankBy: expected-value
#     steps:
#       - { name: intent, capability: classify, task: intent }
#       - { name: content, capability: predict, task: content }
#       - { name: message, capability: generate, task: message }
#       - { name: brand, capability: evaluate, task: brand, retryStep: message, maxRetries: 2 }
#       - { name: channel, capability: predict, task: channel-time }
#       - { name: approval, gate: approval } # classes named under approvals.policies wait for a person
#       - name: execute
#         execute:
#           # HubSpot: the contact's revloop_* properties; a HubSpot workflow enrolls it in a sequence
#           email:
#             action: hubspot.upsert-contact-properties
#             input:
#               key: "{{decisionKey}}"
#               records:
#                 - id: "{{contact.ids.hubspot}}"
#                   properties:
#                     revloop_next_action: email
#                     revloop_topic: "{{topic}}"
#                     revloop_variant: "{{variant}}"
#                     revloop_send_hour: "{{sendHour}}"
#           sales_task:
#             action: hubspot.create-sales-tasks
#             input:
#               tasks:
#                 - key: "{{decisionKey}}"
#                   subject: "{{message.subject}}"
#                   body: "{{message.body}}"
#                   contactId: "{{contact.ids.hubspot}}"
#                   companyId: "{{account.ids.hubspot}}"
#                   topic: "{{topic}}"
#                   dueAt: "{{sendAt}}"   # due at the chosen hour
#           # one audience per decision: the action sets the audience's whole membership
#           linkedin:
#             action: linkedin.sync-audience
#             input: { segmentName: "revloop {{decisionKey}}", emails: ["{{contact.email}}"], requestId: "{{decisionKey}}" }
#           google:
#             action: google.customer-match-sync
#             input: { listName: "revloop {{decisionKey}}", emails: ["{{contact.email}}"], syncId: "{{decisionKey}}" }
# <<<

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
