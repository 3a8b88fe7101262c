// The chaos suite's SIGKILL child as one bundle (see ../child-bundle.ts): child-run.ts with the
// connector's module imported statically.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleEntry, importable, withoutTsLoader } from '../child-bundle.js';

const here = dirname(fileURLToPath(import.meta.url));

/**
 * The script and node flags of a chaos child: the bundle when the kit runs from source (source is
 * a .ts file) and esbuild is found, else the given script with the flags as given.
 */
export async function chaosChild(module: string, source: string, execArgv: string[]): Promise<{ script: string; execArgv: string[] }> {
  if (!source.endsWith('.ts')) return { script: source, execArgv };
  const entry = [
    `import * as mod from ${JSON.stringify(importable(module))};`,
    `import { readJob, runChaosJob } from ${JSON.stringify(join(here, 'child-run.ts'))};`,
    'const { job, resume } = readJob(process.argv);',
    'await runChaosJob(job, resume, mod);',
  ].join('\n');
  const bundled = await bundleEntry(entry, here);
  return bundled ? { script: bundled, execArgv: withoutTsLoader(execArgv) } : { script: source, execArgv };
}
