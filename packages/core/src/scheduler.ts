// Cron jobs from config (node-cron). A job never overlaps itself; a job that names others in
// `after` waits for their runs in progress before it starts (dependencies, not coincident cron
// minutes); a failed run is logged and recorded and does not stop the other jobs; stop() waits for
// the runs in progress.
import cron, { type ScheduledTask } from 'node-cron';
import type { Logger } from './context/logger.js';
import { errorMessage } from './errors.js';

export interface Job {
  name: string;
  cron: string;
  /** jobs whose run in progress this one waits for before it starts (e.g. a decision run after a sync) */
  after?: string[];
  run(signal: AbortSignal): Promise<void>;
}

export interface JobRecord {
  job: string;
  startedAt: number;
  finishedAt: number;
  ok: boolean;
  error?: string;
  skipped?: boolean;
}

export interface Scheduler {
  start(): void;
  /** run a job now (as the cron would); resolves when it finished or was skipped */
  trigger(name: string): Promise<JobRecord>;
  stop(): Promise<void>;
  history(): JobRecord[];
}

export function createScheduler(jobs: Job[], deps: { log: Logger; now: () => number }): Scheduler {
  const active = new Map<string, Promise<JobRecord>>();
  const records: JobRecord[] = [];
  const tasks: ScheduledTask[] = [];
  const controller = new AbortController();

  for (const job of jobs) {
    if (!cron.validate(job.cron)) throw new Error(`schedule "${job.name}": "${job.cron}" is not a valid cron expression`);
  }

  function remember(r: JobRecord): JobRecord {
    records.push(r);
    if (records.length > 1000) records.shift();
    return r;
  }

  function trigger(name: string): Promise<JobRecord> {
    const job = jobs.find((j) => j.name === name);
    if (!job) return Promise.reject(new Error(`no job named ${name}`));
    const startedAt = deps.now();
    if (active.has(name)) {
      deps.log.warn({ job: name }, 'previous run still in progress: this run is skipped');
      return Promise.resolve(remember({ job: name, startedAt, finishedAt: startedAt, ok: true, skipped: true }));
    }
    // read synchronously, before this job counts as active: two jobs that name each other
    // cannot wait for each other
    const before = (job.after ?? []).map((n) => active.get(n)).filter((x): x is Promise<JobRecord> => !!x);
    const p = (async () => {
      try {
        if (before.length) await Promise.allSettled(before);
        if (controller.signal.aborted) return remember({ job: name, startedAt, finishedAt: deps.now(), ok: true, skipped: true });
        await job.run(controller.signal);
        return remember({ job: name, startedAt, finishedAt: deps.now(), ok: true });
      } catch (e) {
        deps.log.error({ job: name, error: errorMessage(e) }, 'scheduled job failed');
        return remember({ job: name, startedAt, finishedAt: deps.now(), ok: false, error: errorMessage(e) });
      } finally {
        active.delete(name);
      }
    })();
    active.set(name, p);
    return p;
  }

  return {
    start() {
      for (const job of jobs) {
        tasks.push(cron.schedule(job.cron, () => void trigger(job.name), { name: job.name }));
      }
    },
    trigger,
    async stop() {
      for (const t of tasks) await t.stop();
      controller.abort();
      await Promise.allSettled([...active.values()]);
    },
    history: () => [...records],
  };
}
