// The revloop config file's schema. Unknown keys are refused (a typo must not be ignored).
import { z } from 'zod';
import { workflowSchema } from '../workflow/schema.js';
import { defaultIdentityConfig, identityConfigProblems, identitySchema } from '../identity/config.js';
import { signalKindDeclarationSchema, signalKindNameSchema } from '../workflow/signal-kinds.js';
import { customFieldsSchema } from '../workflow/custom-fields.js';

const pluginRef = z.union([
  z.string().min(1),
  z.custom<{ kind: 'connector' | 'model' | 'plugin' }>(
    (v) => !!v && typeof v === 'object' && ['connector', 'model', 'plugin'].includes((v as { kind?: string }).kind ?? ''),
    'a package name, a path to a module, or an imported plugin definition',
  ),
]);

export const storeConfigSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('sqlite'), path: z.string().min(1) }).strict(),
  z.object({ kind: z.literal('postgres'), url: z.string().min(1) }).strict(),
]);

/**
 * A connector entry: `plugin` (+ optional `enabled`, `streams`, `allowPrivateNetwork`); every other
 * key is the plugin's config. `allowPrivateNetwork: true` lets its calls reach private network
 * addresses (an on-premises system), over http too; metadata and link-local addresses stay refused.
 */
export const connectorEntrySchema = z.looseObject({
  plugin: pluginRef,
  enabled: z.boolean().optional(),
  streams: z.array(z.string()).optional(),
  allowPrivateNetwork: z.boolean().optional(),
});

export const modelEntrySchema = z.looseObject({
  plugin: pluginRef,
  enabled: z.boolean().optional(),
  allowPrivateNetwork: z.boolean().optional(),
});

const cronExpression = z.string().regex(/^(\S+\s+){4,5}\S+$/, 'a cron expression with 5 or 6 fields, e.g. "*/15 * * * *"');

export const scheduleSchema = z
  .object({
    name: z.string().min(1),
    cron: cronExpression,
    /** sync: one connector (or all); run: the loop — sync, learn from outcomes, decide, execute */
    job: z.enum(['sync', 'run']),
    connector: z.string().optional(),
    stream: z.string().optional(),
    /** run: these workflows (default: every enabled one) */
    workflows: z.array(z.string()).optional(),
    /** run: sync every enabled connector first (default); false when syncs have schedules of their own */
    sync: z.boolean().optional(),
  })
  .strict();

export const budgetSchema = z
  .object({
    name: z.string().min(1),
    scope: z.enum(['total', 'workflow', 'step', 'plugin', 'model']).default('total'),
    target: z.string().optional(),
    limitUsd: z.number().nonnegative(),
    period: z.enum(['day', 'month', 'run']).default('month'),
  })
  .strict();

export const approvalPolicySchema = z
  .object({
    name: z.string().min(1),
    decisionClasses: z.array(z.string().min(1)).min(1),
    expiresAfterHours: z.number().positive().default(72),
  })
  .strict();

/** `revloop serve`'s webhook endpoint: limits applied before and after the signature check. */
export const webhookLimitsDefaults = {
  /** a request body above this is refused (413) while it streams, before verify() */
  maxBodyBytes: 1_048_576,
  /** a payload with more events than this is refused (413), nothing written */
  maxEvents: 1000,
  /** one event's raw / attributes above this (JSON bytes) are stored as { truncated: true, bytes } */
  maxStoredPayloadBytes: 16_384,
} as const;

const serverDefaults = { host: '127.0.0.1', port: 8787, trustForwardedHeaders: false, webhooks: { ...webhookLimitsDefaults } };

export const serverSchema = z
  .object({
    host: z.string().default('127.0.0.1'),
    port: z.number().int().min(0).max(65535).default(8787),
    /** the public origin (+ optional path prefix) behind a TLS-terminating proxy, e.g. https://hooks.example.com; webhook signatures are checked over it */
    publicBaseUrl: z.url({ protocol: /^https?$/ }).optional(),
    /** without publicBaseUrl: take the public URL from X-Forwarded-Proto / X-Forwarded-Host (only behind a proxy that sets them) */
    trustForwardedHeaders: z.boolean().default(false),
    webhooks: z
      .object({
        maxBodyBytes: z.number().int().positive().max(64 * 1024 * 1024).default(webhookLimitsDefaults.maxBodyBytes),
        maxEvents: z.number().int().positive().default(webhookLimitsDefaults.maxEvents),
        maxStoredPayloadBytes: z.number().int().min(256).default(webhookLimitsDefaults.maxStoredPayloadBytes),
      })
      .strict()
      .default({ ...webhookLimitsDefaults }),
  })
  .strict();

export const configSchema = z
  .object({
    store: storeConfigSchema.default({ kind: 'sqlite', path: '.revloop/revloop.db' }),
    log: z.object({ level: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info') }).strict().default({ level: 'info' }),
    sandbox: z
      .object({ enabled: z.boolean().default(true), scenario: z.string().optional(), seed: z.number().int().optional() })
      .strict()
      .optional(),
    connectors: z.record(z.string().regex(/^[a-z][a-z0-9-]*$/, 'lower-case letters, digits and dashes'), connectorEntrySchema).default({}),
    models: z.record(z.string(), modelEntrySchema).default({}),
    plugins: z.record(z.string(), modelEntrySchema).default({}),
    workflows: z.record(z.string(), workflowSchema).default({}),
    schedules: z.array(scheduleSchema).default([]),
    budgets: z.array(budgetSchema).default([]),
    approvals: z
      .object({
        policies: z.array(approvalPolicySchema).default([]),
        /** accounts in these industries make a decision of class "regulated-industry" */
        regulatedIndustries: z.array(z.string()).default([]),
      })
      .strict()
      .default({ policies: [], regulatedIndustries: [] }),
    server: serverSchema.default(serverDefaults),
    /** signal kinds beyond the built-ins and the connectors' own, each with a category (docs/entities.md) */
    signalKinds: z.record(signalKindNameSchema, signalKindDeclarationSchema).default({}),
    /** typed custom fields of accounts and contacts that workflow steps read ({{account.custom.<name>}}) */
    customFields: customFieldsSchema.default({ account: {}, contact: {} }),
    /** identity resolution across connectors: match keys and survivorship (docs/identity.md) */
    identity: identitySchema.default(defaultIdentityConfig),
  })
  .strict()
  .superRefine((config, ctx) => {
    // identity rules name connectors: they must be configured, and must not contradict each other
    for (const p of identityConfigProblems(config.identity, Object.keys(config.connectors))) ctx.addIssue({ code: 'custom', path: p.path, message: p.message });
  });

export type RevloopConfigInput = z.input<typeof configSchema>;
export type RevloopConfig = z.output<typeof configSchema>;
export type ConnectorEntry = z.output<typeof connectorEntrySchema>;

/** Typed helper for revloop.config.ts. */
export function defineConfig(config: RevloopConfigInput): RevloopConfigInput {
  return config;
}
