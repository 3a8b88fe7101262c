// A general plugin (feedback, attribution…): hooks into runtime events rather than vendors or models.
import type { z } from 'zod';
import type { PluginContext } from '../context/context.js';
import { CONTRACT_VERSION } from './version.js';

export interface PluginHooks<TConfig> {
  /** called once when the runtime starts */
  start?(ctx: PluginContext<TConfig>): Promise<void>;
  /** called after a sync run of any stream finished */
  afterSync?(ctx: PluginContext<TConfig>, run: { connector: string; stream: string; written: number }): Promise<void>;
}

export interface GenericPluginDefinition<TSchema extends z.ZodType = z.ZodType> {
  kind: 'plugin';
  contractVersion: string;
  name: string;
  version: string;
  description?: string;
  config: TSchema;
  hooks: PluginHooks<z.infer<TSchema>>;
}

export function definePlugin<TSchema extends z.ZodType>(
  definition: Omit<GenericPluginDefinition<TSchema>, 'kind' | 'contractVersion'>,
): GenericPluginDefinition<TSchema> {
  return { kind: 'plugin', contractVersion: CONTRACT_VERSION, ...definition };
}
