// Load revloop.config.ts / .js / .yaml / .json, resolve env() secrets, validate.
import { existsSync, readFileSync } from 'node:fs';
import { resolve, extname, dirname } from 'node:path';
import { createJiti } from 'jiti';
import { parse as parseYaml } from 'yaml';
import { RevloopError, errorMessage } from '../errors.js';
import { Redactor } from '../context/redact.js';
import { configSchema, type RevloopConfig } from './schema.js';
import { resolveSecrets } from './secrets.js';
import { configError } from './zod-errors.js';
import { assertConfigAddresses } from '../context/outbound-config.js';

export const configFileNames = ['revloop.config.ts', 'revloop.config.mts', 'revloop.config.js', 'revloop.config.mjs', 'revloop.config.yaml', 'revloop.config.yml', 'revloop.config.json'];

export interface LoadedConfig {
  config: RevloopConfig;
  /** absolute path of the file, or '(inline)' */
  file: string;
  /** the folder relative paths in the config are resolved against */
  baseDir: string;
  redactor: Redactor;
}

export function findConfigFile(cwd: string): string | undefined {
  for (const name of configFileNames) {
    const p = resolve(cwd, name);
    if (existsSync(p)) return p;
  }
  return undefined;
}

/** Read a config file without validating it (YAML, JSON, or a TS/JS module's default export). */
export async function readRawConfig(file: string): Promise<unknown> {
  const ext = extname(file);
  try {
    if (ext === '.json') return JSON.parse(readFileSync(file, 'utf8'));
    if (ext === '.yaml' || ext === '.yml') return parseYaml(readFileSync(file, 'utf8'));
    const jiti = createJiti(import.meta.url, { interopDefault: true, moduleCache: false, fsCache: false });
    return await jiti.import(file, { default: true });
  } catch (e) {
    throw new RevloopError('CONFIG_UNREADABLE', `could not read ${file}: ${errorMessage(e)}`, {
      where: file,
      fix: 'fix the syntax error above (a YAML/JSON parse error or a TypeScript error in the config file)',
      kind: 'bad_input',
      cause: e,
    });
  }
}

/** Validate an in-memory config (tests, programmatic use). */
export function parseConfig(raw: unknown, options: { file?: string; baseDir?: string; env?: NodeJS.ProcessEnv } = {}): LoadedConfig {
  const file = options.file ?? '(inline)';
  const redactor = new Redactor();
  const resolved = resolveSecrets(raw ?? {}, options.env ?? process.env, redactor);
  const parsed = configSchema.safeParse(resolved);
  if (!parsed.success) throw configError('CONFIG_INVALID', file, [], parsed.error, 'correct the keys named above; `revloop init` writes a valid starter config', { schema: configSchema });
  const config = parsed.data;
  // a connector pointed at the metadata service or a private address literal is refused here
  assertConfigAddresses(config);
  const baseDir = options.baseDir ?? process.cwd();
  if (config.store.kind === 'sqlite' && config.store.path !== ':memory:') config.store.path = resolve(baseDir, config.store.path);
  return { config, file, baseDir, redactor };
}

/** The config file to use: the given path, or the first revloop.config.* in cwd; throws when none. */
export function locateConfig(path: string | undefined, cwd = process.cwd()): string {
  const file = path ? resolve(cwd, path) : findConfigFile(cwd);
  if (!file || !existsSync(file)) {
    throw new RevloopError('CONFIG_NOT_FOUND', path ? `config file ${file} does not exist` : `no revloop config found in ${cwd}`, {
      where: file ?? cwd,
      fix: 'run `revloop init` to write a starter revloop.config.ts, or pass --config <file>',
      kind: 'bad_input',
    });
  }
  return file;
}

export async function loadConfig(path: string | undefined, cwd = process.cwd(), env: NodeJS.ProcessEnv = process.env): Promise<LoadedConfig> {
  const file = locateConfig(path, cwd);
  const raw = await readRawConfig(file);
  // an empty file, `null` or a list is no config (not "valid with every default")
  if (raw === null || raw === undefined || typeof raw !== 'object' || Array.isArray(raw))
    throw new RevloopError('CONFIG_INVALID', `the config in ${file} is ${raw === null || raw === undefined ? 'empty' : Array.isArray(raw) ? 'a list' : `a ${typeof raw}`}, not an object of settings`, {
      where: file,
      fix: 'write the settings as an object (`store:`, `connectors:`, `workflows:` …); `revloop init` writes a starter config',
      kind: 'bad_input',
    });
  return parseConfig(raw, { file, baseDir: dirname(file), env });
}
