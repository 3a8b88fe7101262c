// WAL checkpoints off the event loop. better-sqlite3 is synchronous: a checkpoint run by the
// main connection's autocheckpoint (the commit that takes the WAL past wal_autocheckpoint pages)
// copies the whole WAL into the database file with two fsyncs before that commit returns — with a
// 64 MiB WAL, 100-300 ms during which `revloop serve` answers nothing (measured: the webhook
// load's p99 tail, issue #25 item 10). A worker thread with its own connection to the same file
// checkpoints PASSIVE every `intervalMs` instead: the copy and its fsyncs run beside the main
// connection's commits, which a PASSIVE checkpoint never blocks.
//
// Keeping the WAL short takes the main connection: SQLite rewinds the WAL to its start only at a
// write that finds every frame already copied, and a worker's checkpoint never ends with nothing
// new while the main connection commits every few ms. So once the WAL holds `rewindFrames`, the
// worker's checkpoint is followed by one of the main connection (`onRewind`), right away: it copies
// only the frames committed during the worker's (a few ms of commits), and the next commit rewinds
// the WAL. The main connection's wal_autocheckpoint (64 MiB, sqlitePragmas) stays as the fallback:
// if the worker falls behind (starved of CPU, ended by an error) it copies the rest synchronously,
// as before the worker, and the WAL stays bounded.
import { Worker } from 'node:worker_threads';
import { createRequire } from 'node:module';
import { checkpointWorkerSource, STAT, STAT_SLOTS } from './sqlite-checkpoint-worker.js';

export interface CheckpointerOptions {
  /** ms between two PASSIVE checkpoints of the worker */
  intervalMs: number;
  /** WAL frames (pages) from which the main connection is asked to complete the worker's checkpoint (onRewind) */
  rewindFrames: number;
}

// Measured with the webhook load (test/bench/webhook-load.bench.ts): a checkpoint every 100 ms
// fsynced the files 10 times a second (2.6 s of fsync in 30 s, against 0.4 s for the 64 MiB
// checkpoints): a hot page is copied once per checkpoint, however often it was rewritten between.
export const checkpointerDefaults: CheckpointerOptions = { intervalMs: 500, rewindFrames: 8192 };

export interface CheckpointerStats {
  /** checkpoints the worker has run */
  checkpoints: number;
  /** frames in the WAL, and frames copied into the database, at its last checkpoint */
  lastLog: number;
  lastCheckpointed: number;
  /** checkpoints that could not copy everything (another checkpoint, or a reader, in the way) */
  busy: number;
  errors: number;
  /** the worker's connection is open */
  running: boolean;
}

export interface Checkpointer {
  stats(): CheckpointerStats;
  /** closes the worker's connection and ends the thread */
  stop(): Promise<void>;
}

/**
 * `onRewind`: run a PASSIVE checkpoint on the main connection (called on the main thread after a
 * worker checkpoint that copied all of a WAL of `rewindFrames` frames or more).
 */
export function startCheckpointer(path: string, options: CheckpointerOptions = checkpointerDefaults, onRewind: () => void = () => {}): Checkpointer {
  const shared = new SharedArrayBuffer(STAT_SLOTS * Int32Array.BYTES_PER_ELEMENT);
  const stats = new Int32Array(shared);
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  const worker = new Worker(checkpointWorkerSource, {
    eval: true,
    workerData: { path, driver, intervalMs: options.intervalMs, rewindFrames: options.rewindFrames, stats: shared },
    // none of the parent's flags (tsx, loaders): the worker is plain CommonJS
    execArgv: [],
  });
  // an error in the worker only ends it; the main connection's autocheckpoint still bounds the WAL
  worker.on('error', () => Atomics.add(stats, STAT.errors, 1));
  worker.on('message', (m) => {
    if (m === 'rewind' && !stopping) onRewind();
  });
  // after the 'message' listener (which refs the worker): never what keeps a process alive, a
  // store left open must not hang the process's exit
  worker.unref();
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  let stopping: Promise<void> | undefined;
  return {
    stats: () => ({
      checkpoints: Atomics.load(stats, STAT.checkpoints),
      lastLog: Atomics.load(stats, STAT.lastLog),
      lastCheckpointed: Atomics.load(stats, STAT.lastCheckpointed),
      busy: Atomics.load(stats, STAT.busy),
      errors: Atomics.load(stats, STAT.errors),
      running: Atomics.load(stats, STAT.running) === 1,
    }),
    stop() {
      stopping ??= (async () => {
        // awaited, the exit must keep the process alive (an unref'd worker's exit would not: a
        // process with nothing else to do would end in the middle of close())
        worker.ref();
        worker.postMessage('stop');
        await exited;
      })();
      return stopping;
    },
  };
}
