// Against the strict emulator: Google Ads API uploads refused for a developer token off Google's
// allow-list (a clear error naming the allow-list and the Data Manager API), and offline user data
// jobs that run asynchronously (the sync polls the job to SUCCESS, with a timeout).
import { afterEach, describe, expect, it } from 'vitest';
import { runAction } from '@revloop/core';
import { hashEmail as sandboxHash } from '@revloop/sandbox';
import type { CustomerMatchResult } from '../src/actions/customer-match-sync.js';
import { campaign, click, START, startHarness, type Harness } from './helpers.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.stop();
  h = undefined;
});

describe('a developer token Google has not allow-listed for uploads', () => {
  it('customer-match-sync fails at once with GOOGLE_ADS_NOT_ALLOWLISTED naming the allow-list, the Data Manager API and uploadPath', async () => {
    h = await startHarness({ emulator: { uploadAllowlist: [] } });
    const e = await runAction(h.runtime, 'google', 'customer-match-sync', { listName: 'Intent', emails: ['a@b.test'], syncId: 's1' }).catch((x: unknown) => x);
    expect(e).toMatchObject({
      code: 'GOOGLE_ADS_NOT_ALLOWLISTED',
      kind: 'bad_input',
      message: expect.stringMatching(/refused Customer Match uploads \(OfflineUserDataJobService\) for this developer token: CUSTOMER_NOT_ALLOWLISTED_FOR_THIS_FEATURE.*allow-list.*Data Manager API/),
      fix: expect.stringContaining("uploadPath: 'data-manager'"),
    });
    expect(h.emu.state.jobs.size).toBe(0);
    expect(h.sink.text()).not.toContain('google ads retry');
  });

  it('upload-click-conversions fails the same way, naming UploadClickConversions', async () => {
    h = await startHarness({ emulator: { uploadAllowlist: [] } });
    h.emu.state.apply(campaign('cmp_gg_001'));
    h.emu.state.apply(click('gclid_recent01', 'cmp_gg_001', '2024-02-20'));
    const e = await runAction(h.runtime, 'google', 'upload-click-conversions', {
      conversions: [{ key: 'opp1:closed_won', gclid: 'gclid_recent01', event: 'closed_won', occurredAt: START - 3_600_000 }],
    }).catch((x: unknown) => x);
    expect(e).toMatchObject({ code: 'GOOGLE_ADS_NOT_ALLOWLISTED', message: expect.stringContaining('UploadClickConversions'), fix: expect.stringContaining('Data Manager API') });
    expect(h.emu.state.uploadedConversions()).toHaveLength(0);
  });
});

describe('offline user data jobs run asynchronously', () => {
  it('the sync polls the job until SUCCESS, so the list holds the members when it returns', async () => {
    h = await startHarness({ emulator: { jobProcessing: { polls: 1_000, ms: 3 * 60_000 } }, connector: { jobPollIntervalMs: 60_000 } });
    const before = h.clock.now();
    const r = await runAction<CustomerMatchResult>(h.runtime, 'google', 'customer-match-sync', { listName: 'Intent', emails: ['ann@acme.test', 'bob@acme.test'], syncId: 's1' });
    expect(r.result).toMatchObject({ added: 2, failed: [] });
    const job = [...h.emu.state.jobs.values()][0]!;
    expect(job.status).toBe('SUCCESS');
    expect(new Set(h.emu.state.members(job.userListId))).toEqual(new Set(['ann@acme.test', 'bob@acme.test'].map(sandboxHash)));
    // three polls a minute apart on the simulated clock
    expect(h.clock.now() - before).toBeGreaterThanOrEqual(3 * 60_000);
    expect(job.polls).toBe(4);
  });

  it('a job still RUNNING after jobTimeoutMs fails the sync clearly; the next run of the same sync waits for that job, no second one', async () => {
    h = await startHarness({ emulator: { jobProcessing: { polls: 1_000, ms: 60 * 60_000 } }, connector: { jobPollIntervalMs: 60_000, jobTimeoutMs: 5 * 60_000 } });
    const input = { listName: 'Intent', emails: ['ann@acme.test'], syncId: 's1' };
    const e = await runAction(h.runtime, 'google', 'customer-match-sync', input).catch((x: unknown) => x);
    expect(e).toMatchObject({ code: 'GOOGLE_ADS_JOB_TIMEOUT', message: expect.stringMatching(/is still RUNNING after 300000 ms/), fix: expect.stringContaining('Google finishes the job') });
    h.clock.advance(60 * 60_000);
    const again = await h.newRuntime({ jobPollIntervalMs: 60_000, jobTimeoutMs: 5 * 60_000 }, true);
    const r = await runAction<CustomerMatchResult>(again, 'google', 'customer-match-sync', input);
    expect(h.emu.state.jobs.size).toBe(1);
    expect(r.result.job).toBe(`customers/${h.emu.customerId}/offlineUserDataJobs/${[...h.emu.state.jobs.keys()][0]}`);
    expect(h.emu.state.members([...h.emu.state.jobs.values()][0]!.userListId)).toEqual([sandboxHash('ann@acme.test')]);
  });
});
