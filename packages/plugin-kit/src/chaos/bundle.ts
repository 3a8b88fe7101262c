// The SIGKILL child as one JavaScript file. From source, each child start loaded the kit, core and
// the connector as dozens of TypeScript files through tsx (~2.5 s of CPU a start; the suite starts
// ~50 children); bundled once per test process with esbuild (the one tsx brings), a start loads
// one file (~0.85 s). Only the workspace's own sources are bundled: every package from
// node_modules stays an import of the very file Node would resolve, and each bundled file's
// import.meta.url keeps its own path, so the child runs the same code the same way.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

/** the part of esbuild's API used here */
interface Esbuild {
  build(options: Record<string, unknown>): Promise<{ errors: unknown[] }>;
}
interface PluginBuild {
  onResolve(o: { filter: RegExp }, cb: (args: ResolveArgs) => Promise<unknown> | unknown): void;
  onLoad(o: { filter: RegExp }, cb: (args: { path: string }) => unknown): void;
  resolve(path: string, o: { resolveDir: string; kind: string; pluginData: unknown }): Promise<{ path: string; external: boolean; errors: unknown[] }>;
}
interface ResolveArgs {
  path: string;
  resolveDir: string;
  kind: string;
  pluginData?: { inner?: boolean };
}

/** esbuild, from the kit's own dependencies or tsx's (the TypeScript loader the source child needs anyway) */
function loadEsbuild(): Esbuild | undefined {
  const from = [import.meta.url, join(process.cwd(), 'noop.js')];
  for (const base of from) {
    const require = createRequire(base);
    for (const via of [undefined, 'tsx/package.json']) {
      try {
        const r = via ? createRequire(require.resolve(via)) : require;
        return r('esbuild') as Esbuild;
      } catch {
        // not here: try the next place
      }
    }
  }
  return undefined;
}

/** node_modules packages stay imports of the file Node would load (an absolute path: the bundle lives in a temp folder) */
const externalPackages = {
  name: 'revloop-external-packages',
  setup(build: PluginBuild) {
    build.onResolve({ filter: /^[^./]/ }, async (args) => {
      if (args.pluginData?.inner || args.path.startsWith('@revloop/')) return undefined;
      const resolved = await build.resolve(args.path, { resolveDir: args.resolveDir, kind: args.kind, pluginData: { inner: true } });
      if (resolved.errors.length) return { errors: resolved.errors };
      return { path: resolved.path, external: true };
    });
    // a bundled file locating something next to itself (createRequire, new URL(…, import.meta.url)) still finds it
    build.onLoad({ filter: /\.[cm]?tsx?$/ }, (args) => ({
      contents: readFileSync(args.path, 'utf8').replaceAll('import.meta.url', JSON.stringify(pathToFileURL(args.path).href)),
      loader: args.path.endsWith('x') ? 'tsx' : 'ts',
    }));
  },
};

let outDir: string | undefined;
const bundles = new Map<string, Promise<string | undefined>>();

async function build(module: string): Promise<string | undefined> {
  const esbuild = loadEsbuild();
  if (!esbuild) return undefined;
  outDir ??= mkdtempSync(join(tmpdir(), 'revloop-chaos-child-'));
  const outfile = join(outDir, `child-${bundles.size}.mjs`);
  const specifier = module.startsWith('file:') ? fileURLToPath(module) : module;
  const entry = [
    `import * as mod from ${JSON.stringify(specifier)};`,
    `import { readJob, runChaosJob } from ${JSON.stringify(join(here, 'child-run.ts'))};`,
    'const { job, resume } = readJob(process.argv);',
    'await runChaosJob(job, resume, mod);',
  ].join('\n');
  await esbuild.build({
    stdin: { contents: entry, resolveDir: here, sourcefile: 'chaos-child-entry.ts', loader: 'ts' },
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    conditions: ['revloop-source'],
    mainFields: ['main'],
    logLevel: 'silent',
    plugins: [externalPackages],
  });
  return outfile;
}

/** a TypeScript loader in the child's flags (--import tsx and the like): not needed by a bundle */
export function withoutTsLoader(execArgv: string[]): string[] {
  const out: string[] = [];
  const isTsx = (v: string | undefined) => v !== undefined && /^tsx(\/|$)/.test(v);
  for (let i = 0; i < execArgv.length; i++) {
    const a = execArgv[i]!;
    if (['--import', '--loader', '--experimental-loader', '--require', '-r'].includes(a) && isTsx(execArgv[i + 1])) i++;
    else if (!/^--(import|loader|experimental-loader|require)=tsx(\/|$)/.test(a)) out.push(a);
  }
  return out;
}

/**
 * The script and node flags of a chaos child: the bundle when the kit runs from source and esbuild
 * is found (built once per module in this process), else the given script with the flags as given.
 * REVLOOP_CHAOS_BUNDLE=0 turns the bundle off (to compare, or to debug with tsx's stack traces).
 */
export async function chaosChild(module: string, source: string, execArgv: string[]): Promise<{ script: string; execArgv: string[] }> {
  if (!source.endsWith('.ts') || process.env.REVLOOP_CHAOS_BUNDLE === '0') return { script: source, execArgv };
  if (!bundles.has(module)) bundles.set(module, build(module));
  const bundled = await bundles.get(module)!;
  return bundled ? { script: bundled, execArgv: withoutTsLoader(execArgv) } : { script: source, execArgv };
}

/** removes this process's bundles (a vitest worker ends without an exit event: call it in afterAll) */
export function removeChaosBundles(): void {
  if (outDir) rmSync(outDir, { recursive: true, force: true });
  outDir = undefined;
  bundles.clear();
}
