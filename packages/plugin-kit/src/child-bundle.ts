// A child process's entry as one JavaScript file. From source, a child the kit starts (the chaos
// suite's SIGKILL child, the kill -9 resume check's sync child) loaded the kit, core and the
// connector as dozens of TypeScript files through tsx: ~2.5 s of CPU a start. Bundled with esbuild
// (the one tsx brings), a start loads one file: ~0.85 s. Only the workspace's own sources are
// bundled: every package from node_modules stays an import of the very file Node would resolve,
// and each bundled file's import.meta.url keeps its own path, so the child runs the same code the
// same way. A bundle is stored under the temp folder by the hash of its text: reused while the
// sources are unchanged, nothing to clean up after a run, and old ones pruned after a day.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, statSync, unlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** the part of esbuild's API used here */
interface Esbuild {
  build(options: Record<string, unknown>): Promise<{ outputFiles: { text: string }[] }>;
}
interface PluginBuild {
  onResolve(o: { filter: RegExp }, cb: (args: ResolveArgs) => Promise<unknown> | unknown): void;
  onLoad(o: { filter: RegExp }, cb: (args: { path: string }) => unknown): void;
  resolve(path: string, o: { resolveDir: string; kind: string; pluginData: unknown }): Promise<{ path: string; errors: unknown[] }>;
}
interface ResolveArgs {
  path: string;
  resolveDir: string;
  kind: string;
  pluginData?: { inner?: boolean };
}

/** esbuild, from the kit's own dependencies or tsx's (the TypeScript loader a source child needs anyway) */
function loadEsbuild(): Esbuild | undefined {
  for (const base of [import.meta.url, join(process.cwd(), 'noop.js')]) {
    const require = createRequire(base);
    for (const via of [undefined, 'tsx/package.json']) {
      try {
        return (via ? createRequire(require.resolve(via)) : require)('esbuild') as Esbuild;
      } catch {
        // not here: try the next place
      }
    }
  }
  return undefined;
}

const externalPackages = {
  name: 'revloop-external-packages',
  setup(build: PluginBuild) {
    // a node_modules package stays an import of the file Node would load (by absolute path: the
    // bundle lives in the temp folder)
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

const DAY_MS = 86_400_000;
const bundles = new Map<string, Promise<string | undefined>>();

function store(text: string): string {
  const dir = join(tmpdir(), 'revloop-child-bundles');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${createHash('sha256').update(text).digest('hex').slice(0, 24)}.mjs`);
  const now = new Date();
  if (existsSync(file)) utimesSync(file, now, now);
  else {
    // written aside, then renamed: another process may be reading or writing the same bundle
    const part = `${file}.${process.pid}.part`;
    writeFileSync(part, text);
    renameSync(part, file);
  }
  for (const name of readdirSync(dir)) {
    const other = join(dir, name);
    try {
      if (other !== file && now.getTime() - statSync(other).mtimeMs > DAY_MS) unlinkSync(other);
    } catch {
      // removed by another process meanwhile
    }
  }
  return file;
}

async function build(contents: string, resolveDir: string): Promise<string | undefined> {
  const esbuild = loadEsbuild();
  if (!esbuild) return undefined;
  const result = await esbuild.build({
    stdin: { contents, resolveDir, sourcefile: 'child-entry.ts', loader: 'ts' },
    write: false,
    outfile: 'child.mjs',
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    conditions: ['revloop-source'],
    mainFields: ['main'],
    logLevel: 'silent',
    plugins: [externalPackages],
  });
  return store(result.outputFiles[0]!.text);
}

/**
 * The bundle of an entry (TypeScript source; its imports resolve from resolveDir), built once per
 * process; undefined when esbuild is not found. REVLOOP_CHILD_BUNDLE=0 turns bundles off (to
 * compare, or to debug with tsx's stack traces).
 */
export function bundleEntry(contents: string, resolveDir: string): Promise<string | undefined> {
  if (process.env.REVLOOP_CHILD_BUNDLE === '0') return Promise.resolve(undefined);
  const key = `${resolveDir}\n${contents}`;
  if (!bundles.has(key)) bundles.set(key, build(contents, resolveDir));
  return bundles.get(key)!;
}

/** a TypeScript loader in a child's flags (--import tsx and the like): a bundle does not need it */
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

/** an import specifier for a module given as a package name, an absolute path or a file: URL */
export const importable = (module: string): string => (module.startsWith('file:') ? fileURLToPath(module) : module);
