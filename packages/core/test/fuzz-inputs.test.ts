// Property-based tests (#25 item 9): thousands of generated configs and webhook payloads. The
// config loader answers every input with a config or a bad-input error (exit 2) that names a
// path, never another exception; the webhook endpoint answers every signed payload with 2xx or
// a short 4xx (never 5xx, never a stack trace) and a refused payload writes nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createServerApp, parseConfig, RevloopError } from '../src/index.js';
import { signed, webhookWorld, type TestWorld } from './webhooks-helpers.js';

const knownKeys = ['store', 'log', 'sandbox', 'connectors', 'models', 'plugins', 'workflows', 'schedules', 'budgets', 'approvals', 'server', 'identity', 'signalKinds', 'customFields', 'kind', 'path', 'plugin', 'enabled', 'level', 'cron', 'job', 'steps', 'name', 'limitUsd', 'period', 'scope', 'policies', 'sourcePriority', 'accounts', 'contacts', 'mappingFields', 'category', 'type'];
const value = fc.letrec((tie) => ({
  any: fc.oneof({ depthSize: 'small' }, fc.jsonValue({ maxDepth: 2 }), tie('obj'), fc.constantFrom('sqlite', 'postgres', 'hubspot', ':memory:', '0 * * * *', 'run', 'sync', 'day', 'event', 'number')),
  obj: fc.dictionary(fc.oneof(fc.constantFrom(...knownKeys), fc.string({ maxLength: 8 })), tie('any'), { maxKeys: 5 }),
}));

describe('fuzz: config loader', () => {
  it('any input is a config or CONFIG_INVALID-like bad input with a path, never an unexpected exception', () => {
    fc.assert(
      fc.property(fc.oneof(value.obj, fc.jsonValue({ maxDepth: 3 })), (raw) => {
        try {
          parseConfig(raw, { env: {}, baseDir: '/tmp' });
        } catch (e) {
          expect(e).toBeInstanceOf(RevloopError);
          expect((e as RevloopError).exitCode).toBe(2);
          expect((e as RevloopError).message).not.toMatch(/\n\s+at /); // no stack trace in what a person reads
        }
      }),
      { numRuns: 3000, seed: 25 },
    );
  });
});

describe('fuzz: webhook endpoint', () => {
  let world: TestWorld;
  beforeAll(async () => {
    world = await webhookWorld();
  });
  afterAll(async () => world?.close());

  const event = fc.record({ id: fc.oneof(fc.string({ maxLength: 12 }), fc.integer()), type: fc.oneof(fc.constantFrom('form_fill', 'demo_visit'), fc.string()), contact: fc.oneof(fc.string({ maxLength: 6 }), fc.constant(null)), at: fc.oneof(fc.integer(), fc.double(), fc.string()), note: fc.option(fc.string({ maxLength: 30 })) }, { requiredKeys: [] });
  const body = fc.oneof(
    fc.string({ maxLength: 200 }),
    fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)),
    fc.array(event, { maxLength: 8 }).map((v) => JSON.stringify(v)),
    fc.array(event, { maxLength: 3 }).map((v) => JSON.stringify(v).slice(0, -1)), // truncated JSON
  );

  it('a signed payload gets 2xx or a short 4xx; nothing is written when it is refused', async () => {
    const app = createServerApp(world.runtime);
    const count = async () => Number((await world.runtime.store.db.selectFrom('signals').select((eb) => eb.fn.countAll().as('n')).executeTakeFirst())?.n ?? 0);
    await fc.assert(
      fc.asyncProperty(body, async (text) => {
        const before = await count();
        const res = await app.request('/webhooks/pushy/events', { method: 'POST', body: text, headers: signed(text) });
        const answer = await res.text();
        expect(res.status).toBeLessThan(500);
        expect(answer.length).toBeLessThan(500);
        expect(answer).not.toMatch(/\n\s+at |ZodError|node_modules/);
        if (res.status >= 400) expect(await count()).toBe(before);
      }),
      { numRuns: 1500, seed: 25 },
    );
  });

  it('an unsigned or wrongly signed payload is refused (401) whatever it holds', async () => {
    const app = createServerApp(world.runtime);
    await fc.assert(
      fc.asyncProperty(body, fc.string({ maxLength: 64 }), async (text, signature) => {
        const res = await app.request('/webhooks/pushy/events', { method: 'POST', body: text, headers: { ...signed(text), 'x-signature': signature } });
        expect(res.status).toBe(401);
      }),
      { numRuns: 1000, seed: 26 },
    );
  });
});
