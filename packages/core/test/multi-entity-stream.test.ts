// Connector kit v2 (#24 item 4): one read, several entity types (a webinar's attendees endpoint
// gives people and their attendance), and an async map (an enrichment lookup), under the same
// checkpoint rule: a batch's checkpoint is stored with every record it emitted, or not at all.
import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { createRuntime, defineConnector, defineStream, parseConfig, SimulatedClock, syncStream, type MapResult, type Runtime } from '../src/index.js';

const T0 = Date.UTC(2026, 0, 5);
const attendees = Array.from({ length: 25 }, (_, i) => ({ id: `a${i}`, email: `p${i}@acme${i % 3}.test`, org: `o${i % 3}`, webinar: 'w1', minutes: 10 + i, at: T0 - 3_600_000 + i }));
let lookups = 0;
let failAt: string | undefined;
let emitUndeclared = false;

const attendance = defineStream<{ apiKey: string }, (typeof attendees)[number], { after: number }>({
  name: 'attendance',
  entity: 'signal',
  alsoEmits: ['contact'],
  cursor: 'at',
  deletes: 'none',
  checkpoint: z.object({ after: z.number() }),
  async *read(_ctx, { checkpoint }) {
    const start = checkpoint?.after ?? 0;
    for (let i = start; i < attendees.length; i += 10) yield { records: attendees.slice(i, i + 10), checkpoint: { after: Math.min(i + 10, attendees.length) } };
  },
  // async: the persona comes from an enrichment lookup per person
  async map(a): Promise<MapResult> {
    lookups++;
    await new Promise((r) => setTimeout(r, 1));
    if (a.id === failAt) throw new Error('enrichment service refused');
    if (emitUndeclared) return [{ entity: 'opportunity', record: { systemId: a.id, fields: {} } }];
    return [
      { entity: 'contact', record: { systemId: a.email, fields: { email: a.email, persona: a.minutes > 20 ? 'champion' : 'end_user' } } },
      { entity: 'signal', record: { systemId: `${a.webinar}:${a.id}`, fields: { type: 'webinar_attended', occurred_at: a.at }, links: { contact: a.email }, attributes: { minutes: a.minutes } } },
    ];
  },
});

const webinar = defineConnector({
  name: 'webinar',
  version: '1.0.0',
  config: z.object({ apiKey: z.string() }).strict(),
  async check() {
    return { ok: true, message: 'ok' };
  },
  streams: [attendance],
  signalKinds: { webinar_attended: { category: 'event' } },
});

let runtime: Runtime | undefined;
let dir: string;
afterEach(async () => {
  await runtime?.close();
  runtime = undefined;
  rmSync(dir, { recursive: true, force: true });
  failAt = undefined;
  emitUndeclared = false;
});

async function open(): Promise<Runtime> {
  dir = mkdtempSync(join(tmpdir(), 'revloop-multi-'));
  runtime = await createRuntime(parseConfig({ store: { kind: 'sqlite', path: join(dir, 'r.db') }, log: { level: 'silent' }, connectors: { webinar: { plugin: webinar, apiKey: 'k-12345678' } } }, { env: {} }), { clock: new SimulatedClock(T0) });
  await runtime.store.migrate();
  return runtime;
}
const count = async (rt: Runtime, table: 'contacts' | 'signals') => Number((await rt.store.db.selectFrom(table).select((eb) => eb.fn.countAll().as('n')).executeTakeFirst())?.n ?? 0);

describe('a stream that emits several entity types, with an async map', () => {
  it('stores the people and their attendance from one read, linked, with the run counting both', async () => {
    const rt = await open();
    lookups = 0;
    const run = await syncStream(rt, 'webinar', 'attendance');
    expect(run.status).toBe('succeeded');
    expect(lookups).toBe(25);
    expect(await count(rt, 'contacts')).toBe(25);
    expect(await count(rt, 'signals')).toBe(25);
    const linked = await rt.store.db.selectFrom('signals').innerJoin('contacts', 'contacts.id', 'signals.contact_id').select(['contacts.email', 'signals.type']).execute();
    expect(linked).toHaveLength(25);
    expect(run.written).toBe(50);
    expect(rt.signalKinds.get('webinar_attended')).toMatchObject({ category: 'event', from: 'connector webinar' });
  });

  it('a record whose async map fails is refused whole (no person without their signal), the rest stored', async () => {
    const rt = await open();
    failAt = 'a3';
    const run = await syncStream(rt, 'webinar', 'attendance');
    expect(run.failed).toBe(1);
    expect(await count(rt, 'contacts')).toBe(24);
    expect(await count(rt, 'signals')).toBe(24);
    const errors = JSON.parse((await rt.store.db.selectFrom('sync_runs').select('errors').executeTakeFirstOrThrow()).errors ?? '[]');
    expect(errors[0]).toMatchObject({ recordId: 'a3', message: 'enrichment service refused' });
  });

  it('an emitted entity the stream does not declare refuses the record, naming what is declared', async () => {
    const rt = await open();
    emitUndeclared = true;
    const run = await syncStream(rt, 'webinar', 'attendance');
    expect(run.failed).toBe(25);
    const errors = JSON.parse((await rt.store.db.selectFrom('sync_runs').select('errors').executeTakeFirstOrThrow()).errors ?? '[]');
    expect(errors[0].message).toMatch(/emitted a opportunity, which stream attendance does not declare \(entity signal, alsoEmits contact\)/);
  });
});
