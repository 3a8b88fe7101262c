// Offline user data jobs run asynchronously at Google: RunOfflineUserDataJob answers a
// long-running operation at once, and the job moves PENDING → RUNNING → SUCCESS (or FAILED)
// over minutes to hours. The membership it uploads is in the list only at SUCCESS, so the
// connector polls the job's status (GAQL) every jobPollIntervalMs on ctx.clock until it is done,
// and gives up after jobTimeoutMs with an error that says the job still finishes at Google.
import { RevloopError, type PluginContext } from '@revloop/core';
import type { GoogleAdsConfig } from './config.js';
import type { GoogleAdsSession } from './client.js';

const quote = (v: string) => v.replace(/\\/g, '\\\\').replace(/'/g, "\\'");

export async function jobStatus(session: GoogleAdsSession, resource: string): Promise<string | undefined> {
  const rows = await session.report('customer-match poll job', {
    entity: 'offline_user_data_job',
    attributes: ['offline_user_data_job.resource_name', 'offline_user_data_job.status'],
    constraints: [`offline_user_data_job.resource_name = '${quote(resource)}'`],
  });
  const job = rows.find((r) => r.offline_user_data_job?.resource_name === resource)?.offline_user_data_job;
  return job?.status === undefined ? undefined : String(job.status);
}

/** Resolves when the job is SUCCESS; throws when it FAILED, vanished or outlasted jobTimeoutMs. */
export async function awaitOfflineJob(ctx: PluginContext<GoogleAdsConfig>, session: GoogleAdsSession, resource: string): Promise<{ polls: number; waitedMs: number }> {
  const { jobPollIntervalMs, jobTimeoutMs } = ctx.config;
  const started = ctx.clock.now();
  const where = `connectors.${ctx.name} (customer-match job ${resource})`;
  for (let polls = 1; ; polls++) {
    const status = await jobStatus(session, resource);
    const waitedMs = ctx.clock.now() - started;
    if (status === 'SUCCESS') return { polls, waitedMs };
    if (status === 'FAILED') {
      throw new RevloopError('GOOGLE_ADS_JOB_FAILED', `Google Ads reports offline user data job ${resource} FAILED`, {
        where,
        fix: 'query offline_user_data_job.failure_reason for the cause (e.g. the list is closed or its terms are not accepted), fix it, and run the sync again',
      });
    }
    if (status === undefined) {
      throw new RevloopError('GOOGLE_ADS_JOB_MISSING', `Google Ads no longer lists offline user data job ${resource}`, { where, fix: 'run the sync again: it creates a new job' });
    }
    if (waitedMs >= jobTimeoutMs) {
      throw new RevloopError('GOOGLE_ADS_JOB_TIMEOUT', `offline user data job ${resource} is still ${status} after ${waitedMs} ms (${polls} polls; jobTimeoutMs ${jobTimeoutMs})`, {
        where,
        fix: 'nothing is lost: Google finishes the job on its side, and the next run of this sync finds it by its external_id and waits for it again; raise jobTimeoutMs to wait longer in one run',
      });
    }
    ctx.log.debug({ job: resource, status, polls, waitedMs }, 'customer match job not done yet');
    await ctx.clock.sleep(Math.min(jobPollIntervalMs, jobTimeoutMs - waitedMs));
  }
}
