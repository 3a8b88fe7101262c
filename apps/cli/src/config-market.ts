// The sandbox market a config asks for (sandbox.seed, sandbox.scenario), for commands that start
// a market of their own (`revloop sandbox`): read from the config file's sandbox section alone, so
// that a config whose secrets are not set in this shell still gives its market.
import { isAbsolute, dirname, resolve } from 'node:path';
import { configSchema, findConfigFile, locateConfig, readRawConfig, RevloopError } from '@revloop/core';
import type { GlobalOptions } from './context.js';

export interface ConfigMarket {
  /** the config file it came from */
  file?: string;
  seed?: number;
  /** a scenario file (absolute: relative ones are relative to the config) or gen:<seed> */
  scenario?: string;
}

export async function configMarket(opts: GlobalOptions, cwd = process.cwd()): Promise<ConfigMarket> {
  if (!opts.config && !findConfigFile(cwd)) return {};
  const file = locateConfig(opts.config, cwd);
  const raw = (await readRawConfig(file)) as { sandbox?: unknown } | null;
  const parsed = configSchema.shape.sandbox.safeParse(raw?.sandbox);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const where = ['sandbox', ...issue.path.map(String)].join('.');
    throw new RevloopError('CONFIG_INVALID', `invalid config in ${file}:\n  ${where}: ${issue.message}`, { where, fix: 'correct sandbox (enabled, seed: a whole number, scenario: a file or gen:<seed>), or pass --seed / --scenario', kind: 'bad_input' });
  }
  const scenario = parsed.data?.scenario;
  return {
    file,
    seed: parsed.data?.seed,
    scenario: scenario === undefined || /^\s*gen:/.test(scenario) || isAbsolute(scenario) ? scenario : resolve(dirname(file), scenario),
  };
}
