// The source of the checkpoint worker (sqlite-checkpointer.ts), run with `new Worker(source, { eval: true })`.
// It is a string, not a module file: the package is bundled into one dist/index.js, and a
// separate worker file would need its own build entry; an eval worker runs the same from source
// and from dist. CommonJS: `require` of better-sqlite3 by the absolute path workerData.driver.
//
// Every workerData.intervalMs it runs `PRAGMA wal_checkpoint(PASSIVE)` on a connection of its own:
// copies the WAL frames committed since the last one into the database file, with its fsyncs,
// without taking the writer's lock (the main connection keeps committing meanwhile). It counts
// what it did in workerData.stats (an Int32Array over a SharedArrayBuffer; slots in STAT below),
// posts 'rewind' after a checkpoint that leaves a WAL of workerData.rewindFrames frames or more
// (the main connection then copies the few frames committed meanwhile, and its next commit
// rewinds the WAL), and stops (closes its connection, then exits) on the message 'stop'.

/** slots of the shared stats array */
export const STAT = { checkpoints: 0, lastLog: 1, lastCheckpointed: 2, busy: 3, errors: 4, running: 5 } as const;
export const STAT_SLOTS = 6;

export const checkpointWorkerSource = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const stats = new Int32Array(workerData.stats);
const S = ${JSON.stringify(STAT)};
const db = new Database(workerData.path, { fileMustExist: true });
let timer;
let stopped = false;
function tick() {
  timer = undefined;
  if (stopped) return;
  try {
    // a connection reads the file's WAL mode on its first read; before it, wal_checkpoint answers log -1
    const [r] = db.pragma('wal_checkpoint(PASSIVE)');
    if (r.log === -1) db.pragma('schema_version');
    Atomics.add(stats, S.checkpoints, 1);
    Atomics.store(stats, S.lastLog, r.log);
    Atomics.store(stats, S.lastCheckpointed, r.checkpointed);
    if (r.busy) Atomics.add(stats, S.busy, 1);
    if (r.log >= workerData.rewindFrames && r.checkpointed === r.log) parentPort.postMessage('rewind');
  } catch (e) {
    // not fatal: the main connection's own autocheckpoint still bounds the WAL
    Atomics.add(stats, S.errors, 1);
  }
  timer = setTimeout(tick, workerData.intervalMs);
}
parentPort.on('message', (m) => {
  if (m !== 'stop' || stopped) return;
  stopped = true;
  if (timer) clearTimeout(timer);
  db.close();
  Atomics.store(stats, S.running, 0);
  parentPort.close();
});
Atomics.store(stats, S.running, 1);
parentPort.postMessage('ready');
timer = setTimeout(tick, workerData.intervalMs);
`;
