// Fault (a) of the chaos suite: a child process executes the calls into a SQLite file and is killed
// with SIGKILL at seeded moments — half of them just after the vendor applied a write and before
// the child heard the answer (the link holds it, when it can), the others a few ms after a write
// left — then started again on the same file with resume, until it finishes.
import { spawn } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startLinks } from './http-link.js';
import { seededRandom } from './random.js';
import { chaosChild } from './bundle.js';
import type { ChaosJob } from './child-run.js';
import type { ChaosEndpoint } from './types.js';

export interface KillRunOptions {
  job: Omit<ChaosJob, 'config' | 'dbPath'>;
  endpoints: Record<string, ChaosEndpoint>;
  config(urls: Record<string, string>): Record<string, unknown>;
  /** the vendor's own write counter, used when there is no endpoint to link */
  vendorWrites?: () => number;
  dir: string;
  execArgv: string[];
  kills: number;
  seed: number;
  timeoutMs: number;
}

export interface KillRunResult {
  kills: number;
  /** kills that landed while a write's answer was held (applied at the vendor, unheard) */
  killsAfterWrite: number;
  /** child starts, the first included */
  starts: number;
  /** the result of each call (index → result) from the run that finished; undefined for a call that failed */
  results: unknown[];
  failed: string[];
}

function childScript(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  // built: bundled beside dist/index.js as chaos-child.js; from source: ./child.ts (bundled by
  // bundle.ts, or run with the TypeScript loader in execArgv)
  const built = join(here, 'chaos-child.js');
  return existsSync(built) ? built : join(here, 'child.ts');
}

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function runWithKills(options: KillRunOptions): Promise<KillRunResult> {
  const random = seededRandom(options.seed);
  // the kill's target: the writes count (over all links) at which the next kill lands
  let target = Number.POSITIVE_INFINITY;
  let holdArmed = false;
  let writesNow = () => 0;
  const links = await startLinks(options.endpoints, {
    fault: 'pass',
    rate: 0,
    seed: options.seed,
    hold: () => {
      if (!holdArmed || writesNow() < target) return false;
      holdArmed = false;
      return true;
    },
  });
  const noLink = Object.keys(options.endpoints).length === 0;
  if (noLink && !options.vendorWrites) throw new Error('the SIGKILL run needs an endpoint to watch writes on, or the world\'s writes()');
  writesNow = noLink ? options.vendorWrites! : links.writes;
  const dbPath = join(options.dir, 'killed.db');
  const jobPath = join(options.dir, 'job.json');
  writeFileSync(jobPath, JSON.stringify({ ...options.job, config: options.config(links.urls), dbPath } satisfies ChaosJob));

  const entry = await chaosChild(options.job.module, childScript(), options.execArgv);
  const deadline = Date.now() + options.timeoutMs;
  let kills = 0;
  let killsAfterWrite = 0;
  let starts = 0;
  try {
    for (;;) {
      const child = spawn(process.execPath, [...entry.execArgv, entry.script, jobPath, starts === 0 ? 'first' : 'resume'], { stdio: ['ignore', 'pipe', 'pipe'] });
      starts++;
      let out = '';
      let err = '';
      child.stdout.on('data', (d) => (out += d));
      child.stderr.on('data', (d) => (err += d));
      const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));

      let killed = false;
      if (kills < options.kills) {
        // seeded: 1 or 2 writes after this start (a resumed child replays what is done and writes
        // little: a later target would often never come); every other kill waits for a held answer
        const held = !noLink && links.canHold && kills % 2 === 0;
        const heldBefore = links.held();
        target = writesNow() + 1 + Math.floor(random() * 2);
        holdArmed = held;
        const lag = Math.floor(random() * 15);
        while (child.exitCode === null && Date.now() < deadline) {
          if (held ? links.held() > heldBefore : writesNow() >= target) {
            if (!held) await pause(lag);
            child.kill('SIGKILL');
            killed = true;
            break;
          }
          await pause(2);
        }
        holdArmed = false;
        target = Number.POSITIVE_INFINITY;
        if (killed) {
          kills++;
          if (held) killsAfterWrite++;
        }
      }
      const code = await Promise.race([exited, pause(Math.max(0, deadline - Date.now())).then(() => 'timeout' as const)]);
      if (code === 'timeout') {
        child.kill('SIGKILL');
        throw new Error(`the chaos child did not finish within ${options.timeoutMs} ms (${kills} kills, ${starts} starts):\n${out}\n${err}`);
      }
      if (killed) continue;
      if (code !== 0 || !out.includes('finished')) throw new Error(`the chaos child exited with ${code}:\n${out}\n${err}`);
      const results: unknown[] = [];
      const failed: string[] = [];
      for (const line of out.split('\n')) {
        const m = /^(done|failed) (\d+) (.*)$/.exec(line);
        if (!m) continue;
        if (m[1] === 'done') results[Number(m[2])] = JSON.parse(m[3]!);
        else failed.push(`call ${m[2]}: ${JSON.parse(m[3]!)}`);
      }
      return { kills, killsAfterWrite, starts, results, failed };
    }
  } finally {
    await links.close();
  }
}
