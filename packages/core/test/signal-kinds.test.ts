import { describe, expect, it } from 'vitest';
import { openSqliteStore } from '@revloop/store';
import { buildFeatures, createRuntime, parseConfig, RevloopError, signalKindRegistry } from '../src/index.js';

const T0 = Date.UTC(2026, 0, 10);
const DAY = 86_400_000;

describe('signal kinds', () => {
  it('registers kinds from the config beside the built-ins; a kind with two categories is refused with where each came from', async () => {
    const kinds = signalKindRegistry({ signalKinds: { webinar_attended: { category: 'event' } } });
    expect(kinds.get('webinar_attended')).toMatchObject({ category: 'event', from: 'config' });
    expect(kinds.get('demo_visit')).toMatchObject({ category: 'web', from: 'revloop' });
    const loaded = parseConfig({ store: { kind: 'sqlite', path: ':memory:' }, signalKinds: { demo_visit: { category: 'event' } } }, { env: {} });
    const refused = await createRuntime(loaded).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(refused).toBeInstanceOf(RevloopError);
    expect((refused as RevloopError).code).toBe('SIGNAL_KIND_CONFLICT');
    expect((refused as RevloopError).exitCode).toBe(2);
    expect((refused as RevloopError).message).toMatch(/"demo_visit" is registered as "web" by revloop and as "event" by config/);
  });

  it('refuses a kind name or category the contract does not know, with the path', () => {
    expect(() => parseConfig({ signalKinds: { 'Webinar Attended': { category: 'event' } } }, { env: {} })).toThrow(/signalKinds/);
    expect(() => parseConfig({ signalKinds: { webinar_attended: { category: 'party' } } }, { env: {} })).toThrow(/signalKinds\.webinar_attended\.category/);
  });

  it('features count kinds beyond the built-ins by name, and by category when registered', async () => {
    const store = openSqliteStore({ path: ':memory:' });
    await store.migrate();
    await store.applyBatch({ system: 'webinar', entityType: 'account', records: [{ systemId: 'o1', fields: { name: 'Acme' } }], syncedAt: T0 });
    await store.applyBatch({
      system: 'webinar', entityType: 'signal', syncedAt: T0,
      records: [
        { systemId: 's1', fields: { type: 'webinar_attended', occurred_at: T0 - DAY }, links: { account: 'o1' } },
        { systemId: 's2', fields: { type: 'webinar_attended', occurred_at: T0 - DAY }, links: { account: 'o1' } },
        { systemId: 's3', fields: { type: 'podcast_listen', occurred_at: T0 - DAY }, links: { account: 'o1' } },
      ],
    });
    const id = (await store.resolveId('webinar', 'account', 'o1'))!;
    const f = (await buildFeatures(store, [id], T0, 14, 'default', signalKindRegistry({ signalKinds: { webinar_attended: { category: 'event' } } }))).get(id)!;
    expect(f.otherCounts).toEqual({ webinar_attended: 2, podcast_listen: 1 });
    expect(f.categoryCounts).toMatchObject({ event: 2, content: 0 });
    await store.close();
  });
});
