// Child process of killMidSyncAndResume (see child-sync-run.ts), importing the connector at run
// time: the built kit's child, and the fallback from source when the kit cannot bundle
// (child-bundle.ts). One process for all streams: most of its time is loading modules.
// Argument: a JSON job (see KillResumeJob). Runs under the network guard.
import './child-sync-guard.js';
import { isAbsolute } from 'node:path';
import { pathToFileURL } from 'node:url';
import { runSyncJob, type KillResumeJob } from './child-sync-run.js';

export type { KillResumeJob } from './child-sync-run.js';

const job = JSON.parse(process.argv[2] ?? '{}') as KillResumeJob;
const specifier = job.module.startsWith('file:') || !isAbsolute(job.module) ? job.module : pathToFileURL(job.module).href;
await runSyncJob(job, (await import(specifier)) as Record<string, unknown>);
