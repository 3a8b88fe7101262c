import { afterEach, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { runAction } from '@revloop/core';
import { clientFor } from '../src/index.js';
import type { LinkedInAdsConfig } from '../src/config.js';
import type { SyncAudienceResult } from '../src/actions/sync-audience.js';
import type { UploadConversionsResult } from '../src/actions/upload-conversions.js';
import { START, startHarness, type Harness } from './helpers.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.stop();
  h = undefined;
});

const sha = (email: string) => createHash('sha256').update(email.trim().toLowerCase()).digest('hex');
const requests = (harness: Harness) => clientFor(harness.runtime.contextFor<LinkedInAdsConfig>(harness.runtime.connector('linkedin'))).stats.requests;
const DAY = 86_400_000;

describe('sync-audience', () => {
  it('creates the segment, then sends only the difference; the same set again sends nothing', async () => {
    h = await startHarness();
    const first = await runAction<SyncAudienceResult>(h.runtime, 'linkedin', 'sync-audience', {
      segmentName: 'High intent',
      emails: [' Ann@Acme.test', 'bob@acme.test', 'cy@globex.test', 'ann@acme.test', 'not-an-email'],
    });
    expect(first.result).toMatchObject({ segmentCreated: true, added: 3, removed: 0, members: 3, requests: 1 });
    expect(first.result.failures).toEqual([{ key: 'not-an-email', ok: false, error: expect.stringContaining('not an email') }]);
    const segmentId = Number(first.result.segmentId);
    expect(new Set(h.emu.state.segmentMembers(segmentId))).toEqual(new Set([sha('ann@acme.test'), sha('bob@acme.test'), sha('cy@globex.test')]));

    const before = requests(h);
    const second = await runAction<SyncAudienceResult>(h.runtime, 'linkedin', 'sync-audience', { segmentName: 'High intent', emails: ['ann@acme.test', 'BOB@acme.test'] });
    expect(second.result).toMatchObject({ segmentCreated: false, segmentId: String(segmentId), added: 0, removed: 1, unchanged: 2, members: 2, requests: 1 });
    expect(requests(h) - before).toBe(1); // one BATCH_CREATE holding a single REMOVE, no re-ADD
    expect(new Set(h.emu.state.segmentMembers(segmentId))).toEqual(new Set([sha('ann@acme.test'), sha('bob@acme.test')]));

    const third = await runAction<SyncAudienceResult>(h.runtime, 'linkedin', 'sync-audience', { segmentName: 'High intent', emails: ['bob@acme.test', 'ann@acme.test'] });
    expect(third.replayed).toBe(false); // it ran: the diff, not a replay, made it a no-op
    expect(third.result).toMatchObject({ added: 0, removed: 0, requests: 0 });
    expect(requests(h) - before).toBe(1);

    // a workflow retry with the same requestId replays the stored result without running
    const a = await runAction<SyncAudienceResult>(h.runtime, 'linkedin', 'sync-audience', { segmentName: 'High intent', emails: ['dee@initech.test'], requestId: 'dec_1' });
    const b = await runAction<SyncAudienceResult>(h.runtime, 'linkedin', 'sync-audience', { segmentName: 'High intent', emails: ['dee@initech.test'], requestId: 'dec_1' });
    expect(a.result).toMatchObject({ added: 1, removed: 2 });
    expect(b).toMatchObject({ replayed: true, result: a.result });
    expect(h.emu.state.segmentMembers(segmentId)).toEqual([sha('dee@initech.test')]);
  });

  it('splits large differences into BATCH_CREATE chunks of 5,000', async () => {
    h = await startHarness();
    const emails = Array.from({ length: 12_001 }, (_, i) => `person${i}@example.test`);
    const r = await runAction<SyncAudienceResult>(h.runtime, 'linkedin', 'sync-audience', { segmentName: 'Big', emails });
    expect(r.result).toMatchObject({ added: 12_001, requests: 3, members: 12_001 });
    expect(h.emu.state.segmentMembers(Number(r.result.segmentId))).toHaveLength(12_001);
  });

  it('re-creates a segment LinkedIn no longer knows', async () => {
    h = await startHarness();
    const r1 = await runAction<SyncAudienceResult>(h.runtime, 'linkedin', 'sync-audience', { segmentName: 'S', emails: ['a@x.test'] });
    h.emu.state.segments.delete(Number(r1.result.segmentId));
    const r2 = await runAction<SyncAudienceResult>(h.runtime, 'linkedin', 'sync-audience', { segmentName: 'S', emails: ['a@x.test', 'b@x.test'] });
    expect(r2.result).toMatchObject({ segmentCreated: true, added: 2, members: 2 });
    expect(r2.result.segmentId).not.toBe(r1.result.segmentId);
    expect(h.emu.state.segmentMembers(Number(r2.result.segmentId))).toHaveLength(2);
  });
});

