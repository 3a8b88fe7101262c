// What every command that reads the config shares: find and load it, quiet the logger unless
// --verbose, resolve plugins bundled with the CLI, and open a runtime.
import { createRequire } from 'node:module';
import { isAbsolute, join, resolve } from 'node:path';
import { acquireStoreOwner, createRuntime, findConfigFile, isRevloopError, loadConfig, parseConfig, RevloopError, type LoadedConfig, type Runtime } from '@revloop/core';
import { sandboxFor } from './sandbox-refs.js';

export interface GlobalOptions {
  config?: string;
  /** a SQLite store instead of the config's */
  store?: string;
  json?: boolean;
  verbose?: boolean;
}

/** Config file of the last load, so that errors can name it. */
export const state: { configFile?: string } = {};

/**
 * Load and validate the config (no database is opened or created here).
 * `keepLogLevel`: long-running commands (serve) keep the config's level.
 */
export async function loadCliConfig(opts: GlobalOptions, keepLogLevel = false): Promise<LoadedConfig> {
  state.configFile = opts.config ? resolve(process.cwd(), opts.config) : findConfigFile(process.cwd());
  // --store alone (no config in the folder): the store is enough to read what a run kept
  const storeOnly = !!opts.store && !opts.config && !state.configFile;
  const loaded = storeOnly
    ? parseConfig({}, { baseDir: process.cwd(), env: process.env })
    : await loadConfig(opts.config, process.cwd()).catch((e: unknown) => {
        throw explainMissingImport(e);
      });
  state.configFile = loaded.file;
  if (opts.store) loaded.config.store = { kind: 'sqlite', path: resolve(process.cwd(), opts.store) };
  if (opts.verbose) loaded.config.log.level = 'debug';
  else if (!keepLogLevel) loaded.config.log.level = 'warn';
  await useBundledPlugins(loaded);
  // plugin config paths (a data folder, a key file) are relative to the config file
  process.chdir(loaded.baseDir);
  return loaded;
}

/** A config that imports a package not installed beside it: say so, and how to avoid it. */
function explainMissingImport(e: unknown): unknown {
  if (!isRevloopError(e) || e.code !== 'CONFIG_UNREADABLE') return e;
  const missing = /Cannot find (?:module|package) '([^']+)'/.exec(e.message)?.[1];
  if (!missing) return e;
  return new RevloopError(e.code, `${e.message.split('\n')[0]}`, {
    where: e.where,
    fix: `install ${missing} beside the config (npm install -D ${missing}), or do without the import: \`revloop init\` writes a config with only \`import type\` (erased on load) and { $env: 'NAME' } secret references`,
    kind: 'bad_input',
    cause: e,
  });
}

/**
 * A plugin named by package ("@revloop/connector-reference") is resolved from the config's folder
 * (core's rule). When it is not installed there but ships with this CLI, use the CLI's copy, so
 * that `revloop init && revloop check` works in any folder.
 */
async function useBundledPlugins(loaded: LoadedConfig): Promise<void> {
  const requireFromConfig = createRequire(join(loaded.baseDir, 'noop.js'));
  for (const section of ['connectors', 'models', 'plugins'] as const) {
    for (const entry of Object.values(loaded.config[section] as Record<string, { plugin: unknown }>)) {
      const spec = entry.plugin;
      if (typeof spec !== 'string' || spec.startsWith('.') || isAbsolute(spec)) continue;
      try {
        requireFromConfig.resolve(spec);
        continue; // installed beside the config: core loads that one
      } catch {
        // not installed there: try ours
      }
      let url: string;
      try {
        url = import.meta.resolve(spec);
      } catch {
        continue; // core reports PLUGIN_NOT_FOUND with its fix
      }
      const mod = (await import(url)) as Record<string, unknown>;
      const definition = [mod, mod.default, ...Object.values(mod)].find((c) => !!c && typeof c === 'object' && typeof (c as { kind?: unknown }).kind === 'string');
      if (definition) entry.plugin = definition;
    }
  }
}

/**
 * Open the runtime (and the sandbox when the config references it). `owner`: the command takes the
 * store for its lifetime (serve, sync): a second one on the same SQLite store is refused with
 * STORE_BUSY naming the holder; the lock is released by the runtime's close() or at exit.
 */
export async function openRuntime(loaded: LoadedConfig, signal?: AbortSignal, options: { owner?: string } = {}): Promise<Runtime> {
  const owner = options.owner ? await acquireStoreOwner(loaded.config, options.owner) : undefined;
  let sandbox: Awaited<ReturnType<typeof sandboxFor>>;
  try {
    sandbox = await sandboxFor(loaded.config);
  } catch (e) {
    owner?.release();
    throw e;
  }
  try {
    const runtime = await createRuntime(loaded, { signal });
    if (!sandbox && !owner) return runtime;
    const closeRuntime = runtime.close.bind(runtime);
    // the emulators and the store's lock live as long as the command's runtime
    return Object.assign(runtime, {
      close: async () => {
        try {
          await closeRuntime();
          await sandbox?.stop();
        } finally {
          owner?.release();
        }
      },
    });
  } catch (e) {
    await sandbox?.stop();
    owner?.release();
    throw e;
  }
}

/** A short command on the store: load the config, open and migrate the store, run `fn`, close. */
export async function withRuntime<T>(opts: GlobalOptions, fn: (runtime: Runtime) => Promise<T>): Promise<T> {
  const runtime = await openRuntime(await loadCliConfig(opts));
  try {
    await runtime.store.migrate();
    return await fn(runtime);
  } finally {
    await runtime.close();
  }
}

/** Run `fn` with SIGINT/SIGTERM turned into an abort; a second signal exits at once. */
export async function withInterrupts<T>(fn: (signal: AbortSignal, interrupted: () => string | undefined) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  let received: string | undefined;
  const onSignal = (name: NodeJS.Signals) => {
    if (received) process.exit(130);
    received = name;
    process.stderr.write(`\n${name}: stopping after the current batch (checkpoint kept); press Ctrl-C again to quit at once\n`);
    controller.abort(new Error(`${name} received`));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    return await fn(controller.signal, () => received);
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}
