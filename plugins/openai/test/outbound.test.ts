// Every attempt of the OpenAI SDK is one ctx.http request (issue #25 item 3): the outbound address
// policy applies when the connection opens, so the API key goes nowhere a refused address is.
// A baseURL at such an address cannot pass config load (refused there too): the context's config
// is replaced after load to reach the SDK's requests themselves.
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { PluginContext } from '@revloop/core';
import { clientFor } from '../src/client.js';
import type { OpenAIConfig } from '../src/config.js';
import { openaiRuntime } from './helpers.js';

let close: (() => Promise<void>) | undefined;
afterEach(async () => {
  vi.restoreAllMocks();
  await close?.();
  close = undefined;
});

describe('OpenAI calls and the outbound policy', () => {
  it.each([
    ['the metadata address', 'http://169.254.169.254/v1'],
    ['a private address', 'https://10.1.2.3/v1'],
  ])('a baseURL at %s is refused before any connection (every attempt of the SDK)', async (_what, url) => {
    const fetchSpy = vi.spyOn(globalThis, 'fetch');
    const r = await openaiRuntime('http://127.0.0.1:9/v1');
    close = r.close;
    const ctx = { ...r.ctx, config: { ...r.ctx.config, baseURL: url } } as PluginContext<OpenAIConfig>;
    const error = await clientFor(ctx).models.list().catch((e: unknown) => e);
    // the SDK wraps what its fetch threw (a connection error); the cause is the policy's refusal
    expect((error as Error).cause).toMatchObject({ code: 'OUTBOUND_REFUSED', message: expect.stringContaining(new URL(url).hostname) });
    expect(fetchSpy.mock.calls.filter(([u]) => String(u).includes(new URL(url).hostname))).toEqual([]);
  });
});
