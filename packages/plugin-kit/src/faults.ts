// The conformance checks that catch real faults (issue #24): each one runs the connector as a
// user would and compares what landed with what the vendor holds. Every check here has a
// deliberately broken connector in the kit's own tests that it must catch.
import { performance } from 'node:perf_hooks';
import { expect, type TestContext } from 'vitest';
import { checkConnectors, secretValues, syncStream, type EntityType, type Runtime } from '@revloop/core';
import type { ConformanceHarness, ConformanceOptions } from './harness.js';
import { instrument, tiedAcrossBatches } from './instrument.js';
import { unifiedSnapshot } from './snapshot.js';
import { liveSystemIds, streamsOf, syncAllStreams, withWorld, tableOf } from './world.js';

const secretKey = /token|secret|password|authorization|api[-_]?key|cookie|credential/i;
const entityOf = (o: ConformanceOptions, stream: string) => o.connector.streams.find((s) => s.name === stream)!.entity as keyof typeof tableOf;

async function expectComplete(o: ConformanceOptions, h: ConformanceHarness, runtime: Runtime, runs: Record<string, { failed: number; errors: { recordId: string; message: string }[] }>): Promise<void> {
  const name = o.name ?? 'conn';
  for (const [s, run] of Object.entries(runs)) {
    expect(run.failed, `stream ${s} rejected ${run.failed} record(s), e.g. ${run.errors[0]?.recordId}: ${run.errors[0]?.message}`).toBe(0);
  }
  if (!h.vendorIds) return;
  const byEntity = new Map<string, Set<string>>();
  for (const [s, ids] of Object.entries(await h.vendorIds())) {
    const e = entityOf(o, s);
    const set = byEntity.get(e) ?? new Set();
    for (const id of ids) set.add(id);
    byEntity.set(e, set);
  }
  for (const [entity, ids] of byEntity) {
    const rows = await liveSystemIds(runtime, name, entity as keyof typeof tableOf);
    const missing = [...ids].filter((id) => !rows.includes(id));
    const extra = rows.filter((id) => !ids.has(id));
    expect({ missing: missing.slice(0, 5), extra: extra.slice(0, 5), rows: rows.length }, `${entity} rows differ from the vendor's ${ids.size} live records`).toEqual({ missing: [], extra: [], rows: ids.size });
  }
}

/** completeness: a full sync stores every record the vendor holds, and rejects none */
export async function checkCompleteness(o: ConformanceOptions): Promise<void> {
  await withWorld(o, async (h, make) => {
    const runtime = await make('complete.db');
    const runs = await syncAllStreams(runtime, o.name ?? 'conn', streamsOf(o, h), { mode: 'full' });
    await expectComplete(o, h, runtime, runs);
  });
}

/** every string in every table of the store */
async function storeText(runtime: Runtime): Promise<string> {
  const tables = await runtime.store.db.introspection.getTables();
  const parts: string[] = [];
  for (const t of tables) parts.push(`${t.name}: ${JSON.stringify(await (runtime.store.db as any).selectFrom(t.name).selectAll().execute())}`);
  return parts.join('\n');
}

/** secrets: no secret value in raw payloads, rows, log lines (at trace level), check messages or errors */
export async function checkSecrets(o: ConformanceOptions, t: TestContext): Promise<void> {
  await withWorld(o, async (h, make) => {
    const parsed = o.connector.config.safeParse(h.config);
    const found = new Set<string>([...(h.secrets ?? []), ...(parsed.success ? secretValues(o.connector.config, parsed.data) : [])]);
    for (const [k, v] of Object.entries(h.config)) if (secretKey.test(k) && typeof v === 'string') found.add(v);
    const secrets = [...found].filter((s) => s.length >= 4);
    if (!secrets.length) return t.skip('the harness config has no secret: mark credential fields with secret() (or list them in harness.secrets)');
    const lines: string[] = [];
    const logDestination = { write: (l: string) => void lines.push(l) };
    const streams = streamsOf(o, h);
    const good = await make('secrets.db', undefined, { logLevel: 'trace', logDestination });
    const seen: string[] = (await checkConnectors(good)).map((c) => c.message);
    await syncAllStreams(good, o.name ?? 'conn', streams, { mode: 'full' });
    const bad = await make('secrets-bad.db', h.badCredentialsConfig, { logLevel: 'trace', logDestination });
    seen.push(...(await checkConnectors(bad)).map((c) => c.message));
    for (const s of streams) {
      try {
        await syncStream(bad, o.name ?? 'conn', s);
      } catch (e) {
        const err = e as Error & { fix?: string; where?: string; cause?: unknown };
        seen.push(err.message, err.fix ?? '', err.where ?? '', String((err.cause as Error | undefined)?.message ?? ''));
      }
    }
    const places = { 'the store (rows, raw payloads, runs, state)': (await storeText(good)) + (await storeText(bad)), 'log lines': lines.join(''), 'check messages and errors': seen.join('\n') };
    for (const secret of secrets) {
      for (const [where, text] of Object.entries(places)) {
        const forms = [secret, JSON.stringify(secret).slice(1, -1), encodeURIComponent(secret)];
        expect(forms.some((f) => text.includes(f)), `a secret (${secret.slice(0, 3)}…, ${secret.length} chars) leaked into ${where}: mark its config field secret() and never copy it into raw, fields or messages`).toBe(false);
      }
    }
  });
}

