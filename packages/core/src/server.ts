// The HTTP surface of `revloop serve`: /healthz and the connectors' webhook endpoints.
import { Hono } from 'hono';
import type { Runtime } from './runtime.js';
import { mapBatch } from './sync/map-records.js';
import { errorMessage } from './errors.js';
import type { StreamDefinition } from './contract/connector.js';

export function createServerApp(runtime: Runtime): Hono {
  const app = new Hono();

  app.get('/healthz', async (c) => {
    try {
      await runtime.store.db.selectFrom('sync_state').select('connector').limit(1).execute();
      return c.json({ ok: true, store: runtime.store.dialect });
    } catch (e) {
      return c.json({ ok: false, error: errorMessage(e) }, 503);
    }
  });

  app.post('/webhooks/:connector/:webhook', async (c) => {
    const { connector, webhook } = c.req.param();
    const instance = runtime.registry.connectors.get(connector);
    const hook = instance?.enabled ? instance.definition.webhooks?.find((w) => w.name === webhook) : undefined;
    if (!instance || !hook) return c.json({ error: `no webhook ${connector}/${webhook}` }, 404);
    const ctx = runtime.contextFor(instance);
    const body = await c.req.text();
    const headers: Record<string, string> = {};
    c.req.raw.headers.forEach((v, k) => (headers[k] = v));
    const request = { method: c.req.method, url: c.req.url, headers, body };
    if (!(await hook.verify(ctx, request))) {
      ctx.log.warn({ webhook }, 'webhook rejected: signature did not verify');
      return c.json({ error: 'signature verification failed' }, 401);
    }
    let payload: unknown;
    try {
      payload = JSON.parse(body);
    } catch {
      return c.json({ error: 'body is not JSON' }, 400);
    }
    let records;
    try {
      records = hook.toSignals(ctx, payload);
    } catch (e) {
      return c.json({ error: `payload not understood: ${errorMessage(e)}` }, 400);
    }
    const asStream = { entity: 'signal', map: (r: unknown) => r } as unknown as StreamDefinition;
    const { mapped, errors } = mapBatch(asStream, ctx, records);
    if (errors.length) return c.json({ error: 'payload has invalid events', errors }, 400);
    await runtime.store.applyBatch({ system: connector, entityType: 'signal', records: mapped, syncedAt: runtime.clock.now() });
    return c.json({ accepted: mapped.length });
  });

  return app;
}
