// What killMidSyncAndResume's child does once the connector is loaded (shared by child-sync.ts,
// which imports the connector at run time, and the bundled child, which has it built in): syncs
// the streams side by side into a SQLite file and kills itself with SIGKILL once every stream has
// either ended or handed over a batch after `killAfterRecords` of its records were stored (that
// batch read, not stored: whatever the connector did while reading it — a cursor saved on the
// side, a prefetch — is exactly what a crash there leaves behind).
import { createRuntime, parseConfig, SimulatedClock, syncStream, type ConnectorDefinition, type StreamDefinition } from '@revloop/core';

export interface KillResumeJob {
  /** a package name, an absolute path or a file: URL */
  module: string;
  exportName: string;
  name: string;
  config: Record<string, unknown>;
  dbPath: string;
  streams: string[];
  killAfterRecords: number;
  /** the parent's clock at the start (the child's simulated clock starts there) */
  now: number;
}

export async function runSyncJob(job: KillResumeJob, mod: Record<string, unknown>): Promise<void> {
  const connector = mod[job.exportName] as ConnectorDefinition | undefined;
  if (!connector?.streams) throw new Error(`${job.module} has no connector export "${job.exportName}": set the conformance option child.exportName`);

  const atKillPoint = new Set<string>();
  const ended = new Set<string>();
  /** every stream has ended or waits at its kill point: die now */
  function killWhenAllThere(): void {
    if (atKillPoint.size && atKillPoint.size + ended.size === job.streams.length) process.kill(process.pid, 'SIGKILL');
  }

  /** the same connector, its streams' read() wrapped to stop at the kill point until the kill */
  function dyingAt(definition: ConnectorDefinition): ConnectorDefinition {
    const streams = definition.streams.map((s: StreamDefinition) => {
      if (!job.streams.includes(s.name)) return s;
      return {
        ...s,
        async *read(ctx, args) {
          let read = 0;
          for await (const batch of s.read(ctx, args)) {
            if (read >= job.killAfterRecords) {
              atKillPoint.add(s.name);
              killWhenAllThere();
              await new Promise(() => {}); // the batch is never handed to the engine
            }
            read += batch.records.length;
            yield batch;
          }
        },
      } as StreamDefinition;
    });
    return { ...definition, streams };
  }

  const loaded = parseConfig({ store: { kind: 'sqlite', path: job.dbPath }, log: { level: 'silent' }, connectors: { [job.name]: { plugin: dyingAt(connector), ...job.config } } }, { env: {} });
  const runtime = await createRuntime(loaded, { clock: new SimulatedClock(job.now) });
  await runtime.store.migrate();
  // onProgress: every batch is committed before the next one is read (no grouping)
  await Promise.all(
    job.streams.map(async (stream) => {
      await syncStream(runtime, job.name, stream, { onProgress: () => {} }).catch((e: Error) => process.stderr.write(`${stream}: ${e.message}\n`));
      ended.add(stream);
      killWhenAllThere();
    }),
  );
  await runtime.close();
  process.stdout.write('finished\n');
}