describe('upload-conversions', () => {
  it('sends new events in one batch, dedupes by eventId, skips events older than 90 days with a logged reason', async () => {
    h = await startHarness();
    const now = START;
    const events = [
      { eventId: 'opp_1:created', kind: 'opportunity_created', occurredAt: now - 2 * DAY, email: 'Ann@Acme.test ' },
      { eventId: 'opp_1:won', kind: 'closed_won', occurredAt: now - DAY, valueMicros: 12_345_678, email: 'ann@acme.test' },
      { eventId: 'opp_1:created', kind: 'opportunity_created', occurredAt: now - 2 * DAY }, // same event twice in one input
      { eventId: 'opp_0:won', kind: 'closed_won', occurredAt: now - 91 * DAY, valueMicros: 1_000_000 },
    ];
    const r = await runAction<UploadConversionsResult>(h.runtime, 'linkedin', 'upload-conversions', { events });
    expect(r.result).toMatchObject({ sent: 2, duplicates: 1, skipped: 1, failed: 0, requests: 1 });
    expect(r.result.results.find((x) => x.key === 'opp_0:won')).toMatchObject({ ok: false, result: { status: 'skipped' }, error: expect.stringContaining('90 days') });
    expect(h.sink.text()).toContain('conversion skipped');
    const received = h.emu.state.receivedConversions();
    expect(received).toHaveLength(2);
    expect(received.find((c) => c.eventId === 'opp_1:won')).toMatchObject({
      conversion: 'urn:lla:llaPartnerConversion:4242',
      conversionValue: { currencyCode: 'USD', amount: '12.345678' },
      userIds: [{ idType: 'SHA256_EMAIL', idValue: sha('ann@acme.test') }],
    });

    // a later upload that repeats sent events sends only the new one
    h.clock.advance(DAY);
    const before = requests(h);
    const r2 = await runAction<UploadConversionsResult>(h.runtime, 'linkedin', 'upload-conversions', {
      events: [events[0], events[1], { eventId: 'opp_2:created', kind: 'opportunity_created', occurredAt: now }],
    });
    expect(r2.result).toMatchObject({ sent: 1, duplicates: 2, skipped: 0, requests: 1 });
    expect(requests(h) - before).toBe(1);
    expect(h.emu.state.receivedConversions().map((c) => c.eventId).sort()).toEqual(['opp_1:created', 'opp_1:won', 'opp_2:created']);

    // all of them known: no request at all
    const r3 = await runAction<UploadConversionsResult>(h.runtime, 'linkedin', 'upload-conversions', { events: [events[1], { eventId: 'opp_2:created', kind: 'opportunity_created', occurredAt: now }] });
    expect(r3.result).toMatchObject({ sent: 0, duplicates: 2, requests: 0 });
  });

  it('checks every element of a batch answer: a per-element 400 is a failed record and is not remembered as sent', async () => {
    // LinkedIn's clock runs 2 days ahead of ours: an 89-day-old event passes our check, LinkedIn refuses it
    let clock: { now(): number } | undefined;
    h = await startHarness({ emulator: { now: () => (clock?.now() ?? START) + 2 * DAY } });
    clock = h.clock;
    const events = [
      { eventId: 'late', kind: 'closed_won', occurredAt: START - 89 * DAY },
      { eventId: 'fresh', kind: 'closed_won', occurredAt: START - DAY },
    ];
    const r = await runAction<UploadConversionsResult>(h.runtime, 'linkedin', 'upload-conversions', { events });
    expect(r.result).toMatchObject({ sent: 1, failed: 1, requests: 1 });
    expect(r.result.results.find((x) => x.key === 'late')).toMatchObject({ ok: false, result: { status: 'failed' }, error: expect.stringContaining('within the past 90 days') });
    // the refused one is tried again next time (the accepted one is not)
    const r2 = await runAction<UploadConversionsResult>(h.runtime, 'linkedin', 'upload-conversions', { events: [...events, { eventId: 'x', kind: 'closed_won', occurredAt: START }] });
    expect(r2.result).toMatchObject({ sent: 1, failed: 1, duplicates: 1 });
  });

  it('refuses events without any conversion rule, naming the config key', async () => {
    h = await startHarness({ connector: { conversionRule: undefined } });
    await expect(runAction(h.runtime, 'linkedin', 'upload-conversions', { events: [{ eventId: 'e', kind: 'closed_won', occurredAt: START }] })).rejects.toMatchObject({
      code: 'LINKEDIN_CONVERSION_RULE_MISSING',
      where: 'connectors.linkedin.conversionRule',
    });
    expect(h.emu.state.receivedConversions()).toHaveLength(0);
  });
});
