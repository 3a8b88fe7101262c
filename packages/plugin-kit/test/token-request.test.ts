// postTokenForm against a tiny loopback token endpoint: retried waits are on ctx.clock, a final
// answer (2xx or a refusal) is handed back, and the outbound policy refuses a bad address with
// nothing sent.
import { describe, expect, it, vi } from 'vitest';
import { RevloopError } from '@revloop/core';
import { postTokenForm } from '../src/http/index.js';
import { sendOnce } from '../src/http/send-once.js';
import { sendJson } from './helpers/tiny-server.js';
import { httpWorlds } from './helpers/world.js';

// sendOnce, watched: each attempt of postTokenForm must be its one request (no copy of it here)
vi.mock('../src/http/send-once.js', async (original) => {
  const real = await original<typeof import('../src/http/send-once.js')>();
  return { ...real, sendOnce: vi.fn(real.sendOnce) };
});

const world = httpWorlds();
const unavailable = (reason: string) => new RevloopError('TOKEN_DOWN', `no answer: ${reason}`, { where: 'x', fix: 'later' });

describe('postTokenForm', () => {
  it('sends the form, and hands back a refusal (400) as an answer, once', async () => {
    const { server, ctx } = await world((_req, res) => sendJson(res, 400, { error: 'invalid_grant', error_description: 'revoked' }));
    const answer = await postTokenForm(ctx, `${server.url}/token`, { grant_type: 'refresh_token', refresh_token: 'r-1' }, { unavailable });
    expect(answer).toMatchObject({ ok: false, status: 400, json: { error: 'invalid_grant' } });
    expect(server.seen).toHaveLength(1);
    expect(server.seen[0]!.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(new URLSearchParams(server.seen[0]!.body).get('refresh_token')).toBe('r-1');
  });

  it('retries a 503 and a 429 with waits on ctx.clock, then returns the token', async () => {
    const statuses = [503, 429];
    const { server, ctx, clock } = await world((_req, res) => {
      const s = statuses.shift();
      return s ? sendJson(res, s, { error: 'busy' }) : sendJson(res, 200, { access_token: 'a-1' });
    });
    const start = clock.now();
    const answer = await postTokenForm(ctx, `${server.url}/token`, {}, { unavailable, backoffMs: 1000 });
    expect(answer).toMatchObject({ ok: true, status: 200, json: { access_token: 'a-1' } });
    expect(server.seen).toHaveLength(3);
    expect(clock.now() - start).toBe(1000 + 2000); // simulated time, doubled
  });

  it('gives up after the retries with the caller\'s error', async () => {
    const { server, ctx } = await world((_req, res) => sendJson(res, 502, {}));
    await expect(postTokenForm(ctx, `${server.url}/token`, {}, { unavailable, retries: 2 })).rejects.toMatchObject({ code: 'TOKEN_DOWN', message: 'no answer: HTTP 502' });
    expect(server.seen).toHaveLength(3);
  });

  it('a metadata or private address is refused by the outbound policy, not retried, nothing sent', async () => {
    const { ctx } = await world((_req, res) => sendJson(res, 200, {}));
    for (const url of ['http://169.254.169.254/token', 'https://10.0.0.8/token']) {
      await expect(postTokenForm(ctx, url, { client_secret: 's' }, { unavailable })).rejects.toMatchObject({ code: 'OUTBOUND_REFUSED' });
    }
  });

  it('sends each attempt through sendOnce, one ctx.http request without retries of its own', async () => {
    const statuses = [503];
    const { server, ctx } = await world((_req, res) => sendJson(res, statuses.shift() ?? 200, { access_token: 'a-2' }));
    vi.mocked(sendOnce).mockClear();
    await expect(postTokenForm(ctx, `${server.url}/token`, {}, { unavailable, backoffMs: 1 })).resolves.toMatchObject({ ok: true });
    expect(vi.mocked(sendOnce)).toHaveBeenCalledTimes(2);
    expect(server.seen).toHaveLength(2);
  });

  it('retries a dropped connection, and hands back a 401 as final', async () => {
    let n = 0;
    const { server, ctx } = await world((req, res) => (n++ === 0 ? res.socket!.destroy() : sendJson(res, 401, { error: 'invalid_client' })));
    const answer = await postTokenForm(ctx, `${server.url}/token`, {}, { unavailable, backoffMs: 1 });
    expect(answer).toMatchObject({ ok: false, status: 401, json: { error: 'invalid_client' } });
    expect(n).toBe(2);
  });
});
