// Actions through core's runAction: offline click conversions (partial failure decoded by index,
// already-uploaded = success, idempotent retry) and Customer Match (only the difference is sent).
import { afterEach, describe, expect, it } from 'vitest';
import { checkConnectors, runAction, syncStream } from '@revloop/core';
import { hashEmail as sandboxHash } from '@revloop/sandbox';
import type { UploadResult } from '../src/actions/upload-click-conversions.js';
import type { CustomerMatchResult } from '../src/actions/customer-match-sync.js';
import { campaign, click, START, startHarness, type Harness } from './helpers.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.stop();
  h = undefined;
});

const hour = 3_600_000;

describe('upload-click-conversions', () => {
  it('decodes per-conversion failures by index, converts micros at the edge, and a retry never uploads twice', async () => {
    h = await startHarness();
    h.emu.state.apply(campaign('cmp_gg_001'));
    h.emu.state.apply(click('gclid_recent01', 'cmp_gg_001', '2024-02-20', 'acc_7', 'con_7'));
    h.emu.state.apply(click('gclid_recent02', 'cmp_gg_001', '2024-02-21', 'acc_8'));
    h.emu.state.apply(click('gclid_ancient1', 'cmp_gg_001', '2023-10-01', 'acc_9'));
    const at = START - 2 * hour;
    const input = {
      conversions: [
        { key: 'opp1:closed_won', gclid: 'gclid_recent01', event: 'closed_won', occurredAt: at, valueMicros: 12_500_000_000 },
        { key: 'opp2:created', gclid: '???', event: 'opportunity_created', occurredAt: at },
        { key: 'opp3:created', gclid: 'gclid_unknown1', event: 'opportunity_created', occurredAt: at },
        { key: 'opp4:closed_won', gclid: 'gclid_ancient1', event: 'closed_won', occurredAt: at, valueMicros: 1_000_000 },
      ],
    };
    const first = await runAction<UploadResult>(h.runtime, 'google', 'upload-click-conversions', input);
    expect(first.replayed).toBe(false);
    expect(first.result).toMatchObject({ uploaded: 1, alreadyUploaded: 0, failed: 3 });
    const byKey = Object.fromEntries(first.result.results.map((r) => [r.key, r]));
    expect(byKey['opp1:closed_won']).toMatchObject({ ok: true, result: { status: 'uploaded' } });
    expect(byKey['opp2:created']!.error).toContain('UNPARSEABLE_GCLID');
    expect(byKey['opp3:created']!.error).toContain('CLICK_NOT_FOUND');
    expect(byKey['opp4:closed_won']!.error).toContain('EXPIRED_EVENT');
    const stored = h.emu.state.uploadedConversions();
    expect(stored.map((c) => [c.gclid, c.conversionValue, c.currencyCode, c.conversionDateTime, c.orderId])).toEqual([
      ['gclid_recent01', 12_500, 'USD', '2024-03-01 10:00:00+00:00', 'opp1:closed_won'],
    ]);

    // the same action again (a retried workflow step): replayed from the idempotency record
    const replay = await runAction<UploadResult>(h.runtime, 'google', 'upload-click-conversions', input);
    expect(replay.replayed).toBe(true);
    expect(h.emu.state.uploadedConversions()).toHaveLength(1);

    // a later batch that contains the uploaded conversion again: Google says ALREADY_EXISTS = success
    const next = await runAction<UploadResult>(h.runtime, 'google', 'upload-click-conversions', {
      conversions: [input.conversions[0], { key: 'opp5:created', gclid: 'gclid_recent02', event: 'opportunity_created', occurredAt: at - hour }],
    });
    expect(next.replayed).toBe(false);
    expect(next.result).toMatchObject({ uploaded: 1, alreadyUploaded: 1, failed: 0 });
    expect(next.result.results.map((r) => [r.key, r.ok, r.result?.status])).toEqual([
      ['opp1:closed_won', true, 'already_uploaded'],
      ['opp5:created', true, 'uploaded'],
    ]);
    expect(h.emu.state.uploadedConversions().map((c) => c.gclid)).toEqual(['gclid_recent01', 'gclid_recent02']);
  });

  it('refuses a conversion without a conversion action before calling Google', async () => {
    h = await startHarness({ connector: { conversionAction: undefined } });
    await expect(
      runAction(h.runtime, 'google', 'upload-click-conversions', { conversions: [{ key: 'k', gclid: 'g', event: 'closed_won', occurredAt: START }] }),
    ).rejects.toMatchObject({ code: 'GOOGLE_ADS_CONVERSION_ACTION_MISSING', kind: 'bad_input' });
  });
});

