import net from 'node:net';
import dns from 'node:dns/promises';
import { describe, expect, it } from 'vitest';
import { isLoopbackHost, takeViolations } from './network-guard-core.mjs';

describe('network guard', () => {
  it('knows loopback from the rest', () => {
    expect(isLoopbackHost('127.0.0.1')).toBe(true);
    expect(isLoopbackHost('localhost')).toBe(true);
    expect(isLoopbackHost('::1')).toBe(true);
    expect(isLoopbackHost('[::1]')).toBe(true);
    expect(isLoopbackHost('169.254.169.254')).toBe(false);
    expect(isLoopbackHost('metadata.google.internal')).toBe(false);
    expect(isLoopbackHost('10.0.0.1')).toBe(false);
  });

  it('blocks a connection off the machine before any packet leaves, and records it', async () => {
    const socket = net.connect({ host: '169.254.169.254', port: 80 });
    const error = await new Promise<Error>((resolve) => socket.on('error', resolve));
    expect(error.message).toMatch(/network guard: blocked a connection to 169\.254\.169\.254:80/);
    const seen = takeViolations(); // drained here so that this test itself passes
    expect(seen).toHaveLength(1);
  });

  it('blocks DNS lookups of outside names', async () => {
    await expect(dns.lookup('metadata.google.internal')).rejects.toThrow(/network guard/);
    expect(takeViolations()).toHaveLength(1);
  });

  it('lets loopback through', async () => {
    const server = net.createServer((s) => s.end('hi'));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const port = (server.address() as net.AddressInfo).port;
    const text = await new Promise<string>((resolve, reject) => {
      const c = net.connect(port, '127.0.0.1');
      let buf = '';
      c.on('data', (d) => (buf += d));
      c.on('end', () => resolve(buf));
      c.on('error', reject);
    });
    server.close();
    expect(text).toBe('hi');
  });

  it('sets METADATA_SERVER_DETECTION=none for google-ads-api', () => {
    expect(process.env.METADATA_SERVER_DETECTION).toBe('none');
  });
});
