// The HTTP surface of `revloop serve`: /healthz and the connectors' webhook endpoints
// (webhooks/receive.ts). An unexpected error answers a short 500 and is logged, never a stack
// trace on stderr or in the reply.
import { Hono } from 'hono';
import type { Runtime } from './runtime.js';
import { errorMessage } from './errors.js';
import { webhookReceiver } from './webhooks/receive.js';
import { groupCommitDefaults, type GroupCommitOptions } from './webhooks/group-commit.js';

export interface ServerAppOptions {
  /** how webhook requests are grouped into one transaction (webhooks/group-commit.ts) */
  groupCommit?: Partial<GroupCommitOptions>;
}

export function createServerApp(runtime: Runtime, options: ServerAppOptions = {}): Hono {
  const app = new Hono();

  app.onError((e, c) => {
    runtime.log.error({ path: c.req.path, error: errorMessage(e) }, 'request failed');
    return c.json({ error: 'internal error' }, 500);
  });

  app.get('/healthz', async (c) => {
    try {
      await runtime.store.db.selectFrom('sync_state').select('connector').limit(1).execute();
      return c.json({ ok: true, store: runtime.store.dialect });
    } catch (e) {
      return c.json({ ok: false, error: errorMessage(e) }, 503);
    }
  });

  app.post('/webhooks/:connector/:webhook', webhookReceiver(runtime, { ...groupCommitDefaults, ...options.groupCommit }));

  return app;
}
