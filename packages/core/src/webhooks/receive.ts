// POST /webhooks/:connector/:webhook — one vendor push, in this order: body read under
// server.webhooks.maxBodyBytes (413, before anything else) → signature verified over the public URL
// (401) → JSON (400) → at most server.webhooks.maxEvents events (413) → toSignals and the unified
// model's checks (400) → replay claim (409) → stored as signals, oversized raw / attributes as
// markers → each signal without an account takes its contact's. Replies are short; the details
// (validator issues, sizes) go to the log. Nothing is written unless every check passed.
import type { Context } from 'hono';
import type { Runtime } from '../runtime.js';
import type { StreamDefinition } from '../contract/connector.js';
import { mapBatch } from '../sync/map-records.js';
import { errorMessage } from '../errors.js';
import { webhookLimitsDefaults } from '../config/schema.js';
import { readBodyWithin } from './body.js';
import { publicUrlOf } from './public-url.js';
import { createReplayGuard } from './replay.js';
import { capStoredPayload } from './stored-size.js';
import { linkAccountsFromContacts } from './account-link.js';

const asSignalStream = { entity: 'signal', map: (r: unknown) => r } as unknown as StreamDefinition;

export function webhookReceiver(runtime: Runtime): (c: Context) => Promise<Response> {
  const server = runtime.loaded.config.server;
  const limits = { ...webhookLimitsDefaults, ...server?.webhooks };
  const replay = createReplayGuard(runtime.store, () => runtime.clock.now());

  return async (c) => {
    const { connector, webhook } = c.req.param() as { connector: string; webhook: string };
    const instance = runtime.registry.connectors.get(connector);
    const hook = instance?.enabled ? instance.definition.webhooks?.find((w) => w.name === webhook) : undefined;
    if (!instance || !hook) return c.json({ error: `no webhook ${connector}/${webhook}` }, 404);
    const ctx = runtime.contextFor(instance);

    const body = await readBodyWithin(c.req.raw, limits.maxBodyBytes);
    if (!body.ok) {
      ctx.log.warn({ webhook, bytes: body.bytes, limit: limits.maxBodyBytes, seen: body.reason }, 'webhook refused: body over server.webhooks.maxBodyBytes');
      // the rest of the body is not read: close the connection instead of draining it
      return c.json({ error: `body too large (at most ${limits.maxBodyBytes} bytes)` }, 413, { connection: 'close' });
    }

    const headers: Record<string, string> = {};
    c.req.raw.headers.forEach((v, k) => (headers[k] = v));
    const url = publicUrlOf(c.req.url, c.req.raw.headers, server ?? {});
    const request = { method: c.req.method, url, headers, body: body.text };
    if (!(await hook.verify(ctx, request))) {
      ctx.log.warn({ webhook, url }, 'webhook rejected: signature did not verify');
      return c.json({ error: 'signature verification failed' }, 401);
    }

    let payload: unknown;
    try {
      payload = JSON.parse(body.text);
    } catch {
      return c.json({ error: 'body is not JSON' }, 400);
    }
    if (Array.isArray(payload) && payload.length > limits.maxEvents) {
      ctx.log.warn({ webhook, events: payload.length, limit: limits.maxEvents }, 'webhook refused: too many events');
      return c.json({ error: `too many events in one request: ${payload.length} (at most ${limits.maxEvents})` }, 413);
    }
    let records;
    try {
      records = hook.toSignals(ctx, payload);
    } catch (e) {
      ctx.log.warn({ webhook, detail: errorMessage(e) }, 'webhook refused: payload not understood');
      return c.json({ error: 'payload not understood: not the events this webhook expects' }, 400);
    }
    if (records.length > limits.maxEvents) {
      ctx.log.warn({ webhook, events: records.length, limit: limits.maxEvents }, 'webhook refused: too many events');
      return c.json({ error: `too many events in one request: ${records.length} (at most ${limits.maxEvents})` }, 413);
    }
    const { mapped, errors } = await mapBatch(asSignalStream, ctx, records);
    if (errors.length) {
      ctx.log.warn({ webhook, errors }, 'webhook refused: invalid events');
      return c.json({ error: `payload has ${errors.length} invalid event${errors.length === 1 ? '' : 's'}` }, 400);
    }
    let truncated = 0;
    const stored = mapped.map((r) => {
      const capped = capStoredPayload(r, limits.maxStoredPayloadBytes);
      truncated += capped.truncated;
      return capped.record;
    });
    if (truncated) ctx.log.warn({ webhook, truncated, limit: limits.maxStoredPayloadBytes }, 'webhook events stored with truncated raw/attributes');

    const seen = hook.replayKey?.(ctx, request);
    if (seen && !(await replay.claim(instance.name, webhook, seen.key, seen.expiresAt))) {
      ctx.log.warn({ webhook }, 'webhook refused: replay of a request already received');
      return c.json({ error: 'replayed request: this signature was already received' }, 409);
    }
    try {
      await runtime.store.applyBatch({ system: connector, entityType: 'signal', records: stored, syncedAt: runtime.clock.now() });
    } catch (e) {
      // not stored: the vendor's retry (or this very request again) must not count as a replay
      if (seen) await replay.release(instance.name, webhook, seen.key).catch(() => undefined);
      throw e;
    }
    await linkAccountsFromContacts(runtime.store, connector, stored.map((r) => r.systemId));
    return c.json({ accepted: stored.length });
  };
}
