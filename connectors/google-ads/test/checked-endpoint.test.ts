// The gRPC target built from the outbound policy's answer (src/checked-endpoint.ts): what grpc-js
// is given, and when the name is resolved again.
import { afterEach, describe, expect, it } from 'vitest';
import { RevloopError } from '@revloop/core';
import { checkedTarget, createTargetKeeper, RESOLVE_EVERY_MS, type ResolveChecked } from '../src/checked-endpoint.js';
import { grpcProxyFor } from '../src/grpc-proxy.js';

const answering = (...answers: (string[] | Error)[]) => {
  const calls: string[] = [];
  const resolve: ResolveChecked = async (host) => {
    calls.push(host);
    const a = answers[Math.min(calls.length - 1, answers.length - 1)]!;
    if (a instanceof Error) throw a;
    return a;
  };
  return { resolve, calls };
};

describe('checkedTarget', () => {
  it('a name becomes its checked addresses of one family, with the name kept for TLS and :authority', async () => {
    const t = await checkedTarget('googleads.googleapis.com', 443, answering(['142.250.1.1', '2a00:1450::1', '142.250.1.2']).resolve);
    // gax appends ":443" to the last address
    expect(`${t.servicePath}:443`).toBe('ipv4:142.250.1.1:443,142.250.1.2:443');
    expect(t.options).toEqual({ 'grpc.ssl_target_name_override': 'googleads.googleapis.com', 'grpc.default_authority': 'googleads.googleapis.com:443' });
    expect(t.addresses).toEqual(['142.250.1.1', '142.250.1.2']);
  });

  it('IPv6 first: an ipv6 target with bracketed addresses', async () => {
    const t = await checkedTarget('ads.example.com', 8443, answering(['2a00:1450::1', '2a00:1450::2', '142.250.1.1']).resolve);
    expect(`${t.servicePath}:8443`).toBe('ipv6:[2a00:1450::1]:8443,[2a00:1450::2]:8443');
    expect(t.options['grpc.default_authority']).toBe('ads.example.com:8443');
  });

  it('an address literal is judged and used as written, no name override', async () => {
    const { resolve, calls } = answering(['127.0.0.1']);
    const t = await checkedTarget('127.0.0.1', 50051, resolve);
    expect(calls).toEqual(['127.0.0.1']);
    expect(t).toEqual({ servicePath: '127.0.0.1', options: {}, addresses: ['127.0.0.1'] });
    expect((await checkedTarget('::1', 50051, answering(['::1']).resolve)).servicePath).toBe('[::1]');
  });

  it('through a CONNECT proxy the name is judged but kept: the proxy resolves it', async () => {
    const { resolve, calls } = answering(['142.250.1.1']);
    const t = await checkedTarget('googleads.googleapis.com', 443, resolve, true);
    expect(calls).toEqual(['googleads.googleapis.com']);
    expect(t).toEqual({ servicePath: 'googleads.googleapis.com', options: {}, addresses: ['142.250.1.1'] });
    const refused = new RevloopError('OUTBOUND_REFUSED', 'metadata');
    await expect(checkedTarget('rebind.example', 443, answering(refused).resolve, true)).rejects.toBe(refused);
  });

  it('a refusal of the policy is thrown as it is', async () => {
    const refused = new RevloopError('OUTBOUND_REFUSED', 'metadata', { where: 'connectors.google' });
    await expect(checkedTarget('rebind.example', 443, answering(refused).resolve)).rejects.toBe(refused);
  });
});

describe('createTargetKeeper', () => {
  it('resolves once, again after RESOLVE_EVERY_MS or when marked stale; a new generation only when the addresses change', async () => {
    let now = 0;
    const { resolve, calls } = answering(['142.250.1.1'], ['142.250.1.1'], ['142.250.9.9']);
    const keeper = createTargetKeeper('googleads.googleapis.com', 443, { insecure: false, now: () => now });
    const first = await keeper.current(resolve);
    expect(await keeper.current(resolve)).toBe(first);
    expect(calls).toHaveLength(1);
    now += RESOLVE_EVERY_MS; // same addresses: same target, same generation
    expect(await keeper.current(resolve)).toEqual(first);
    expect(calls).toHaveLength(2);
    keeper.markStale(); // moved: a new generation
    const moved = await keeper.current(resolve);
    expect(calls).toHaveLength(3);
    expect(moved.generation).toBe(first.generation + 1);
    expect(moved.target.addresses).toEqual(['142.250.9.9']);
  });

  it('concurrent calls share one resolution', async () => {
    const { resolve, calls } = answering(['142.250.1.1']);
    const keeper = createTargetKeeper('googleads.googleapis.com', 443, { insecure: false });
    const all = await Promise.all([keeper.current(resolve), keeper.current(resolve), keeper.current(resolve)]);
    expect(calls).toHaveLength(1);
    expect(new Set(all).size).toBe(1);
  });

  it('a name that stops resolving keeps its last checked target; a refused answer is thrown', async () => {
    const unresolved = new RevloopError('OUTBOUND_UNRESOLVED', 'EAI_AGAIN');
    const refused = new RevloopError('OUTBOUND_REFUSED', 'metadata');
    const { resolve } = answering(['142.250.1.1'], unresolved, refused);
    const keeper = createTargetKeeper('googleads.googleapis.com', 443, { insecure: false });
    const first = await keeper.current(resolve);
    keeper.markStale();
    expect(await keeper.current(resolve)).toBe(first);
    keeper.markStale();
    await expect(keeper.current(resolve)).rejects.toBe(refused);
  });

  it('the first resolution failing is thrown (nothing checked to fall back on)', async () => {
    const unresolved = new RevloopError('OUTBOUND_UNRESOLVED', 'ENOTFOUND');
    const keeper = createTargetKeeper('googleads.googleapis.com', 443, { insecure: false });
    await expect(keeper.current(answering(unresolved).resolve)).rejects.toBe(unresolved);
  });

  it('a loopback emulator (insecure) is never resolved: grpc-js gets the endpoint as configured', async () => {
    const { resolve, calls } = answering(['127.0.0.1']);
    const keeper = createTargetKeeper('localhost', 50051, { insecure: true });
    expect((await keeper.current(resolve)).target).toEqual({ servicePath: 'localhost', options: {}, addresses: [] });
    expect(calls).toEqual([]);
  });
});

describe('grpcProxyFor (grpc-js own proxy mapping)', () => {
  const saved = { ...process.env };
  afterEach(() => {
    for (const k of ['grpc_proxy', 'https_proxy', 'http_proxy', 'no_proxy', 'no_grpc_proxy']) {
      if (saved[k] === undefined) delete process.env[k];
      else process.env[k] = saved[k];
    }
  });

  it('no proxy variable: direct; grpc_proxy set: proxied, unless no_proxy names the host', () => {
    for (const k of ['grpc_proxy', 'https_proxy', 'http_proxy', 'no_proxy', 'no_grpc_proxy']) delete process.env[k];
    expect(grpcProxyFor('googleads.googleapis.com', 443)).toBe(false);
    process.env.grpc_proxy = 'http://127.0.0.1:3128';
    expect(grpcProxyFor('googleads.googleapis.com', 443)).toBe(true);
    process.env.no_proxy = 'googleads.googleapis.com';
    expect(grpcProxyFor('googleads.googleapis.com', 443)).toBe(false);
  });
});
