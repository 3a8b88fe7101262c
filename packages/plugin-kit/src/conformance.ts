// The conformance suite: the behaviour every revloop connector must have, checked against the
// author's vendor emulator through the public runtime only. Call it inside a vitest file:
//
//   describeConnectorConformance({ connector, setup: async () => ({ config, ... }) });
import { describe, expect, it } from 'vitest';
import { checkConnectors, runAction, syncStream, type Runtime } from '@revloop/core';
import type { ConformanceOptions } from './harness.js';
import { unifiedSnapshot } from './snapshot.js';
import { takeViolations } from './network-guard.mjs';
import { streamsOf, withWorld } from './world.js';
import { checkKillResume } from './kill-resume.js';
import { checkCompleteness, checkDeletes, checkLinks, checkResumeReadsLess, checkRetryAfter, checkSecrets, checkTies } from './faults.js';

async function syncAllStreams(runtime: Runtime, name: string, streams: string[], opts: { mode?: 'full' | 'incremental' } = {}) {
  const reads: Record<string, number> = {};
  for (const s of streams) reads[s] = (await syncStream(runtime, name, s, { mode: opts.mode })).read;
  return reads;
}

export function describeConnectorConformance(options: ConformanceOptions): void {
  const name = options.name ?? 'conn';
  const skip = new Set(options.skip ?? []);

  describe(`connector conformance: ${options.connector.name}`, () => {
    it('check passes with good credentials and fails clearly with bad ones', async () => {
      await withWorld(options, async (h, make) => {
        const good = await make('good.db');
        expect((await checkConnectors(good))[0]).toMatchObject({ ok: true });
        const bad = await make('bad.db', h.badCredentialsConfig);
        const result = (await checkConnectors(bad))[0]!;
        expect(result.ok).toBe(false);
        expect(result.message.length).toBeGreaterThan(10);
      });
    });

    it('an incremental sync after changes reads only the changes and ends equal to a full re-sync', async () => {
      await withWorld(options, async (h, make) => {
        const streams = streamsOf(options, h);
        const incremental = await make('incremental.db');
        await syncAllStreams(incremental, name, streams);
        await h.tick?.();
        const idle = await syncAllStreams(incremental, name, streams);
        for (const s of streams) expect(idle[s], `stream ${s} re-read without changes`).toBeLessThanOrEqual(h.idleRereadAllowance?.[s] ?? 0);
        const changed = await h.change();
        await h.tick?.();
        const after = await syncAllStreams(incremental, name, streams);
        for (const [s, n] of Object.entries(changed)) {
          expect(after[s], `stream ${s} read fewer records than changed`).toBeGreaterThanOrEqual(n);
          expect(after[s], `stream ${s} read more than the changes`).toBeLessThanOrEqual(n + (h.idleRereadAllowance?.[s] ?? 0));
        }
        const fresh = await make('full.db');
        await syncAllStreams(fresh, name, streams, { mode: 'full' });
        expect(await unifiedSnapshot(incremental.store)).toEqual(await unifiedSnapshot(fresh.store));
      });
    });

    it.skipIf(skip.has('deletes'))('deletes propagate as soft deletes, the way the stream declares them', () => checkDeletes(options));

    it.skipIf(skip.has('merges'))('merges propagate: the old id resolves to the surviving record', async () => {
      await withWorld(options, async (h, make) => {
        if (!h.mergeTwo) throw new Error('the harness has no mergeTwo(): provide it or skip: ["merges"]');
        const streams = streamsOf(options, h);
        const runtime = await make('merges.db');
        await syncAllStreams(runtime, name, streams);
        const { stream, loser, winner } = await h.mergeTwo();
        await h.tick?.();
        await syncAllStreams(runtime, name, streams);
        const entity = options.connector.streams.find((s) => s.name === stream)!.entity;
        expect(await runtime.store.resolveId(name, entity, loser)).toBe(await runtime.store.resolveId(name, entity, winner));
      });
    });

    it('a sync stopped mid-stream resumes to exactly the same rows as an uninterrupted one', async () => {
      await withWorld(options, async (h, make) => {
        const streams = streamsOf(options, h);
        const whole = await make('whole.db');
        await syncAllStreams(whole, name, streams);
        const resumed = await make('resumed.db');
        for (const s of streams) {
          const controller = new AbortController();
          const first = await syncStream(resumed, name, s, { signal: controller.signal, onProgress: () => controller.abort() });
          expect(['interrupted', 'succeeded']).toContain(first.status);
          await syncStream(resumed, name, s);
        }
        expect(await unifiedSnapshot(resumed.store)).toEqual(await unifiedSnapshot(whole.store));
      });
    });

    it.skipIf(skip.has('actions'))('actions are idempotent: a retry never writes twice', async () => {
      await withWorld(options, async (h, make) => {
        if (!h.action) throw new Error('the harness has no action probe: provide it or skip: ["actions"]');
        const runtime = await make('actions.db');
        const before = await h.action.vendorWrites();
        const first = await runAction(runtime, name, h.action.name, h.action.input);
        const afterFirst = await h.action.vendorWrites();
        expect(afterFirst).toBeGreaterThan(before);
        expect((await runAction(runtime, name, h.action.name, h.action.input)).replayed).toBe(true);
        // the vendor write itself is idempotent too (a crash between the write and revloop's record)
        const definition = options.connector.actions!.find((a) => a.name === h.action!.name)!;
        const instance = runtime.connector(name);
        await definition.run(runtime.contextFor(instance), definition.input.parse(h.action.input));
        expect(await h.action.vendorWrites()).toBe(afterFirst);
        expect(first.replayed).toBe(false);
      });
    });

    it.skipIf(skip.has('completeness'))('completeness: a full sync stores exactly the vendor\'s records, 0 rejected', () => checkCompleteness(options));

    it.skipIf(skip.has('secrets'))('secrets never reach raw payloads, rows, logs, check messages or errors', (t) => checkSecrets(options, t));

    it.skipIf(skip.has('resume'))('a resume reads less than a whole sync (it starts from the checkpoint)', () => checkResumeReadsLess(options));

    it.skipIf(skip.has('retry-after'))('a 429\'s Retry-After is honoured, and the sync still completes', (t) => checkRetryAfter(options, t));

    it.skipIf(skip.has('links'))('links point at rows that exist', () => checkLinks(options));

    it.skipIf(skip.has('ties'))('checkpoints break ties on equal timestamps (stop and resume after every batch)', (t) => checkTies(options, t));

    it.skipIf(skip.has('kill-resume'))('a sync killed with SIGKILL mid-stream resumes to exactly the rows of an uninterrupted one', () => checkKillResume(options), 120_000);

    it('no connection leaves loopback', async () => {
      await withWorld(options, async (h, make) => {
        const runtime = await make('net.db');
        await checkConnectors(runtime);
        await syncAllStreams(runtime, name, streamsOf(options, h));
      });
      expect(takeViolations()).toEqual([]);
    });
  });
}
