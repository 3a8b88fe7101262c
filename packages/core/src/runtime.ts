// The runtime: config + store + registry + one context per plugin instance.
import { openStore, StoreFileError, type Store } from '@revloop/store';
import type { LoadedConfig } from './config/load.js';
import { loadRegistry, type Registry, type PluginInstance } from './registry.js';
import { wallClock, type Clock } from './context/clock.js';
import { createLogger, type Logger, type LoggerOptions } from './context/logger.js';
import { createHttpClient } from './context/http.js';
import { outboundPolicyOf, type LookupAll } from './context/outbound.js';
import { configEntryOf } from './context/outbound-config.js';
import { createPluginState } from './context/plugin-state.js';
import { createLedgerSpendHooks } from './context/spend.js';
import type { PluginContext } from './context/context.js';
import type { ConnectorDefinition } from './contract/connector.js';
import { RevloopError } from './errors.js';
import { validateWorkflows } from './workflow/validate.js';
import { signalKindRegistry, type SignalKindRegistry } from './workflow/signal-kinds.js';
import { customFieldRegistry, type CustomFieldRegistry } from './workflow/custom-fields.js';
import { checkMappingFields } from './identity/mapping-fields.js';

export interface RuntimeOptions {
  clock?: Clock;
  logDestination?: LoggerOptions['destination'];
  /** an already-open store (tests); otherwise the config's store is opened */
  store?: Store;
  /** aborted on SIGTERM by the CLI */
  signal?: AbortSignal;
  fetch?: typeof fetch;
  /**
   * Test hook, not a config setting: the name resolution of the outbound policy (ctx.http, its
   * agents, the check of the URLs in each plugin's config). Default: the system's DNS. Lets a test
   * point a name at a refused address (169.254.169.254) without any real lookup.
   */
  outbound?: { lookup?: LookupAll };
}

export interface Runtime {
  readonly loaded: LoadedConfig;
  readonly store: Store;
  readonly registry: Registry;
  /** every signal kind the models can use: the built-ins, the connectors' and the config's */
  readonly signalKinds: SignalKindRegistry;
  /** the typed custom fields of accounts and contacts that steps read */
  readonly customFields: CustomFieldRegistry;
  readonly clock: Clock;
  readonly log: Logger;
  readonly signal: AbortSignal;
  /** RuntimeOptions.outbound.lookup (tests), or undefined: the system's DNS */
  readonly outboundLookup?: LookupAll;
  contextFor<T = unknown>(instance: PluginInstance): PluginContext<T>;
  connector(name: string): PluginInstance<ConnectorDefinition>;
  close(): Promise<void>;
}

export async function createRuntime(loaded: LoadedConfig, options: RuntimeOptions = {}): Promise<Runtime> {
  const registry = await loadRegistry(loaded);
  validateWorkflows(loaded.config, registry);
  const signalKinds = signalKindRegistry(loaded.config, registry);
  const customFields = customFieldRegistry(loaded.config, registry);
  checkMappingFields(loaded.config, customFields);
  const clock = options.clock ?? wallClock;
  const log = createLogger({ level: loaded.config.log.level, redactor: loaded.redactor, destination: options.logDestination });
  const store = options.store ?? openConfiguredStore(loaded.config.store);
  const signal = options.signal ?? new AbortController().signal;
  const contexts = new Map<string, PluginContext<any>>();

  const runtime: Runtime = {
    loaded,
    store,
    registry,
    signalKinds,
    customFields,
    clock,
    log,
    signal,
    outboundLookup: options.outbound?.lookup,
    contextFor<T>(instance: PluginInstance): PluginContext<T> {
      const key = `${instance.definition.kind}:${instance.name}`;
      let ctx = contexts.get(key);
      if (!ctx) {
        const pluginLog = log.child({ plugin: instance.name });
        ctx = {
          name: instance.name,
          config: instance.config,
          store,
          log: pluginLog,
          clock,
          http: createHttpClient({ log: pluginLog, now: () => clock.now(), fetch: options.fetch, outbound: { ...outboundPolicyOf(configEntryOf({ loaded }, instance)), lookup: options.outbound?.lookup }, where: `${instance.definition.kind === 'connector' ? 'connectors' : 'plugins'}.${instance.name}` }),
          state: createPluginState(store, instance.name, clock, { log: pluginLog }),
          spend: createLedgerSpendHooks(store, clock, instance.name),
          redactor: loaded.redactor,
          signal,
        };
        contexts.set(key, ctx);
      }
      return ctx as PluginContext<T>;
    },
    connector(name: string) {
      const instance = registry.connectors.get(name);
      if (!instance) {
        throw new RevloopError('CONNECTOR_UNKNOWN', `no connector named "${name}" in the config`, {
          where: `connectors.${name}`,
          fix: `use one of: ${[...registry.connectors.keys()].join(', ') || '(none configured)'}`,
          kind: 'bad_input',
        });
      }
      return instance;
    },
    async close() {
      if (!options.store) await store.close();
    },
  };
  return runtime;
}

/** the configured store; a file that is no database is bad input at store.path, not an unexpected error */
function openConfiguredStore(config: LoadedConfig['config']['store']): Store {
  try {
    return openStore(config);
  } catch (e) {
    if (e instanceof StoreFileError) throw new RevloopError(e.code, e.message, { where: 'store.path', fix: e.fix, kind: 'bad_input', cause: e });
    throw e;
  }
}
