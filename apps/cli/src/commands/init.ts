// `revloop init`: write a starter config (and the sample data it reads) into the current folder.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { RevloopError, configFileNames } from '@revloop/core';
import { sampleData } from '../sample-data.js';
import { SAMPLE_DATA_DIR, starterConfig, starterFileName, type StarterFormat } from '../starter.js';

export interface InitResult {
  config: string;
  written: string[];
  kept: string[];
}

export function initProject(cwd: string, options: { force?: boolean; format?: string }): InitResult {
  const format = (options.format ?? 'ts') as StarterFormat;
  if (format !== 'ts' && format !== 'yaml') {
    throw new RevloopError('BAD_ARGUMENT', `--format must be ts or yaml, not "${options.format}"`, { where: '--format', fix: 'pass --format ts (default) or --format yaml', kind: 'bad_input' });
  }
  const target = resolve(cwd, starterFileName(format));
  const existing = configFileNames.map((n) => resolve(cwd, n)).filter((p) => existsSync(p));
  if (existing.length && !options.force) {
    throw new RevloopError('CONFIG_EXISTS', `a revloop config already exists: ${existing.join(', ')}`, {
      where: existing[0],
      fix: 'keep it (run `revloop check`), or pass --force to overwrite it with the starter',
      kind: 'bad_input',
    });
  }
  const written: string[] = [];
  const kept: string[] = [];
  writeFileSync(target, starterConfig(format));
  written.push(target);
  const dataDir = resolve(cwd, SAMPLE_DATA_DIR);
  const data = sampleData();
  for (const [file, text] of Object.entries(data)) {
    const path = join(dataDir, file);
    if (existsSync(path)) {
      kept.push(path);
      continue;
    }
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(path, text);
    written.push(path);
  }
  return { config: target, written, kept };
}
