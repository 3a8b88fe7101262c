// The `revloop` CLI as a child process, the way the CLI end-to-end tests run it: apps/cli/src/bin.ts
// under tsx with the revloop-source condition and the network guard.
//
// Why the generous time limits: each child compiles the CLI's TypeScript sources at start, and
// CI runs these files next to others on a 2-core machine. A child cut off by its limit gets
// SIGTERM, which the CLI turns into a clean interrupt (exit 1) — a failure that looks like a bug
// in the command. So the limit is wide, and a child that hits it fails with a message that says so.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const repo = resolve(import.meta.dirname, '../..');

/** node's arguments before the CLI's own */
const cliNodeArgs = ['--conditions=revloop-source', '--import', pathToFileURL(join(repo, 'node_modules/tsx/dist/loader.mjs')).href, '--import', join(repo, 'test/setup/network-guard-child.mjs'), join(repo, 'apps/cli/src/bin.ts')];

/** one child's time limit: a short command takes ~2 s alone, a closed-loop run ~20 s */
const CLI_CHILD_TIMEOUT_MS = 180_000;

/** a test that runs several children, or one long one */
export const CLI_TEST_TIMEOUT_MS = 300_000;

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
  json(): any; // tests read the CLI's JSON as they need
}

/** the child's environment: without NODE_PATH (npx sets one that would make any package resolve from anywhere) */
function cliEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const { NODE_PATH: _ignored, ...rest } = process.env;
  return { ...rest, METADATA_SERVER_DETECTION: 'none', ...extra };
}

/** runs `revloop ARGS` in `cwd` to its end */
export function runCli(cwd: string, args: string[], env: NodeJS.ProcessEnv = {}): CliResult {
  const r = spawnSync(process.execPath, [...cliNodeArgs, ...args], { cwd, env: cliEnv(env), encoding: 'utf8', timeout: CLI_CHILD_TIMEOUT_MS, maxBuffer: 64 * 1024 * 1024 });
  if ((r.error as NodeJS.ErrnoException | undefined)?.code === 'ETIMEDOUT') {
    throw new Error(`revloop ${args.join(' ')} did not finish within ${CLI_CHILD_TIMEOUT_MS / 1000} s and was stopped; its stderr:\n${r.stderr}`);
  }
  if (r.error) throw r.error;
  return { code: r.status, stdout: r.stdout, stderr: r.stderr, json: () => JSON.parse(r.stdout) };
}

/** starts `revloop ARGS` in `cwd` without waiting for it */
export function startCli(cwd: string, args: string[]): ChildProcess {
  return spawn(process.execPath, [...cliNodeArgs, ...args], { cwd, env: cliEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
}
