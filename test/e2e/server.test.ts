import { afterEach, describe, expect, it } from 'vitest';
import { createHmac } from 'node:crypto';
import { join } from 'node:path';
import { z } from 'zod';
import { createRuntime, createServerApp, defineConnector, parseConfig, SimulatedClock } from '@revloop/core';
import { tempDir } from './helpers.js';

const SECRET = 'whsec-test-secret';

const pushy = defineConnector({
  name: 'pushy',
  version: '1.0.0',
  config: z.object({ webhookSecret: z.string() }).strict(),
  async check() {
    return { ok: true, message: 'ok' };
  },
  streams: [],
  webhooks: [
    {
      name: 'events',
      verify(ctx, req) {
        const expected = createHmac('sha256', ctx.config.webhookSecret).update(req.body).digest('hex');
        return req.headers['x-signature'] === expected;
      },
      toSignals(_ctx, payload) {
        const events = z.array(z.object({ id: z.string(), type: z.string(), contact: z.string(), at: z.number() })).parse(payload);
        return events.map((e) => ({ systemId: e.id, fields: { type: e.type, occurred_at: e.at }, links: { contact: e.contact } }));
      },
    },
  ],
});

let dir: ReturnType<typeof tempDir>;
afterEach(() => dir?.cleanup());

describe('serve: health and webhooks', () => {
  it('answers /healthz, accepts signed webhooks into signals, rejects forged and malformed ones', async () => {
    dir = tempDir();
    const loaded = parseConfig({ store: { kind: 'sqlite', path: join(dir.path, 'r.db') }, log: { level: 'silent' }, connectors: { pushy: { plugin: pushy, webhookSecret: SECRET } } }, { env: {} });
    const runtime = await createRuntime(loaded, { clock: new SimulatedClock(5) });
    await runtime.store.migrate();
    const app = createServerApp(runtime);

    expect(await (await app.request('/healthz')).json()).toEqual({ ok: true, store: 'sqlite' });

    const body = JSON.stringify([{ id: 'e1', type: 'form_fill', contact: 'c9', at: 1234 }]);
    const sign = (b: string) => createHmac('sha256', SECRET).update(b).digest('hex');
    const ok = await app.request('/webhooks/pushy/events', { method: 'POST', body, headers: { 'x-signature': sign(body) } });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ accepted: 1 });
    const signals = await runtime.store.db.selectFrom('signals').selectAll().execute();
    expect(signals).toMatchObject([{ type: 'form_fill', occurred_at: 1234, source_system: 'pushy' }]);

    const forged = await app.request('/webhooks/pushy/events', { method: 'POST', body, headers: { 'x-signature': sign(body + ' ') } });
    expect(forged.status).toBe(401);
    const badShape = JSON.stringify([{ id: 'e2' }]);
    expect((await app.request('/webhooks/pushy/events', { method: 'POST', body: badShape, headers: { 'x-signature': sign(badShape) } })).status).toBe(400);
    expect((await app.request('/webhooks/nobody/events', { method: 'POST', body })).status).toBe(404);
    expect(await runtime.store.db.selectFrom('signals').selectAll().execute()).toHaveLength(1);
    await runtime.close();
  });
});
