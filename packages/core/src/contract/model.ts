// The model half of the plugin contract: a model plugin offers capabilities (classify,
// generate, predict, evaluate); the workflow engine picks the cheapest one able to do a step.
import type { z } from 'zod';
import type { PluginContext } from '../context/context.js';
import { CONTRACT_VERSION } from './version.js';
import type { ChannelChances, FeedbackExample, ModelUpdate, ReplayStep } from '../workflow/tasks.js';

export type Capability = 'classify' | 'generate' | 'predict' | 'evaluate';
export const capabilities: readonly Capability[] = ['classify', 'generate', 'predict', 'evaluate'];

export interface InvokeResult<TOutput = unknown> {
  output: TOutput;
  /** what the call cost, micros */
  costMicros?: number;
  usage?: { tokensIn?: number; tokensOut?: number };
  modelVersion?: string;
}

export interface CapabilityDefinition<TConfig = any, TInput = any, TOutput = any> {
  /** the capability, and a task name within it (e.g. classify/intent) */
  capability: Capability;
  task: string;
  /** relative quality 0..1 (routing picks the cheapest with quality >= the step's minimum) */
  quality: number;
  /** expected cost per call, micros (the budget reserves this before a call) */
  costMicros: number;
  invoke(ctx: PluginContext<TConfig>, input: TInput): Promise<InvokeResult<TOutput>>;
  /** learn from outcomes joined to decisions (called when outcomes arrive, not on a calendar) */
  update?(ctx: PluginContext<TConfig>, feedback: FeedbackExample[]): Promise<ModelUpdate | void>;
  /**
   * predict/channel-time only, optional: a fresh model with `settings` merged into this instance's
   * config, replayed over logged decisions in time order (learning each answer once it is known),
   * returns its chance of each channel at each step — what off-policy evaluation weighs the log
   * with to estimate those settings (`revloop models evaluate --settings`). Throws on settings the
   * model does not accept (the message says which and why).
   */
  replay?(ctx: PluginContext<TConfig>, settings: Record<string, unknown>, steps: readonly ReplayStep[]): Promise<(ChannelChances | undefined)[]>;
}

export interface ModelDefinition<TSchema extends z.ZodType = z.ZodType> {
  kind: 'model';
  contractVersion: string;
  name: string;
  version: string;
  description?: string;
  config: TSchema;
  capabilities: CapabilityDefinition<z.infer<TSchema>>[];
}

export function defineModel<TSchema extends z.ZodType>(definition: Omit<ModelDefinition<TSchema>, 'kind' | 'contractVersion'>): ModelDefinition<TSchema> {
  return { kind: 'model', contractVersion: CONTRACT_VERSION, ...definition };
}