/** resume: a sync stopped after its first batch reads less on resume than a whole sync does */
export async function checkResumeReadsLess(o: ConformanceOptions): Promise<void> {
  await withWorld(o, async (h, make) => {
    const name = o.name ?? 'conn';
    const streams = streamsOf(o, h);
    const whole = await syncAllStreams(await make('whole-read.db'), name, streams);
    const resumed = await make('resume-read.db');
    for (const s of streams) {
      const allowance = h.idleRereadAllowance?.[s] ?? 0;
      const controller = new AbortController();
      const first = await syncStream(resumed, name, s, { signal: controller.signal, onProgress: () => controller.abort() });
      const second = await syncStream(resumed, name, s);
      const most = first.status === 'interrupted' ? whole[s]!.read - first.read + allowance : allowance;
      expect(second.read, `stream ${s}: the resume read ${second.read} records after ${first.read} were stored (a whole sync reads ${whole[s]!.read}): yield the checkpoint that covers each batch, and start read() from it`).toBeLessThanOrEqual(most);
    }
  });
}

/** Retry-After: after a 429 the next request waits at least as long as the vendor asked */
export async function checkRetryAfter(o: ConformanceOptions, t: TestContext): Promise<void> {
  await withWorld(o, async (h, make) => {
    const name = o.name ?? 'conn';
    const streams = streamsOf(o, h);
    if (h.rateLimit) {
      await h.rateLimit.trigger();
      const runtime = await make('retry-after.db');
      const synced = await syncAllStreams(runtime, name, streams, { mode: 'full' }).catch((e: unknown) => e as Error);
      expect(await h.rateLimit.served(), 'harness.rateLimit.trigger() did not make the vendor answer 429').toBeGreaterThan(0);
      expect(await h.rateLimit.violations(), 'requests were sent again before the vendor\'s Retry-After had passed').toBe(0);
      if (synced instanceof Error) throw synced;
      await expectComplete(o, h, runtime, synced);
      return;
    }
    // no probe: answer the connector's first ctx.http request 429 (Retry-After: 1 s) ourselves
    let requests = 0;
    let after: { clock: number; wall: number } | undefined;
    let violations = 0;
    let clockNow = () => 0;
    const injecting: typeof fetch = async (input, init) => {
      requests++;
      if (requests === 1) {
        after = { clock: clockNow() + 1000, wall: performance.now() + 1000 };
        return new Response(JSON.stringify({ error: 'rate limited (injected by the conformance suite)' }), { status: 429, headers: { 'retry-after': '1', 'content-type': 'application/json' } });
      }
      if (after && clockNow() < after.clock && performance.now() < after.wall) violations++;
      after = undefined;
      return fetch(input, init);
    };
    const runtime = await make('retry-after.db', undefined, { fetch: injecting });
    clockNow = () => runtime.clock.now();
    const runs = await syncAllStreams(runtime, name, streams, { mode: 'full' }).catch((e: unknown) => e as Error);
    if (requests === 0) return t.skip('the connector sends no request through ctx.http (a vendor SDK?): give the harness a rateLimit probe that makes the emulator answer 429');
    expect(violations, 'the request after a 429 was sent before its Retry-After (1 s) had passed').toBe(0);
    if (runs instanceof Error) throw runs;
    await expectComplete(o, h, runtime, runs);
  });
}

