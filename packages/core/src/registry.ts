// Loads the plugins a config names (by package name, path, or an imported definition), checks
// their contract version, and validates each instance's config against the plugin's schema.
import { createRequire } from 'node:module';
import { isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createJiti } from 'jiti';
import type { z } from 'zod';
import { RevloopError, errorMessage } from './errors.js';
import type { ConnectorDefinition } from './contract/connector.js';
import type { ModelDefinition } from './contract/model.js';
import type { GenericPluginDefinition } from './contract/plugin.js';
import { CONTRACT_VERSION, majorOf } from './contract/version.js';
import { configError } from './config/zod-errors.js';
import { secretValues } from './contract/secret.js';
import type { LoadedConfig } from './config/load.js';

export type AnyDefinition = ConnectorDefinition | ModelDefinition | GenericPluginDefinition;
type Kind = AnyDefinition['kind'];

export interface PluginInstance<D extends AnyDefinition = AnyDefinition> {
  /** the instance name in config */
  name: string;
  definition: D;
  /** the instance's validated plugin config */
  config: unknown;
  enabled: boolean;
  /** for connectors: the streams to sync (all when the config does not say) */
  streams?: string[];
}

export interface Registry {
  connectors: Map<string, PluginInstance<ConnectorDefinition>>;
  models: Map<string, PluginInstance<ModelDefinition>>;
  plugins: Map<string, PluginInstance<GenericPluginDefinition>>;
}

// allowPrivateNetwork: the outbound address policy's (context/outbound.ts), not the plugin's own
const reservedKeys = new Set(['plugin', 'enabled', 'streams', 'allowPrivateNetwork']);

async function importSpecifier(spec: string, baseDir: string): Promise<unknown> {
  if (spec.startsWith('.') || isAbsolute(spec)) {
    const file = resolve(baseDir, spec);
    const jiti = createJiti(import.meta.url, { interopDefault: true });
    return jiti.import(file);
  }
  const require = createRequire(resolve(baseDir, 'noop.js'));
  return import(pathToFileURL(require.resolve(spec)).href);
}

function pickDefinition(mod: unknown, kind: Kind): AnyDefinition | undefined {
  const candidates = [mod, (mod as { default?: unknown })?.default, ...Object.values((mod as object) ?? {})];
  return candidates.find((c): c is AnyDefinition => !!c && typeof c === 'object' && (c as AnyDefinition).kind === kind);
}

export async function resolveDefinition(ref: unknown, kind: Kind, where: string, baseDir: string): Promise<AnyDefinition> {
  let mod: unknown = ref;
  if (typeof ref === 'string') {
    try {
      mod = await importSpecifier(ref, baseDir);
    } catch (e) {
      throw new RevloopError('PLUGIN_NOT_FOUND', `plugin "${ref}" could not be loaded: ${errorMessage(e).split('\n')[0]}`, {
        where,
        fix: `install it (pnpm add ${ref}) or give a path to its module (./plugins/my-connector.ts), relative to the config file`,
        kind: 'bad_input',
        cause: e,
      });
    }
  }
  const definition = pickDefinition(mod, kind);
  if (!definition) {
    throw new RevloopError('PLUGIN_WRONG_KIND', `${typeof ref === 'string' ? `"${ref}"` : 'the value'} does not export a ${kind} definition`, {
      where,
      fix: `export default define${kind === 'plugin' ? 'Plugin' : kind[0]!.toUpperCase() + kind.slice(1)}({...}) from the module`,
      kind: 'bad_input',
    });
  }
  if (majorOf(definition.contractVersion) !== majorOf(CONTRACT_VERSION)) {
    throw new RevloopError(
      'PLUGIN_CONTRACT_MISMATCH',
      `plugin "${definition.name}" ${definition.version} was built for plugin contract ${definition.contractVersion}, but this revloop speaks contract ${CONTRACT_VERSION}`,
      { where, fix: `use a version of "${definition.name}" built for contract ${majorOf(CONTRACT_VERSION)}.x, or a revloop release that speaks ${definition.contractVersion}`, kind: 'bad_input' },
    );
  }
  return definition;
}

function validateInstanceConfig(definition: AnyDefinition, entry: Record<string, unknown>, prefix: string[], file: string): unknown {
  const pluginConfig = Object.fromEntries(Object.entries(entry).filter(([k]) => !reservedKeys.has(k)));
  const parsed = (definition.config as z.ZodType).safeParse(pluginConfig);
  if (!parsed.success) {
    throw configError('PLUGIN_CONFIG_INVALID', file, prefix, parsed.error, `see the README of ${definition.name} for its config keys`, { schema: definition.config as z.ZodType, extraKeys: [...reservedKeys] });
  }
  return parsed.data;
}

export async function loadRegistry(loaded: LoadedConfig): Promise<Registry> {
  const { config, baseDir, file } = loaded;
  const registry: Registry = { connectors: new Map(), models: new Map(), plugins: new Map() };
  const sections = [
    ['connectors', 'connector', registry.connectors],
    ['models', 'model', registry.models],
    ['plugins', 'plugin', registry.plugins],
  ] as const;
  for (const [section, kind, target] of sections) {
    for (const [name, entry] of Object.entries(config[section] as Record<string, Record<string, unknown>>)) {
      const prefix = [section, name];
      const definition = await resolveDefinition(entry.plugin, kind, `${prefix.join('.')}.plugin`, baseDir);
      const instanceConfig = validateInstanceConfig(definition, entry, prefix, file);
      // every field the plugin marked secret() is redacted from logs, errors and stored runs
      for (const value of secretValues(definition.config as z.ZodType, instanceConfig)) loaded.redactor.add(value);
      const streams = entry.streams as string[] | undefined;
      if (streams && definition.kind === 'connector') {
        const known = new Set(definition.streams.map((s) => s.name));
        const unknown = streams.filter((s) => !known.has(s));
        if (unknown.length) {
          throw new RevloopError('CONFIG_UNKNOWN_STREAM', `connector "${name}" has no stream ${unknown.map((s) => `"${s}"`).join(', ')}`, {
            where: `${prefix.join('.')}.streams`,
            fix: `use one of: ${[...known].join(', ')}`,
            kind: 'bad_input',
          });
        }
      }
      (target as Map<string, PluginInstance>).set(name, { name, definition, config: instanceConfig, enabled: entry.enabled !== false, streams });
    }
  }
  return registry;
}
