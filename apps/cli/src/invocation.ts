// How to call this revloop from any folder, for the next steps a command prints: `revloop` when
// the `revloop` on PATH is this one, else the clone's bin/revloop by its absolute path, else
// `node <this CLI's bin.js>`. Also where the clone's docs are, for the comments of a starter config
// written into a folder that has none.
import { accessSync, constants, existsSync, realpathSync, statSync } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

/** the clone this CLI runs from (src/ or dist/ of apps/cli): the folder with bin/revloop */
export function cloneRoot(from = here): string | undefined {
  let dir = from;
  for (let i = 0; i < 6; i++) {
    if (existsSync(join(dir, 'bin', 'revloop')) && existsSync(join(dir, 'apps', 'cli', 'package.json'))) return dir;
    const up = dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  return undefined;
}

/** the absolute path of a document of the clone (e.g. docs/workflows.md), when it is there */
export function clonePath(relative: string): string | undefined {
  const root = cloneRoot();
  const path = root && join(root, relative);
  return path && existsSync(path) ? path : undefined;
}

const quote = (s: string) => (/^[\w./@:+-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`);

function realpath(p: string): string | undefined {
  try {
    return realpathSync(p);
  } catch {
    return undefined;
  }
}

/** the first executable `revloop` on PATH */
function revloopOnPath(path: string | undefined): string | undefined {
  for (const dir of (path ?? '').split(delimiter)) {
    if (!dir) continue;
    const file = join(dir, 'revloop');
    try {
      if (!statSync(file).isFile()) continue;
      accessSync(file, constants.X_OK);
      return file;
    } catch {
      // not there, or not executable
    }
  }
  return undefined;
}

/** the command a user types to run this revloop from any folder */
export function revloopInvocation(env: NodeJS.ProcessEnv = process.env, entry = process.argv[1]): string {
  const root = cloneRoot();
  const ours = [root && join(root, 'bin', 'revloop'), root && join(root, 'apps', 'cli', 'bin', 'revloop.js'), entry]
    .filter((p): p is string => !!p)
    .map(realpath);
  const onPath = revloopOnPath(env.PATH);
  if (onPath && ours.includes(realpath(onPath))) return 'revloop';
  if (root) return quote(join(root, 'bin', 'revloop'));
  return `node ${quote(entry ?? 'revloop')}`;
}

/** a line saying how to put revloop on PATH, when it is not there (none when it is) */
export function pathHint(invocation: string): string | undefined {
  if (invocation === 'revloop') return undefined;
  const root = cloneRoot();
  if (!root) return undefined;
  return `(to type just \`revloop\`: ln -s ${quote(join(root, 'bin', 'revloop'))} ~/.local/bin/revloop, or add ${quote(join(root, 'bin'))} to PATH)`;
}
