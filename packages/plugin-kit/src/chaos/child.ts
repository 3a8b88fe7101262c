// The SIGKILL child of the chaos suite (see child-run.ts), importing the connector at run time:
// the built kit's child, and the fallback from source when the kit cannot bundle (bundle.ts).
// Arguments: the job file (a ChaosJob as JSON), then "first" or "resume".
import { isAbsolute } from 'node:path';
import { pathToFileURL } from 'node:url';
import { readJob, runChaosJob } from './child-run.js';

export type { ChaosJob } from './child-run.js';

const { job, resume } = readJob(process.argv);
const mod = (await import(isAbsolute(job.module) ? pathToFileURL(job.module).href : job.module)) as Record<string, unknown>;
await runChaosJob(job, resume, mod);
