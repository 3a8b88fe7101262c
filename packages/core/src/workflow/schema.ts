// A workflow in config: ordered steps over a shared per-account context. A step names a
// capability + task (the runtime picks the model), an approval gate, or the execution map
// (channel → connector action with an input template).
import { z } from 'zod';
import { capabilities } from '../contract/model.js';
import { channels } from './tasks.js';

const capabilityStep = z
  .object({
    name: z.string().min(1),
    capability: z.enum(capabilities as [string, ...string[]]),
    task: z.string().min(1),
    /** the router picks the cheapest model with at least this quality */
    minQuality: z.number().min(0).max(1).default(0),
    /** stop the workflow for the account when the output matches (e.g. { label: 'low' }) */
    stopWhen: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).optional(),
    /** for evaluate steps: on a fail, run this earlier step again (with the reasons) up to maxRetries times */
    retryStep: z.string().optional(),
    maxRetries: z.number().int().min(0).max(5).default(2),
    with: z.record(z.string(), z.unknown()).optional(),
  })
  .strict();

const gateStep = z.object({ name: z.string().min(1), gate: z.literal('approval') }).strict();

const executionTarget = z
  .object({
    /** "<connector instance>.<action name>" */
    action: z.string().regex(/^[a-z][a-z0-9-]*\.[a-z][a-z0-9_-]*$/, 'write it as "<connector>.<action>", e.g. "hubspot.create-task"'),
    /** the action's input; "{{contact.email}}"-style placeholders are filled from the decision */
    input: z.record(z.string(), z.unknown()).default({}),
  })
  .strict();

const executeStep = z
  .object({
    name: z.string().min(1),
    execute: z.partialRecord(z.enum(channels), executionTarget),
  })
  .strict();

export const workflowStepSchema = z.union([capabilityStep, gateStep, executeStep]);

export const conversionUploadSchema = z
  .object({
    /** `connector.action`, e.g. linkedin.upload-conversions */
    action: z.string().regex(/^[a-z][a-z0-9-]*\.[a-z][a-z0-9-]*$/, 'connector.action'),
    /** which outcomes (default: both) */
    kinds: z.array(z.enum(['opportunity_created', 'closed_won'])).default(['opportunity_created', 'closed_won']),
    /** only outcomes attributed to one of this workflow's decisions (default), or every outcome */
    attributedOnly: z.boolean().default(true),
    /** the input field that holds the list of items */
    batch: z.string().min(1),
    /** one item per outcome: a template (see docs/workflows.md) */
    item: z.record(z.string(), z.unknown()),
    /** at most this many items per action call */
    maxBatch: z.number().int().positive().default(1000),
  })
  .strict();

export const workflowSchema = z
  .object({
    enabled: z.boolean().default(true),
    trigger: z
      .object({
        onSignals: z.boolean().default(true),
        onOutcomes: z.boolean().default(true),
        /** re-decide an account anyway when its last decision is older than this */
        maxAgeDays: z.number().positive().optional(),
        /** only signals since the last decision of the account trigger it */
        minSignals: z.number().int().min(1).default(1),
      })
      .strict()
      .default({ onSignals: true, onOutcomes: true, minSignals: 1 }),
    /** signals older than this do not count in the features */
    featureWindowDays: z.number().positive().default(14),
    /** a response on the decision's channel within this many days counts as engagement */
    engagementWindowDays: z.number().positive().default(3),
    /** outcomes within this many days after an executed decision are attributed to it */
    attributionWindowDays: z.number().positive().default(30),
    /** execute at most this many decisions per run, the most promising first */
    maxExecutionsPerRun: z.number().int().positive().optional(),
    /** what "most promising" means: expected value (response chance × open pipeline or typical deal × intent), or intent × response chance */
    rankBy: z.enum(['expected-value', 'intent']).default('expected-value'),
    /** don't treat the same account again within this many days */
    cooldownDays: z.number().min(0).default(7),
    steps: z.array(workflowStepSchema).min(1),
    /**
     * the loop's last step: outcomes (opportunity created, closed-won) uploaded to the ad platforms
     * as offline conversions, through a connector action; each outcome fills `item` (a template
     * over outcome.*, account.*, contact.*) and the items go in the input's `batch` field
     */
    conversions: z.array(conversionUploadSchema).default([]),
  })
  .strict();

export type WorkflowConfig = z.output<typeof workflowSchema>;
export type WorkflowInput = z.input<typeof workflowSchema>;
export type WorkflowStep = z.output<typeof workflowStepSchema>;
export type CapabilityStep = z.output<typeof capabilityStep>;
export type ExecuteStep = z.output<typeof executeStep>;

export function isCapabilityStep(s: WorkflowStep): s is CapabilityStep {
  return 'capability' in s;
}
export function isGateStep(s: WorkflowStep): s is z.output<typeof gateStep> {
  return 'gate' in s;
}
export function isExecuteStep(s: WorkflowStep): s is ExecuteStep {
  return 'execute' in s;
}