describe('customer-match-sync', () => {
  it('creates the list once, hashes normalised emails, sends only the difference, and no job when nothing changed', async () => {
    h = await startHarness();
    const sync = (emails: string[], syncId: string) => runAction<CustomerMatchResult>(h!.runtime, 'google', 'customer-match-sync', { listName: 'Intent: pricing', emails, syncId });

    const first = await sync([' Ann@Acme.test', 'bob@acme.test', 'cy@globex.test', 'not-an-email'], 's1');
    expect(first.result).toMatchObject({ listCreated: true, added: 3, removed: 0, invalidEmails: 1, failed: [] });
    expect(h.emu.state.userLists.size).toBe(1);
    expect(h.emu.state.jobs.size).toBe(1);
    const listId = first.result.userList.split('/').pop()!;
    expect(new Set(h.emu.state.members(listId))).toEqual(new Set(['ann@acme.test', 'bob@acme.test', 'cy@globex.test'].map(sandboxHash)));

    const second = await sync(['ann@acme.test', 'BOB@acme.test'], 's2');
    expect(second.result).toMatchObject({ listCreated: false, added: 0, removed: 1, unchanged: 2 });
    expect(h.emu.state.jobs.size).toBe(2);
    const job2 = [...h.emu.state.jobs.values()][1]!;
    expect(job2.operations).toEqual([{ action: 'remove', hashedEmail: sandboxHash('cy@globex.test') }]);
    expect(new Set(h.emu.state.members(listId))).toEqual(new Set(['ann@acme.test', 'bob@acme.test'].map(sandboxHash)));

    // the same set again (new sync id): nothing to send, no job
    const third = await sync(['bob@acme.test', 'ann@acme.test'], 's3');
    expect(third.result).toMatchObject({ job: null, added: 0, removed: 0, unchanged: 2 });
    expect(h.emu.state.jobs.size).toBe(2);
    // a retry of s2: replayed, nothing sent
    expect((await sync(['ann@acme.test', 'BOB@acme.test'], 's2')).replayed).toBe(true);
    expect(h.emu.state.jobs.size).toBe(2);
    expect(h.emu.state.userLists.size).toBe(1);
  });

  it('finds an existing list by name instead of creating a second one', async () => {
    h = await startHarness();
    const existing = h.emu.state.createUserList('Retarget');
    const r = await runAction<CustomerMatchResult>(h.runtime, 'google', 'customer-match-sync', { listName: 'Retarget', emails: ['a@b.test'], syncId: 'x' });
    expect(r.result).toMatchObject({ listCreated: false, userList: `customers/${h.emu.customerId}/userLists/${existing.id}`, added: 1 });
    expect(h.emu.state.userLists.size).toBe(1);
  });
});

describe('errors', () => {
  it('a bad developer token is a clear auth error, not retried', async () => {
    h = await startHarness({ developerToken: 'stolen-token' });
    h.emu.state.apply(campaign('cmp_gg_001'));
    const [check] = await checkConnectors(h.runtime);
    expect(check!.ok).toBe(false);
    expect(check!.message).toContain('GOOGLE_ADS_AUTH_FAILED');
    expect(check!.message).toContain('DEVELOPER_TOKEN_INVALID');
    expect(check!.message).not.toContain('stolen-token'); // the secret is redacted
    const started = performance.now();
    const e = await syncStream(h.runtime, 'google', 'campaigns').catch((x: unknown) => x);
    expect(performance.now() - started).toBeLessThan(3000);
    expect(e).toMatchObject({ code: 'GOOGLE_ADS_AUTH_FAILED', fix: expect.stringContaining('developerToken') });
    expect(h.sink.text()).not.toContain('stolen-token');
    expect(h.sink.text()).not.toContain('google ads retry');
  });
});
