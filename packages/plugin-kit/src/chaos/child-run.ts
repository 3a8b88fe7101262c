// What the chaos suite's SIGKILL child does once the connector is loaded (shared by child.ts, which
// imports the connector at run time, and the kit's bundled child, which has it built in): executes
// a job's calls in order through core runAction into a SQLite file, one "done <i> <result>" line
// per call, until it finishes or is killed. Started again on the same file with "resume", it runs
// every call with resume: true (an earlier attempt's outcome may be unknown) — calls already done
// are answered from their stored record.
import { readFileSync } from 'node:fs';
import { errorMessage, runAction, type ConnectorDefinition } from '@revloop/core';
import { chaosRuntime } from './runtime.js';

export interface ChaosJob {
  module: string;
  exportName: string;
  name: string;
  action: string;
  config: Record<string, unknown>;
  env: Record<string, string>;
  clockStart?: number;
  dbPath: string;
  inputs: unknown[];
}

/** a call that throws (no fault is injected in this run, but a vendor may answer 429) is tried this many times */
const ATTEMPTS = 3;

/** the child's arguments: the job file (a ChaosJob as JSON), then "first" or "resume" */
export function readJob(argv: string[]): { job: ChaosJob; resume: boolean } {
  return { job: JSON.parse(readFileSync(argv[2]!, 'utf8')) as ChaosJob, resume: argv[3] === 'resume' };
}

export async function runChaosJob(job: ChaosJob, resume: boolean, mod: Record<string, unknown>): Promise<void> {
  const connector = mod[job.exportName] as ConnectorDefinition | undefined;
  if (!connector) throw new Error(`${job.module} has no export ${job.exportName}`);
  const runtime = await chaosRuntime({ connector, name: job.name, config: job.config, env: job.env, dbPath: job.dbPath, clockStart: job.clockStart });
  process.stdout.write('ready\n');
  for (const [i, input] of job.inputs.entries()) {
    for (let attempt = 1; ; attempt++) {
      try {
        const outcome = await runAction(runtime, job.name, job.action, input, { resume });
        process.stdout.write(`done ${i} ${JSON.stringify(outcome.result ?? null)}\n`);
        break;
      } catch (e) {
        if (attempt < ATTEMPTS) continue;
        process.stdout.write(`failed ${i} ${JSON.stringify(errorMessage(e))}\n`);
        break;
      }
    }
  }
  await runtime.close();
  process.stdout.write('finished\n');
}
