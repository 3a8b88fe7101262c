// Child process of killMidSyncAndResume: runs one stream's sync into a SQLite file until it is
// killed. Argument: a JSON job (see KillResumeJob).
import { pathToFileURL } from 'node:url';
import { isAbsolute } from 'node:path';
import { createRuntime, parseConfig, syncStream, type ConnectorDefinition } from '@revloop/core';

export interface KillResumeJob {
  module: string;
  exportName: string;
  name: string;
  config: Record<string, unknown>;
  dbPath: string;
  stream: string;
}

const job = JSON.parse(process.argv[2] ?? '{}') as KillResumeJob;
const mod = (await import(isAbsolute(job.module) ? pathToFileURL(job.module).href : job.module)) as Record<string, ConnectorDefinition>;
const connector = mod[job.exportName];
if (!connector) throw new Error(`${job.module} has no export ${job.exportName}`);
const loaded = parseConfig({ store: { kind: 'sqlite', path: job.dbPath }, log: { level: 'silent' }, connectors: { [job.name]: { plugin: connector, ...job.config } } }, { env: {} });
const runtime = await createRuntime(loaded);
await runtime.store.migrate();
process.stdout.write('ready\n');
await syncStream(runtime, job.name, job.stream);
await runtime.close();
process.stdout.write('finished\n');
