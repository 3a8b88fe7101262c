// POST /webhooks/:connector/:webhook — one vendor push, in this order: body read under
// server.webhooks.maxBodyBytes (413, before anything else) → signature verified over the public URL
// (401) → JSON (400) → at most server.webhooks.maxEvents events (413) → toSignals and the unified
// model's checks (400) → oversized raw / attributes replaced by markers → handed to the group
// commit (group-commit.ts), which claims the replay key (409) and stores the signals together with
// the other requests waiting at that moment, links each signal without an account to its
// contact's, and answers once they are committed. Replies are short; the details (validator
// issues, sizes) go to the log. Nothing is written unless every check passed.
import type { IncomingMessage } from 'node:http';
import type { Context } from 'hono';
import type { Runtime } from '../runtime.js';
import type { StreamDefinition } from '../contract/connector.js';
import { mapBatch } from '../sync/map-records.js';
import { secretStripperFor } from '../sync/strip-secrets.js';
import { errorMessage } from '../errors.js';
import { webhookLimitsDefaults } from '../config/schema.js';
import { readBodyWithin } from './body.js';
import { publicUrlOf } from './public-url.js';
import { createReplayGuard } from './replay.js';
import { capStoredPayload } from './stored-size.js';
import { createIngestQueue, groupCommitDefaults, type GroupCommitOptions } from './group-commit.js';

const asSignalStream = { entity: 'signal', map: (r: unknown) => r } as unknown as StreamDefinition;

/** the request headers by lower-case name (from Node's own object under @hono/node-server: no Headers built) */
function headersOf(c: Context, incoming: IncomingMessage | undefined): Record<string, string> {
  const headers: Record<string, string> = {};
  if (incoming) {
    for (const [k, v] of Object.entries(incoming.headers)) if (v !== undefined) headers[k] = Array.isArray(v) ? v.join(', ') : v;
  } else c.req.raw.headers.forEach((v, k) => (headers[k] = v));
  return headers;
}

export function webhookReceiver(runtime: Runtime, groupCommit: GroupCommitOptions = groupCommitDefaults): (c: Context) => Promise<Response> {
  const server = runtime.loaded.config.server;
  const limits = { ...webhookLimitsDefaults, ...server?.webhooks };
  const now = () => runtime.clock.now();
  const queue = createIngestQueue(
    { store: runtime.store, replay: createReplayGuard(runtime.store, now), now, onLinkError: (e) => runtime.log.warn({ error: errorMessage(e) }, 'webhook events stored; linking them to accounts failed (the next sync links them)') },
    groupCommit,
  );

  return async (c) => {
    const { connector, webhook } = c.req.param() as { connector: string; webhook: string };
    const instance = runtime.registry.connectors.get(connector);
    const hook = instance?.enabled ? instance.definition.webhooks?.find((w) => w.name === webhook) : undefined;
    if (!instance || !hook) return c.json({ error: `no webhook ${connector}/${webhook}` }, 404);
    const ctx = runtime.contextFor(instance);

    // present under @hono/node-server (revloop serve); absent under app.request() in tests
    const incoming = (c.env as { incoming?: IncomingMessage } | undefined)?.incoming;
    const body = await readBodyWithin(c.req.raw, limits.maxBodyBytes, incoming);
    if (!body.ok) {
      ctx.log.warn({ webhook, bytes: body.bytes, limit: limits.maxBodyBytes, seen: body.reason }, 'webhook refused: body over server.webhooks.maxBodyBytes');
      // the rest of the body is not read: close the connection instead of draining it
      return c.json({ error: `body too large (at most ${limits.maxBodyBytes} bytes)` }, 413, { connection: 'close' });
    }

    const headers = headersOf(c, incoming);
    const url = publicUrlOf(c.req.url, { get: (name) => headers[name] ?? null }, server ?? {});
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
    const { mapped, errors } = await mapBatch(asSignalStream, ctx, records, secretStripperFor(instance)); // secret() values never stored
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
    const outcome = await queue.submit({ connector, webhook, records: stored, replay: seen });
    if ('replayed' in outcome) {
      ctx.log.warn({ webhook }, 'webhook refused: replay of a request already received');
      return c.json({ error: 'replayed request: this signature was already received' }, 409);
    }
    return c.json({ accepted: outcome.stored });
  };
}