/** deletes: the deleted record's row is soft-deleted, and it arrived the way the stream declares */
export async function checkDeletes(o: ConformanceOptions): Promise<void> {
  await withWorld(o, async (h, make) => {
    if (!h.deleteOne) throw new Error('the harness has no deleteOne(): provide it or skip: ["deletes"]');
    const name = o.name ?? 'conn';
    const { connector, observed } = instrument(o.connector);
    const runtime = await make('deletes.db', undefined, { connector });
    const streams = streamsOf(o, h);
    await syncAllStreams(runtime, name, streams);
    const { stream, systemId } = await h.deleteOne();
    await h.tick?.();
    await syncAllStreams(runtime, name, streams);
    const definition = o.connector.streams.find((s) => s.name === stream)!;
    const id = await runtime.store.resolveId(name, definition.entity, systemId);
    expect(id, `deleted ${stream} ${systemId} was never synced`).toBeTruthy();
    const table = tableOf[definition.entity as keyof typeof tableOf] as 'accounts';
    const row = await runtime.store.db.selectFrom(table).select('deleted').where('id', '=', id!).executeTakeFirstOrThrow();
    expect(row.deleted, `deleted ${stream} ${systemId} is not soft-deleted after a sync`).toBe(1);
    const arrived = observed.tombstones.get(stream)?.has(systemId) ? 'tombstones' : observed.archived.get(stream)?.has(systemId) ? 'archived-flag' : 'none';
    expect(arrived, `stream ${stream} declares deletes: '${definition.deletes}' but delivered the deletion of ${systemId} as ${arrived === 'none' ? 'neither a tombstone nor an archived record' : arrived}: fix the declaration (users and the status output read it) or the stream`).toBe(definition.deletes);
  });
}

/** links: every link a mapped record carries points at a row this connector stored */
export async function checkLinks(o: ConformanceOptions): Promise<void> {
  await withWorld(o, async (h, make) => {
    const name = o.name ?? 'conn';
    const { connector, observed } = instrument(o.connector);
    const runtime = await make('links.db', undefined, { connector });
    await syncAllStreams(runtime, name, streamsOf(o, h), { mode: 'full' });
    const dangling: string[] = [];
    for (const l of observed.links) {
      // a link to a record not yet seen claims its id in the identity map: the row must exist too
      const id = await runtime.store.resolveId(name, l.link as EntityType, l.target);
      const table = tableOf[l.link as keyof typeof tableOf];
      const row = id && table ? await (runtime.store.db as any).selectFrom(table).select('id').where('id', '=', id).executeTakeFirst() : undefined;
      if (!row) dangling.push(`${l.stream} ${l.from} → ${l.link} ${l.target}`);
    }
    expect(dangling.slice(0, 5), `${dangling.length} of ${observed.links.length} links point at no stored row: map links to the vendor id the linked stream stores as systemId (or sync the linked stream)`).toEqual([]);
  });
}

/** ties: stopping after every single batch and resuming loses nothing where records share a timestamp */
export async function checkTies(o: ConformanceOptions, t: TestContext): Promise<void> {
  await withWorld(o, async (h, make) => {
    const name = o.name ?? 'conn';
    const streams = streamsOf(o, h);
    const { connector, observed } = instrument(o.connector);
    const whole = await make('ties-whole.db', undefined, { connector });
    await syncAllStreams(whole, name, streams);
    if (!streams.some((s) => tiedAcrossBatches(observed.batchTimes.get(s) ?? []))) {
      return t.skip('no stream had records sharing an updatedAt across a batch boundary: give several records one timestamp (the fake vendor does by default) and a small page size');
    }
    const stepwise = await make('ties-stepwise.db');
    for (const s of streams) {
      for (let runs = 0; ; runs++) {
        expect(runs, `stream ${s} did not finish after ${runs} one-batch runs: its checkpoint does not move forward`).toBeLessThan(10_000);
        const controller = new AbortController();
        const run = await syncStream(stepwise, name, s, { signal: controller.signal, onProgress: () => controller.abort() });
        if (run.status === 'succeeded') break;
      }
    }
    expect(await unifiedSnapshot(stepwise.store), 'a sync stopped and resumed after every batch ended with other rows than an uninterrupted one: the checkpoint must break ties on equal timestamps (e.g. the pair (updatedAt, id), or the vendor\'s cursor)').toEqual(await unifiedSnapshot(whole.store));
  });
}
